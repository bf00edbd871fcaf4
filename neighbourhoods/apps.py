from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeighbourhoodsConfig(AppConfig):
    name = "neighbourhoods"
    verbose_name = _("Quartiers")

    def ready(self) -> None:
        from pic.privacy import registry

        from . import (
            access,  # noqa: F401 - registers the rules and role facts (pic.access)
            privacy,
        )

        registry.register_collector("neighbourhoods", privacy.collect)
        registry.register_anonymiser("neighbourhoods", privacy.anonymise)
        registry.register_purge("neighbourhoods", privacy.purge)
