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
        # Each file's ratification limit follows its window, stage and program.
        from . import ratification_limit
        ratification_limit.connect_signals()
        # The program's counts kept between views follow the files and the program.
        from pic import figures

        from .models import IndicatorDefinition, Program, ProposalYear, Stage, Window
        figures.forget_on_change(Proposal, ProposalYear, Program, Stage, Window,
                                 IndicatorDefinition)

        # What the proposal and neighbourhood timelines show of this app (pic.timeline).
        from pic import timeline

        from .models import Contact, Initiative, LetterOfIntent

        timeline.register_verbs(timeline.SHARED, [
            "proposal.created", "proposal.submit", "proposal.start_analysis",
            "proposal.request_changes", "proposal.resubmit", "proposal.recommend",
            "proposal.not_recommend", "proposal.ratify", "proposal.mark_letter_sent",
            "proposal.withdraw", "proposal.document_uploaded", "proposal.document_deleted",
            "letter_of_intent.submitted", "letter_of_intent.acknowledged", "initiative.created",
            "contact.recorded", "indicator.added"])
        timeline.register_related(Neighbourhood, lambda n: [
            Proposal.objects.filter(neighbourhood=n), Initiative.objects.filter(neighbourhood=n),
            LetterOfIntent.objects.filter(neighbourhood=n),
            Contact.objects.filter(neighbourhood=n)])
        for verb in ("proposal.submit", "proposal.resubmit"):  # the version's diff
            timeline.register_link(verb, lambda event, _obj: reverse(
                "proposals:proposal-versions", args=[event.object_id]))
