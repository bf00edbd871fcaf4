"""System checks of settings that `manage.py check` (and `check --deploy`) can verify."""

from django.conf import settings
from django.core.checks import Warning, register

from pic.pdf import static_file_exists


@register()
def letterhead_logo_exists(app_configs=None, **kwargs) -> list:
    """PIC_LETTERHEAD_LOGO names a static file: without it, letters have no logo."""
    name = settings.PIC_LETTERHEAD_LOGO
    if not name or static_file_exists(name):
        return []
    return [Warning(f"PIC_LETTERHEAD_LOGO names no static file: {name!r}.",
                    hint="Put the file under static/ (and run collectstatic), or leave the "
                         "setting empty; decision letters are rendered without a logo.",
                    id="pic.W001")]
