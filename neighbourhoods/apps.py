from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeighbourhoodsConfig(AppConfig):
    name = "neighbourhoods"
    verbose_name = _("Quartiers")

    def ready(self) -> None:
        from pic.privacy import registry

        from . import privacy
        from .models import is_coordination

        registry.register_collector("neighbourhoods", privacy.collect)
        registry.register_anonymiser("neighbourhoods", privacy.anonymise)
        registry.register_purge("neighbourhoods", privacy.purge)
        # The register of confidentiality incidents is kept by the coordination team.
        registry.register_incident_register_access(is_coordination)
