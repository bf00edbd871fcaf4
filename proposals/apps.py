from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Propositions")

    def ready(self) -> None:
        from pic.privacy import registry

        from . import privacy

        registry.register_collector("proposals", privacy.collect)
        from . import access  # noqa: F401 - registers the rules (pic.access)
