from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Gouvernance")

    def ready(self) -> None:
        from neighbourhoods.models import Invitation
        from neighbourhoods.services import register_invitation_acceptor

        from . import access  # noqa: F401 - registers the rules and role facts (pic.access)
        from .services import accept_committee_seat_invitation

        register_invitation_acceptor(
            Invitation.Kind.COMMITTEE_SEAT, accept_committee_seat_invitation
        )

        from pic.privacy import registry

        from . import privacy

        registry.register_collector("governance", privacy.collect)
        registry.register_anonymiser("governance", privacy.anonymise)

        # The pages notifications link to.
        from django.urls import reverse

        from pic.notifications.links import register_url

        from .models import AgendaItem, Meeting

        register_url(AgendaItem, lambda i: reverse("governance:item-detail", args=[i.pk]))
        register_url(Meeting, lambda m: reverse("governance:meeting-detail", args=[m.pk]))
