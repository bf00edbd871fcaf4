from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Propositions")

    def ready(self) -> None:
        from pic.privacy import registry

        from . import privacy

        registry.register_collector("proposals", privacy.collect)
        # The pages notes and notifications link to; the proposal's thread of notes.
        from django.urls import reverse

        from neighbourhoods.models import Neighbourhood
        from pic.notes import registry as notes
        from pic.notifications.links import register_url

        from . import access  # noqa: F401 - registers the rules (pic.access)
        from .models import Proposal

        register_url(Proposal, lambda p: reverse("proposals:proposal-detail", args=[p.pk]))
        register_url(Neighbourhood,
                     lambda n: reverse("proposals:neighbourhood-file", args=[n.slug]))
        notes.register_file(Proposal, neighbourhood_of=lambda p: p.neighbourhood_id)
