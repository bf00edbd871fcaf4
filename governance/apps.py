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

        from pic import figures
        from pic.notifications.links import register_url

        from .models import AgendaItem, DecisionLetter, Meeting, Ratification

        register_url(AgendaItem, lambda i: reverse("governance:item-detail", args=[i.pk]))
        register_url(Meeting, lambda m: reverse("governance:meeting-detail", args=[m.pk]))
        # The program's counts kept between views (pic.figures) follow the decisions.
        figures.forget_on_change(Ratification, DecisionLetter)

        # What the proposal and neighbourhood timelines show of governance (pic.timeline):
        # the results, never a member's own vote; the analysis to Centraide only.
        from neighbourhoods.models import Neighbourhood
        from pic import timeline
        from proposals.models import Proposal

        from .models import Analysis

        timeline.register_verbs(timeline.SHARED, [
            "agenda_item.added", "agenda_item.closed", "proposal.ratification_recorded",
            "letter.generated", "letter.emailed"])
        timeline.register_verbs(timeline.INTERNAL, ["analysis.created", "analysis.updated",
                                                    "recusal.declared", "recusal.recorded"])
        timeline.register_related(Proposal, lambda p: [
            AgendaItem.objects.filter(proposal=p), Analysis.objects.filter(proposal=p)])
        timeline.register_related(Neighbourhood, lambda n: [
            AgendaItem.objects.filter(proposal__neighbourhood=n),
            Analysis.objects.filter(proposal__neighbourhood=n)])
