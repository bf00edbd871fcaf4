"""Reads on governance, always scoped to the user (a missing and a forbidden object: 404)."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Organisation
from pic.access import roles_of
from pic.models import User
from pic.sql import count_of
from proposals.models import Proposal, ProposalDocument
from proposals.states import DECIDABLE, RATIFIED_STATES
from proposals.states import UNDECIDED as UNDECIDED

from .models import (
    AgendaItem,
    Analysis,
    AnalysisPrerequisite,
    Attendance,
    Committee,
    CommitteeMember,
    DecisionLetter,
    Meeting,
    QuorumRule,
    Recusal,
    Vote,
)

# --- States, seats, recusals and tallies (read by the services too) ----------------------
# Groups of the proposal's states, derived from its table (proposals.states): UNDECIDED may
# still be analysed and put on an agenda, DECIDABLE may be decided by a committee, PUBLISHED
# (ratified and after) is shown to the neighbourhood.
from .ratification_selectors import *  # noqa: F403 (the ratification watch-list, re-exported)
from .ratification_selectors import AT_RISK_DAYS  # noqa: F401

PUBLISHED = RATIFIED_STATES


def seat_for(item: AgendaItem, user: User) -> CommitteeMember | None:
    """The user's current seat on the committee deciding the item, if any."""
    return (CommitteeMember.objects.current().select_related("organisation")
            .filter(committee_id=item.meeting.committee_id, user=user).first())


def is_chair(item: AgendaItem, user: User) -> bool:
    return CommitteeMember.objects.current().filter(
        committee_id=item.meeting.committee_id, user=user, is_chair=True).exists()


def automatic_recusal(member: CommitteeMember, proposal: Proposal) -> str | None:
    """The reason a member may never vote on this allocation, whatever they declare."""
    if member.organisation.recused_from_investment_decisions:
        return Recusal.Reason.ORGANISATION
    if (proposal.neighbourhood.organisation_id is not None
            and proposal.neighbourhood.organisation_id == member.organisation_id):
        return Recusal.Reason.NEIGHBOURHOOD
    return None


def recusal_reason(item: AgendaItem, member: CommitteeMember) -> tuple[str, str] | None:
    """(reason label, details) when the member is recused from the item, else None."""
    recorded = Recusal.objects.filter(item=item, member=member).first()
    if recorded is not None:
        return recorded.get_reason_display(), recorded.details
    reason = automatic_recusal(member, item.proposal)
    if reason is not None:
        return Recusal.Reason(reason).label, ""
    return None


def eligible_members(item: AgendaItem) -> QuerySet[CommitteeMember]:
    """Current members of the deciding committee who may vote: recusals excluded."""
    qs = CommitteeMember.objects.current().filter(
        committee_id=item.meeting.committee_id,
        organisation__recused_from_investment_decisions=False,
    ).exclude(pk__in=Recusal.objects.filter(item=item).values("member"))
    organisation_id = item.proposal.neighbourhood.organisation_id
    if organisation_id is not None:
        qs = qs.exclude(organisation_id=organisation_id)
    return qs



@dataclass(frozen=True)
class Tally:
    eligible: int
    present: int
    quorum_needed: int
    votes_for: int
    votes_against: int
    votes_abstain: int

    @property
    def quorum_met(self) -> bool:
        return self.eligible > 0 and self.present >= self.quorum_needed

    @property
    def adopted(self) -> bool:
        """Majority of the votes cast; abstentions are not votes cast (a tie is lost)."""
        return self.votes_for > self.votes_against


