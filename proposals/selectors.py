"""Reads, always starting from `visible_to(user)`; they fetch what the pages show."""

import datetime

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from neighbourhoods.models import Neighbourhood
from pic import figures
from pic.formatting import format_date
from pic.models import User

from .models import (
    INITIATIVE_READ_PERMISSION,
    Contact,
    Initiative,
    InitiativeUserObjectPermission,
    LetterOfIntent,
    NeighbourhoodPlan,
    NeighbourhoodPlanDocument,
    PrerequisiteItem,
    Program,
    Proposal,
    ProposalDocument,
    ProposalVersion,
    Stage,
    Window,
    WindowExtension,
)


def proposal_list(*, user: User) -> QuerySet[Proposal]:
    """The proposals the user sees, newest change first (the list page's filters:
    ProposalFilterForm)."""
    return (Proposal.objects.visible_to(user)
            .select_related("neighbourhood", "stage", "window", "initiative")
            .defer(*Proposal.LONG_TEXT)  # a list shows none of them
            .order_by("-updated_at", "-pk"))


# what a table of files (proposals/_proposal_table.html) shows, and nothing else
TABLE_COLUMNS = ("title", "status", "updated_at", "neighbourhood__name", "initiative__title",
                 "stage__number", "stage__name", "stage__name_en", "window__name",
                 "window__name_en")


def followed_proposals(*, user: User, n: int) -> list[Proposal]:
    """The latest `n` files the user sees that are in progress or decided (an advisor's home:
    neither drafts nor withdrawn), with the columns of their table only."""
    return list(proposal_list(user=user).exclude(status__in=["draft", "withdrawn"])
                .only(*TABLE_COLUMNS)[:n])


def proposal_get(*, user: User, pk: int) -> Proposal:
    proposal = (
        proposal_list(user=user).defer(None)  # the detail shows every text
        .select_related("stage__program", "created_by")
        .prefetch_related(
            "years", "evidence", "evaluation_questions",
            Prefetch("stage__prerequisites", queryset=PrerequisiteItem.objects.order_by(
                "position", "pk")),
            Prefetch("documents", queryset=ProposalDocument.objects.select_related(
                "uploaded_by", "prerequisite")),
            Prefetch("versions", queryset=ProposalVersion.objects.only(
                "pk", "proposal_id", "number", "created_at", "receipt_sent_at")),
        )
        .filter(pk=pk).first()
    )
    if proposal is None:
        raise Http404
    return proposal


def document_get(*, user: User, pk: int) -> ProposalDocument:
    document = (ProposalDocument.objects.visible_to(user).select_related("proposal")
                .filter(pk=pk).first())
    if document is None:
        raise Http404
    return document


def plan_document_get(*, user: User, pk: int) -> NeighbourhoodPlanDocument:
    document = NeighbourhoodPlanDocument.objects.visible_to(user).filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


def neighbourhood_plan_get(*, user: User,
                           neighbourhood: Neighbourhood) -> NeighbourhoodPlan | None:
    return (NeighbourhoodPlan.objects.visible_to(user).filter(neighbourhood=neighbourhood)
            .prefetch_related("priorities", "documents").first())


def version_list(*, user: User, proposal: Proposal) -> QuerySet[ProposalVersion]:
    return ProposalVersion.objects.visible_to(user).filter(proposal=proposal)


def initiative_list(*, user: User) -> QuerySet[Initiative]:
    return (Initiative.objects.visible_to(user).select_related("neighbourhood", "program")
            .prefetch_related(Prefetch("proposals", queryset=Proposal.objects.select_related(
                "stage", "window").order_by("stage__number", "created_at"))))


def initiative_get(*, user: User, pk: int) -> Initiative:
    initiative = initiative_list(user=user).select_related("priority").filter(pk=pk).first()
    if initiative is None:
        raise Http404
    return initiative


def initiative_reader_list(*, initiative: Initiative) -> list[User]:
    """The people given read access to this one initiative (not its neighbourhood's members)."""
    grants = (InitiativeUserObjectPermission.objects
              .filter(content_object=initiative, permission__codename=INITIATIVE_READ_PERMISSION)
              .select_related("user").order_by("user__email"))
    return [grant.user for grant in grants]


