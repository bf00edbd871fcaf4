from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PicConfig(AppConfig):
    name = "pic"
    verbose_name = _("Plateforme PIC")

    def ready(self) -> None:
        from pic import (
            checks,  # noqa: F401 (registers the settings' system checks)
            sessions,  # noqa: F401 (connects its login receiver)
        )
        from pic.notifications import tasks  # noqa: F401 (the notifications' Celery tasks)
        from pic.privacy import services  # noqa: F401 (registers pic's part of a person's data)
        from pic.textsearch import Fold  # noqa: F401 (pic_fold on every SQLite connection)


class PicAdminConfig(admin_apps.AdminConfig):
    """Django's admin, whose site never authenticates anyone (pic/admin_site.py)."""

    default = False  # pic's own AppConfig stays PicConfig
    default_site = "pic.admin_site.PicAdminSite"

    def ready(self):
        super().ready()
        from pic.admin_site import hide_mfa_secrets

        hide_mfa_secrets(self.module.site)