def quorum_needed(eligible: int, rule: str) -> int:
    if rule == QuorumRule.TWO_THIRDS:
        return -(-2 * eligible // 3)
    return eligible // 2 + 1


def item_tally(item: AgendaItem) -> Tally:
    eligible = eligible_members(item)
    eligible_ids = set(eligible.values_list("pk", flat=True))
    present = Attendance.objects.filter(meeting_id=item.meeting_id,
                                        member_id__in=eligible_ids).count()
    choices = list(Vote.objects.filter(item=item, member_id__in=eligible_ids)
                   .values_list("choice", flat=True))
    return Tally(
        eligible=len(eligible_ids), present=present,
        quorum_needed=quorum_needed(len(eligible_ids), item.meeting.effective_quorum_rule),
        votes_for=choices.count(Vote.Choice.FOR),
        votes_against=choices.count(Vote.Choice.AGAINST),
        votes_abstain=choices.count(Vote.Choice.ABSTAIN),
    )





def committee_list(*, user: User) -> QuerySet[Committee]:
    committees = Committee.objects.all()
    if not roles_of(user).coordination:
        committees = committees.filter(
            pk__in=CommitteeMember.objects.current().filter(user=user).values("committee"))
    return committees.prefetch_related(
        Prefetch("members", queryset=CommitteeMember.objects.current()
                 .select_related("user", "organisation"), to_attr="current_members"))


# --- Committee compositions, against the guide's rules (section 3.1) -----------------------

_GROUPS = {  # the guide's three groups of partners; the operator (Centraide) is philanthropic
    Organisation.Category.OPERATOR: Organisation.Category.PHILANTHROPIC,
    Organisation.Category.PHILANTHROPIC: Organisation.Category.PHILANTHROPIC,
    Organisation.Category.INSTITUTIONAL: Organisation.Category.INSTITUTIONAL,
    Organisation.Category.COMMUNITY: Organisation.Category.COMMUNITY,
}


def _names(organisations) -> str:
    return ", ".join(sorted(str(o) for o in organisations))


def committee_composition_warnings(committee: Committee) -> list[str]:
    """Where the committee's current seats depart from the guide's composition (a warning
    shown when seats change, never a refusal). Two queries."""
    seats = list(CommitteeMember.objects.current().filter(committee=committee)
                 .select_related("organisation"))
    organisations = [seat.organisation for seat in seats]
    warnings = []
    counts: dict[int, int] = {}
    for organisation in organisations:
        counts[organisation.pk] = counts.get(organisation.pk, 0) + 1
    doubled = {o for o in organisations if counts[o.pk] > 1}
    if doubled and committee.kind != Committee.Kind.GOUVERNANCE:
        warnings.append(gettext("Le guide prévoit une personne par organisation; plus d'une "
                                "siège pour : %(names)s.") % {"names": _names(doubled)})
    seated = {o.pk for o in organisations}
    if committee.kind in (Committee.Kind.PARTENAIRES, Committee.Kind.GESTION):
        partners = Organisation.objects.filter(category__in=[
            Organisation.Category.OPERATOR, Organisation.Category.PHILANTHROPIC,
            Organisation.Category.INSTITUTIONAL])
        missing = [o for o in partners if o.pk not in seated]
        if missing:
            warnings.append(gettext("Partenaires philanthropiques ou institutionnels sans "
                                    "délégué·e : %(names)s.") % {"names": _names(missing)})
    if committee.kind == Committee.Kind.GESTION and not any(
            o.category == Organisation.Category.OPERATOR for o in organisations):
        warnings.append(gettext("Le guide prévoit un·e cadre de Centraide au comité de "
                                "gestion."))
    if committee.kind == Committee.Kind.GOUVERNANCE:
        groups = [_GROUPS.get(o.category) for o in organisations]
        expected = [Organisation.Category.PHILANTHROPIC, Organisation.Category.INSTITUTIONAL,
                    Organisation.Category.COMMUNITY]
        if len(seats) != 3 or sorted(map(str, groups)) != sorted(map(str, expected)):
            warnings.append(gettext(
                "Le guide prévoit trois membres au comité de gouvernance, un par groupe de "
                "partenaires (philanthropique, institutionnel, communautaire); il en siège "
                "%(n)s : %(groups)s.") % {"n": len(seats), "groups": ", ".join(
                    str(Organisation.Category(g).label) if g else gettext("autre")
                    for g in groups) or "—"})
    return warnings


def meeting_list(*, user: User) -> QuerySet[Meeting]:
    return (Meeting.objects.visible_to(user).select_related("committee")
            .annotate(item_count=count_of(Meeting.items)).order_by("-held_on", "-pk"))


def meeting_get(*, user: User, pk: int) -> Meeting:
    meeting = (
        Meeting.objects.visible_to(user).select_related("committee")
        .prefetch_related(
            Prefetch("items", queryset=AgendaItem.objects.select_related(
                "proposal__neighbourhood", "proposal__stage", "proposal__initiative")
                .order_by("position", "pk")),
            Prefetch("attendances", queryset=Attendance.objects.select_related(
                "member__user", "member__organisation")),
            "minutes",
        )
        .filter(pk=pk).first()
    )
    if meeting is None:
        raise Http404
    return meeting


def committee_members(*, meeting: Meeting) -> list[CommitteeMember]:
    return list(CommitteeMember.objects.current().filter(committee_id=meeting.committee_id)
                .select_related("user", "organisation"))


def item_get(*, user: User, pk: int) -> AgendaItem:
    item = (
        AgendaItem.objects.visible_to(user)
        .select_related("meeting__committee", "proposal__neighbourhood", "proposal__stage",
                        "proposal__initiative", "proposal__window")
        .prefetch_related("proposal__years", "proposal__documents")
        .filter(pk=pk).first()
    )
    if item is None:
        raise Http404
    return item


def item_document_get(*, user: User, item_pk: int, document_pk: int) -> ProposalDocument:
    """A document of the proposal on an agenda item the user may see (404 otherwise)."""
    document = ProposalDocument.objects.filter(
        pk=document_pk,
        proposal__agenda_items__in=AgendaItem.objects.visible_to(user).filter(pk=item_pk),
    ).first()
    if document is None:
        raise Http404
    return document


def analysis_for(*, user: User, proposal: Proposal) -> Analysis | None:
    return (Analysis.objects.visible_to(user).filter(proposal=proposal)
            .select_related("author")
            .prefetch_related(
                Prefetch("prerequisites", queryset=AnalysisPrerequisite.objects
                         .select_related("prerequisite")),
                "years")
            .first())


# A recusal's reason told to the member concerned (the Reason labels speak of them).
READER_REASONS = {
    Recusal.Reason.ORGANISATION: _("Votre organisation se retire des décisions "
                                   "d'investissement."),
    Recusal.Reason.NEIGHBOURHOOD: _("Votre organisation est la table de quartier visée."),
    Recusal.Reason.CONFLICT: _("Vous avez déclaré un conflit d'intérêts."),
}


def recusal_reason_for_reader(item: AgendaItem, member: CommitteeMember) -> str | None:
    """Why this member is recused from the item, addressed to them, else None."""
    recorded = Recusal.objects.filter(item=item, member=member).first()
    reason = recorded.reason if recorded is not None else automatic_recusal(member,
                                                                            item.proposal)
    return str(READER_REASONS[Recusal.Reason(reason)]) if reason else None


@dataclass(frozen=True)
class MemberRow:
    member: CommitteeMember
    recusal: str | None
    recusal_details: str
    has_voted: bool
    choice: str | None  # shown only once the item is closed
    recusal_code: str | None = None

    @property
    def recusal_to_reader(self) -> str:
        return str(READER_REASONS[Recusal.Reason(self.recusal_code)]) if self.recusal_code else ""


def item_members(*, item: AgendaItem) -> list[MemberRow]:
    """Every current member of the deciding committee, with recusal and whether they voted.
    Two queries whatever the committee's size."""
    votes = Vote.objects.filter(item=item, member=OuterRef("pk"))
    members = (CommitteeMember.objects.current().filter(committee_id=item.meeting.committee_id)
               .select_related("user", "organisation")
               .annotate(has_voted=Exists(votes)))
    recusals = {r.member_id: r for r in Recusal.objects.filter(item=item)}
    choices = (dict(Vote.objects.filter(item=item).values_list("member_id", "choice"))
               if item.is_closed else {})
    rows = []
    for member in members:
        recorded = recusals.get(member.pk)
        if recorded is not None:
            label, details, reason = (recorded.get_reason_display(), recorded.details,
                                      recorded.reason)
        else:
            reason = automatic_recusal(member, item.proposal)
            label, details = (Recusal.Reason(reason).label if reason else None), ""
        rows.append(MemberRow(member=member, recusal=label, recusal_details=details,
                              recusal_code=reason,
                              has_voted=member.has_voted,
                              choice=Vote.Choice(choices[member.pk]).label
                              if member.pk in choices else None))
    return rows


def proposals_for_agenda(*, user: User, meeting: Meeting | None = None) -> QuerySet[Proposal]:
    """Decidable proposals that can still be put on an agenda: not already on `meeting`'s
    agenda, nor waiting for a vote (an open item) on any meeting's agenda."""
    taken = Q(status=AgendaItem.Status.OPEN)
    if meeting is not None:
        taken |= Q(meeting=meeting)
    listed = AgendaItem.objects.filter(taken, proposal=OuterRef("pk"))
    return (Proposal.objects.visible_to(user).filter(status__in=DECIDABLE)
            .exclude(Exists(listed))
            .select_related("neighbourhood", "stage"))


def letter_list(*, user: User) -> QuerySet[DecisionLetter]:
    return (DecisionLetter.objects.visible_to(user).with_superseded()
            .select_related("proposal__neighbourhood", "proposal__stage")
            .defer(*(f"proposal__{f}" for f in Proposal.LONG_TEXT))
            .order_by("-created_at", "-pk"))


VOTE_ORDER = ("meeting__held_on", "position", "pk")  # the items to vote on: next meeting's first
FIRST_ITEMS = 10  # the items a member's home shows; the full list pages the rest


def _listed(items: QuerySet[AgendaItem]) -> QuerySet[AgendaItem]:
    """What a list of items shows: its meeting and committee, its file (no long text)."""
    return (items.select_related("meeting__committee", "proposal__neighbourhood")
            .defer(*(f"proposal__{f}" for f in Proposal.LONG_TEXT)).order_by(*VOTE_ORDER))


def items_to_vote(*, user: User) -> QuerySet[AgendaItem]:
    """Open items on the user's committees' agendas (read by the index on the open items)."""
    return _listed(AgendaItem.objects.visible_to(user).filter(status=AgendaItem.Status.OPEN)
                   .filter(meeting__committee__in=CommitteeMember.objects.current()
                           .filter(user=user).values("committee")))


def upcoming_meetings(*, user: User, today: datetime.date, n: int = FIRST_ITEMS) -> list[Meeting]:
    """The next `n` meetings the user may see, soonest first (no count of their items)."""
    return list(Meeting.objects.visible_to(user).select_related("committee")
                .filter(held_on__gte=today).order_by("held_on", "pk")[:n])


def open_items_with_recusal(*, user: User,
                            limit: int = FIRST_ITEMS) -> list[tuple[AgendaItem, str | None, bool]]:
    """The first `limit` open items on the user's committees' agendas (`with_recusal`)."""
    # the page's items chosen first (ids, by an index on the open items), then read with
    # their proposal: the joins are made for `limit` rows, not for every open item
    page = items_to_vote(user=user).values("pk")[:limit]
    return with_recusal(user=user, items=list(_listed(AgendaItem.objects.filter(pk__in=page))))


def with_recusal(*, user: User,
                 items: list[AgendaItem]) -> list[tuple[AgendaItem, str | None, bool]]:
    """Each item with the reason the user is recused from it (None when they may vote:
    `automatic_recusal` or a recorded recusal) and whether they voted. Three queries whatever
    the number of items."""
    seats = {m.committee_id: m for m in CommitteeMember.objects.current()
             .filter(user=user).select_related("organisation")}
    recorded = {(r.item_id, r.member_id): r for r in Recusal.objects.filter(
        item__in=items, member__in=seats.values())}
    voted = set(Vote.objects.filter(item__in=items, member__in=seats.values())
                .values_list("item_id", flat=True))
    rows = []
    for item in items:
        member = seats.get(item.meeting.committee_id)
        reason = None
        if member is not None:
            recusal = recorded.get((item.pk, member.pk))
            code = (recusal.reason if recusal is not None
                    else automatic_recusal(member, item.proposal))
            # addressed to the reader, the recused member: « Votre organisation… »
            reason = str(READER_REASONS[Recusal.Reason(code)]) if code else None
        rows.append((item, reason, item.pk in voted))
    return rows