def letter_of_intent_list(*, user: User) -> QuerySet[LetterOfIntent]:
    """With `started`: the proposals the user sees that were started from each letter (not
    withdrawn), so a letter already acted on is not offered to start again."""
    started = (Proposal.objects.visible_to(user).exclude(status=Proposal.Status.WITHDRAWN)
               .only("pk", "title", "letter_of_intent_id").order_by("created_at", "pk"))
    return LetterOfIntent.objects.visible_to(user).select_related(
        "neighbourhood", "target_stage", "acknowledged_by", "submitted_by").prefetch_related(
        Prefetch("proposals", queryset=started, to_attr="started"))


def contact_list(*, user: User) -> QuerySet[Contact]:
    return Contact.objects.visible_to(user).select_related(
        "neighbourhood", "advisor", "recorded_by", "initiative")


def neighbourhood_file(*, user: User, neighbourhood: Neighbourhood) -> dict:
    """A neighbourhood's whole file: initiatives with their proposals, letters, contacts, open
    proposals; a fixed number of queries."""
    return {
        "neighbourhood": neighbourhood,
        "initiatives": list(initiative_list(user=user).filter(neighbourhood=neighbourhood)),
        "letters": list(letter_of_intent_list(user=user).filter(neighbourhood=neighbourhood)),
        "contacts": list(contact_list(user=user).filter(neighbourhood=neighbourhood)[:10]),
        "proposals": list(proposal_list(user=user).filter(neighbourhood=neighbourhood)),
        "plan": neighbourhood_plan_get(user=user, neighbourhood=neighbourhood),
    }


def status_totals(*, user: User) -> dict[str, int]:
    """How many files the user sees in each state: one grouped query."""
    return dict(Proposal.objects.visible_to(user).order_by().values_list("status")
                .annotate(n=Count("pk")).values_list("status", "n"))


def status_totals_kept(*, user: User, today: datetime.date) -> dict[str, int]:
    """`status_totals`, kept between views for the people who see the whole program
    (pic.figures; the coordination home reads the same figure)."""
    return figures.read_for(user, {"status_totals": lambda: status_totals(user=user)},
                            today=today)["status_totals"]


def status_counts(totals: dict[str, int]) -> list[dict]:
    """Every state in the workflow's order, with its label and its count (`status_totals`)."""
    labels = dict(Proposal.Status.choices)
    return [{"status": status, "label": labels[status], "count": totals.get(status, 0)}
            for status in Proposal.Status.values]


def program_list() -> QuerySet[Program]:
    """The program's configuration is public to every signed-in person."""
    return Program.objects.prefetch_related(
        Prefetch("stages", queryset=Stage.objects.prefetch_related("prerequisites")),
        Prefetch("windows", queryset=Window.objects.prefetch_related(
            "stages", Prefetch("extensions", queryset=WindowExtension.objects.select_related(
                "neighbourhood", "granted_by")))),
        "budget_categories", "external_partners", "indicator_definitions",
    )


def current_program() -> Program | None:
    return Program.objects.order_by("-starts_on").first()


def next_steps(file: dict, *, open_windows: list[Window]) -> list[dict]:
    """What the neighbourhood should do next, from its loaded file (no query)."""
    from django.utils.translation import gettext as _

    steps = []
    S = Proposal.Status
    if not file["letters"] and not file["initiatives"]:
        steps.append({"text": _("Transmettez votre lettre d'intention (changement souhaité et "
                                "étape visée).")})
    if not any(c.kind == Contact.Kind.PRE_SUBMISSION for c in file["contacts"]):
        steps.append({"text": _("Échangez avec votre conseiller·ère de Centraide avant de "
                                "déposer : l'échange doit être consigné au dossier.")})
    for proposal in file["proposals"]:
        if proposal.status == S.DRAFT:
            steps.append({"text": _("Complétez et déposez la proposition « %(t)s ».")
                          % {"t": proposal.title}, "proposal": proposal})
        elif proposal.status == S.CHANGES_REQUESTED:
            steps.append({"text": _("Modifications demandées : révisez et déposez de nouveau "
                                    "« %(t)s ».") % {"t": proposal.title}, "proposal": proposal})
    if not file["initiatives"]:
        steps.append({"text": _("Créez votre initiative (le changement souhaité) pour rédiger "
                                "une proposition.")})
    if open_windows:
        window = open_windows[0]
        steps.append({"text": _("Prochaine date limite : %(d)s (%(w)s), 23 h 59, heure de "
                                "Montréal.") % {"d": format_date(window.deadline),
                                                "w": window.display_name}})
    return steps


def open_window_list(*, today) -> list[Window]:
    return list(Window.objects.filter(deadline__gte=today).prefetch_related("stages")
                .order_by("deadline")[:3])
