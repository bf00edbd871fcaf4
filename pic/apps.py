from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PicConfig(AppConfig):
    name = "pic"
    verbose_name = _("Plateforme PIC")

    def ready(self) -> None:
        from pic.privacy import services  # noqa: F401 (registers pic's part of a person's data)
