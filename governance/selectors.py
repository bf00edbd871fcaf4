"""Reads on governance, always scoped to the user (a missing and a forbidden object: 404)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from pic.access import can, roles_of
from pic.models import User
from proposals.models import Program, Proposal, ProposalDocument
from proposals.states import AWAITING_RATIFICATION, DECIDABLE, RATIFIED_STATES, UNRATIFIED
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



def ratification_deadline(proposal: Proposal) -> datetime.date | None:
    if proposal.window_id is None:
        return None
    weeks = proposal.stage.program.ratification_weeks
    return proposal.window.deadline + datetime.timedelta(weeks=weeks)


AT_RISK_DAYS = 14


def committee_list(*, user: User) -> QuerySet[Committee]:
    committees = Committee.objects.all()
    if not roles_of(user).coordination:
        committees = committees.filter(
            pk__in=CommitteeMember.objects.current().filter(user=user).values("committee"))
    return committees.prefetch_related(
        Prefetch("members", queryset=CommitteeMember.objects.current()
                 .select_related("user", "organisation"), to_attr="current_members"))


def meeting_list(*, user: User) -> QuerySet[Meeting]:
    return (Meeting.objects.visible_to(user).select_related("committee")
            .annotate(item_count=Count("items")).order_by("-held_on", "-pk"))


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


@dataclass(frozen=True)
class MemberRow:
    member: CommitteeMember
    recusal: str | None
    recusal_details: str
    has_voted: bool
    choice: str | None  # shown only once the item is closed


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
            label, details = recorded.get_reason_display(), recorded.details
        else:
            reason = automatic_recusal(member, item.proposal)
            label, details = (Recusal.Reason(reason).label if reason else None), ""
        rows.append(MemberRow(member=member, recusal=label, recusal_details=details,
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


@dataclass(frozen=True)
class RatificationRow:
    proposal: Proposal
    deadline: datetime.date | None
    days_left: int | None

    @property
    def late(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def at_risk(self) -> bool:
        return self.days_left is not None and 0 <= self.days_left <= AT_RISK_DAYS

    @property
    def delay_label(self) -> str:
        """The time left, in words ("en retard de 1 646 jours", "il reste 7 jours"), in the
        active language; numbers grouped as the locale writes them."""
        if self.days_left is None:
            return ""
        days = abs(self.days_left)
        n = number_format(days, force_grouping=True)
        if self.days_left < 0:
            return ngettext("en retard de %(n)s jour", "en retard de %(n)s jours",
                            days) % {"n": n}
        if self.days_left == 0:
            return gettext("dernier jour")
        return ngettext("il reste %(n)s jour", "il reste %(n)s jours", days) % {"n": n}


def ratification_watchlist(*, user: User, today: datetime.date | None = None,
                           only_flagged: bool = False) -> list[RatificationRow]:
    """Files not yet ratified, with the eight-week limit counted from the window deadline."""
    if not can(user, "ratification.record"):
        return []
    today = today or timezone.localdate()
    pending = (Proposal.objects.visible_to(user)
               .filter(status__in=UNRATIFIED, window__isnull=False)
               .select_related("neighbourhood", "stage__program", "window"))
    rows = []
    for proposal in pending:
        deadline = ratification_deadline(proposal)
        days_left = (deadline - today).days if deadline else None
        row = RatificationRow(proposal=proposal, deadline=deadline, days_left=days_left)
        if not only_flagged or row.late or row.at_risk:
            rows.append(row)
    rows.sort(key=lambda r: (r.days_left is None, r.days_left))
    return rows


def letter_list(*, user: User) -> QuerySet[DecisionLetter]:
    return (DecisionLetter.objects.visible_to(user)
            .select_related("proposal__neighbourhood", "proposal__stage")
            .order_by("-created_at"))


def items_to_vote(*, user: User) -> QuerySet[AgendaItem]:
    """Open items on the user's committees' agendas."""
    return (AgendaItem.objects.visible_to(user).filter(status=AgendaItem.Status.OPEN)
            .filter(meeting__committee__in=CommitteeMember.objects.current().filter(user=user)
                    .values("committee"))
            .select_related("meeting__committee", "proposal__neighbourhood")
            .order_by("meeting__held_on", "position"))


def ratification_due_by(*, user: User, day: datetime.date,
                        programs: list[Program] | None = None) -> QuerySet[Proposal]:
    """Files still on the road to a ratification whose limit (`ratification_deadline`: the
    window's deadline plus the program's weeks) falls on or before `day`, as one SQL filter
    (per program, the window's deadline on or before `day` minus its weeks), soonest first.
    `programs`: the programs, when the caller has them already (else one more query)."""
    programs = list(Program.objects.all()) if programs is None else programs
    due = Q(pk__in=[])
    for program in programs:
        due |= Q(stage__program_id=program.pk,
                 window__deadline__lte=day - datetime.timedelta(weeks=program.ratification_weeks))
    return (Proposal.objects.visible_to(user)
            .filter(due, status__in=AWAITING_RATIFICATION, ratification__isnull=True)
            .select_related("neighbourhood", "stage__program", "window")
            .order_by("window__deadline", "pk"))


def open_items_with_recusal(*, user: User,
                            limit: int = 50) -> list[tuple[AgendaItem, str | None, bool]]:
    """The open items on the user's committees' agendas, each with the reason the user is
    recused from it (None when they may vote: `automatic_recusal` or a recorded recusal) and
    whether they voted. Four queries whatever the number of items."""
    items = list(items_to_vote(user=user)[:limit])
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
            if recusal is not None:
                reason = recusal.get_reason_display()
            else:
                automatic = automatic_recusal(member, item.proposal)
                reason = Recusal.Reason(automatic).label if automatic else None
        rows.append((item, reason, item.pk in voted))
    return rows
