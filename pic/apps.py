from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PicConfig(AppConfig):
    name = "pic"
    verbose_name = _("Plateforme PIC")
