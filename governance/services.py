"""Writes on governance. Each change checks permission, writes in one transaction under a row
lock, audits, and defers side effects (tasks, email) to the commit."""

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from neighbourhoods.models import Invitation, Organisation, is_advisor, is_coordination
from neighbourhoods.services import ensure_coordination
from pic.audit import audit
from pic.models import User
from proposals import workflow
from proposals.models import PrerequisiteItem, Proposal

from .models import (
    AgendaItem,
    Analysis,
    AnalysisPrerequisite,
    AnalysisYear,
    Attendance,
    Committee,
    CommitteeMember,
    DecisionLetter,
    Meeting,
    MeetingMinutes,
    ProgramGovernance,
    QuorumRule,
    Ratification,
    Recusal,
    Vote,
)

# Proposals that may still be analysed and put on an agenda.
UNDECIDED = (
    Proposal.Status.SUBMITTED,
    Proposal.Status.IN_ANALYSIS,
    Proposal.Status.CHANGES_REQUESTED,
    Proposal.Status.RESUBMITTED,
)
PUBLISHED = (Proposal.Status.RATIFIED, Proposal.Status.LETTER_SENT)
# Proposals a committee may decide (the workflow recommends from these states).
DECIDABLE = (Proposal.Status.IN_ANALYSIS, Proposal.Status.RESUBMITTED)


# --- Committees ------------------------------------------------------------------------------


@transaction.atomic
def committee_member_seat(
    *, committee: Committee, user: User, organisation: Organisation, actor: User | None,
    is_chair: bool = False, started_on: datetime.date | None = None,
) -> CommitteeMember:
    ensure_coordination(actor)
    seat = CommitteeMember.objects.filter(
        committee=committee, user=user, ended_on__isnull=True
    ).first()
    if seat is not None:
        return seat
    seat = CommitteeMember.objects.create(
        committee=committee, user=user, organisation=organisation, is_chair=is_chair,
        started_on=started_on or timezone.localdate(),
    )
    audit(actor, "committee.member_seated", seat, committee=committee.kind,
          organisation=organisation.name)
    return seat


@transaction.atomic
def committee_member_end(*, seat: CommitteeMember, actor: User | None,
                         ended_on: datetime.date | None = None) -> CommitteeMember:
    ensure_coordination(actor)
    seat = CommitteeMember.objects.select_for_update().get(pk=seat.pk)
    if seat.ended_on is None:
        seat.ended_on = ended_on or timezone.localdate()
        seat.save(update_fields=["ended_on"])
        audit(actor, "committee.member_left", seat)
    return seat


def accept_committee_seat_invitation(invitation: Invitation, user: User) -> None:
    committee = Committee.objects.filter(pk=invitation.target.get("committee")).first()
    if committee is None or invitation.organisation is None:
        raise ValidationError(_("Le comité ou l'organisation de cette invitation n'existe plus."))
    committee_member_seat(committee=committee, user=user, organisation=invitation.organisation,
                          is_chair=bool(invitation.target.get("is_chair")), actor=None)


def ratifying_committee(program) -> Committee:
    """The body that ratifies the program's decisions: configured, else the partners'."""
    setting = ProgramGovernance.objects.filter(program=program).select_related(
        "ratifying_committee").first()
    if setting is not None:
        return setting.ratifying_committee
    committee, _created = Committee.objects.get_or_create(
        kind=Committee.Kind.PARTENAIRES, defaults={"name": _("Comité des partenaires")}
    )
    return committee


# --- Analysis --------------------------------------------------------------------------------


def can_write_analysis(user: User, proposal: Proposal) -> bool:
    if is_coordination(user):
        return True
    return is_advisor(user) and Proposal.objects.visible_to(user).filter(pk=proposal.pk).exists()


@transaction.atomic
def analysis_save(
    *, proposal: Proposal, actor: User, needs_and_context: str, conditions: str,
    capacity_building_amount: Decimal, prerequisites: dict[int, tuple[bool, str]],
    yearly_amounts: dict[int, Decimal],
) -> Analysis:
    """Create or update the analysis: `prerequisites` maps a PrerequisiteItem id to
    (met, comment); `yearly_amounts` maps a year number to the recommended amount."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not can_write_analysis(actor, proposal):
        raise PermissionDenied(_("Seul·e la conseillère ou le conseiller du quartier, ou "
                                 "l'équipe de coordination, rédige l'analyse."))
    if proposal.status not in UNDECIDED:
        raise ValidationError(_("La décision sur cette proposition est prise : son analyse ne "
                                "change plus."))
    known = set(PrerequisiteItem.objects.filter(stage=proposal.stage_id).values_list("pk",
                                                                                      flat=True))
    errors = {}
    if set(prerequisites) - known:
        errors["__all__"] = _("Un préalable ne fait pas partie de l'étape de la proposition.")
    stage = proposal.stage
    for year, amount in yearly_amounts.items():
        if year < 1 or year > stage.max_duration_years:
            errors.setdefault("__all__", _("L'année %(year)s dépasse la durée de l'étape.")
                              % {"year": year})
        elif amount is not None and amount > stage.max_yearly_amount:
            errors[f"year_{year}"] = _("Le montant dépasse le maximum annuel de l'étape.")
    if capacity_building_amount > stage.capacity_building_amount > 0:
        errors["capacity_building_amount"] = _(
            "Le montant dépasse celui réservé au renforcement des compétences pour l'étape.")
    if errors:
        raise ValidationError(errors)
    analysis, created = Analysis.objects.get_or_create(proposal=proposal,
                                                       defaults={"author": actor})
    analysis.author = actor
    analysis.needs_and_context = needs_and_context
    analysis.conditions = conditions
    analysis.capacity_building_amount = capacity_building_amount
    analysis.save()
    for item_id, (met, comment) in prerequisites.items():
        AnalysisPrerequisite.objects.update_or_create(
            analysis=analysis, prerequisite_id=item_id,
            defaults={"met": met, "comment": comment},
        )
    analysis.years.exclude(year_number__in=list(yearly_amounts)).delete()
    for year, amount in yearly_amounts.items():
        AnalysisYear.objects.update_or_create(analysis=analysis, year_number=year,
                                              defaults={"amount": amount})
    audit(actor, "analysis.created" if created else "analysis.updated", analysis,
          proposal=proposal.pk,
          prerequisites_met=sum(1 for met, _c in prerequisites.values() if met),
          yearly_amounts={str(k): str(v) for k, v in yearly_amounts.items()},
          capacity_building_amount=str(capacity_building_amount))
    return analysis


# --- Meetings and agenda ---------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *, committee: Committee, title: str, held_on: datetime.date, actor: User | None,
    location: str = "", quorum_rule: str = "",
) -> Meeting:
    ensure_coordination(actor)
    meeting = Meeting.objects.create(committee=committee, title=title, held_on=held_on,
                                     location=location, quorum_rule=quorum_rule)
    audit(actor, "meeting.created", meeting, committee=committee.kind,
          held_on=held_on.isoformat())
    return meeting


@transaction.atomic
def agenda_item_add(*, meeting: Meeting, proposal: Proposal, actor: User | None) -> AgendaItem:
    ensure_coordination(actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    existing = AgendaItem.objects.filter(meeting=meeting, proposal=proposal).first()
    if existing is not None:
        return existing
    if proposal.status not in DECIDABLE:
        raise ValidationError(
            {"proposal": _("Seule une proposition en analyse et pas encore décidée peut être "
                           "inscrite à l'ordre du jour.")})
    position = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = AgendaItem.objects.create(meeting=meeting, proposal=proposal, position=position)
    recusals_record_automatic(item=item)
    audit(actor, "agenda_item.added", item, meeting=meeting.pk, proposal=proposal.pk)
    return item


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


def recusals_record_automatic(*, item: AgendaItem) -> None:
    """Write the automatic recusals of the committee's current members (idempotent)."""
    proposal = Proposal.objects.select_related("neighbourhood").get(pk=item.proposal_id)
    already = set(item.recusals.values_list("member_id", flat=True))
    members = (CommitteeMember.objects.current().select_related("organisation")
               .filter(committee_id=item.meeting.committee_id).exclude(pk__in=already))
    for member in members:
        reason = automatic_recusal(member, proposal)
        if reason is not None:
            Recusal.objects.create(item=item, member=member, reason=reason)
            audit(None, "recusal.recorded", item, member=member.pk, reason=reason)


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


@transaction.atomic
def attendance_set(*, meeting: Meeting, present: list[CommitteeMember], actor: User) -> None:
    """Record who is present. A member who has voted on an open item stays present."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    chair = CommitteeMember.objects.current().filter(
        committee_id=meeting.committee_id, user=actor, is_chair=True).exists()
    if not (chair or is_coordination(actor)):
        raise PermissionDenied(_("Seule la présidence ou l'équipe de coordination note les "
                                 "présences."))
    wanted = {m.pk for m in present}
    if any(m.committee_id != meeting.committee_id for m in present):
        raise ValidationError(_("Une de ces personnes ne siège pas à ce comité."))
    voted = set(Vote.objects.filter(item__meeting=meeting).values_list("member_id", flat=True))
    current = set(meeting.attendances.values_list("member_id", flat=True))
    removed = current - wanted - voted
    added = wanted - current
    Attendance.objects.filter(meeting=meeting, member_id__in=removed).delete()
    Attendance.objects.bulk_create([Attendance(meeting=meeting, member_id=pk) for pk in added])
    if added or removed:
        audit(actor, "meeting.attendance", meeting, added=sorted(added), removed=sorted(removed))


# --- Quorum and results ----------------------------------------------------------------------


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


# --- Votes and recusals ----------------------------------------------------------------------


def _lock_item(item: AgendaItem) -> AgendaItem:
    """Lock the item row: every vote, recusal and closing on the item goes through it."""
    return (AgendaItem.objects.select_for_update(of=("self",))
            .select_related("meeting__committee", "proposal__neighbourhood")
            .get(pk=item.pk))


def _ensure_open(item: AgendaItem) -> None:
    if item.is_closed:
        raise ValidationError(_("Ce point est fermé : son résultat ne change plus."))


@transaction.atomic
def vote_cast(*, item: AgendaItem, actor: User, choice: str) -> Vote:
    item = _lock_item(item)
    _ensure_open(item)
    if choice not in Vote.Choice.values:
        raise ValidationError({"choice": _("Choisissez pour, contre ou abstention.")})
    seat = seat_for(item, actor)
    if seat is None:
        raise PermissionDenied(_("Vous ne siégez pas au comité qui décide ce point."))
    recused = recusal_reason(item, seat)
    if recused is not None:
        raise PermissionDenied(_("Vous êtes récusé·e de ce vote : %(reason)s.")
                               % {"reason": recused[0]})
    vote = Vote.objects.filter(item=item, member=seat).first()
    if vote is None:
        vote = Vote.objects.create(item=item, member=seat, choice=choice)
        audit(actor, "vote.cast", item, member=seat.pk, choice=choice)
    elif vote.choice != choice:
        previous = vote.choice
        vote.choice = choice
        vote.save(update_fields=["choice", "updated_at"])
        audit(actor, "vote.changed", item, member=seat.pk, choice=choice, previous=previous)
    # A member who votes takes part in the meeting.
    Attendance.objects.get_or_create(meeting_id=item.meeting_id, member=seat)
    return vote


@transaction.atomic
def recusal_declare(*, item: AgendaItem, actor: User, details: str) -> Recusal:
    """A member declares a conflict of interest on one item. Their vote, if they had cast one,
    is withdrawn in the same transaction (the audit log keeps it): never both."""
    item = _lock_item(item)
    _ensure_open(item)
    seat = seat_for(item, actor)
    if seat is None:
        raise PermissionDenied(_("Vous ne siégez pas au comité qui décide ce point."))
    existing = Recusal.objects.filter(item=item, member=seat).first()
    if existing is not None:
        return existing
    details = (details or "").strip()
    if not details:
        raise ValidationError({"details": _("Précisez la nature du conflit d'intérêts.")})
    recusal = Recusal.objects.create(item=item, member=seat, reason=Recusal.Reason.CONFLICT,
                                     details=details, created_by=actor)
    audit(actor, "recusal.declared", item, member=seat.pk, details=details)
    withdrawn = Vote.objects.filter(item=item, member=seat).first()
    if withdrawn is not None:
        withdrawn.delete()
        audit(actor, "vote.withdrawn", item, member=seat.pk, choice=withdrawn.choice,
              because="recusal")
    return recusal


@transaction.atomic
def item_close(*, item: AgendaItem, actor: User, reasons: str = "") -> AgendaItem:
    item = _lock_item(item)
    if item.is_closed:
        return item
    if not (is_chair(item, actor) or is_coordination(actor)):
        raise PermissionDenied(_("Seule la présidence du comité ferme le vote."))
    recusals_record_automatic(item=item)
    tally = item_tally(item)
    if not tally.quorum_met:
        raise ValidationError(
            _("Quorum non atteint : %(present)s membre(s) admissible(s) présent(s) sur "
              "%(eligible)s, il en faut %(needed)s.")
            % {"present": tally.present, "eligible": tally.eligible,
               "needed": tally.quorum_needed})
    if tally.adopted:
        item.result = AgendaItem.Result.RECOMMENDED
        workflow.proposal_recommend(proposal=item.proposal, actor=None, agenda_item=item.pk)
    else:
        item.result = AgendaItem.Result.NOT_RECOMMENDED
        workflow.proposal_not_recommend(proposal=item.proposal, actor=None,
                                        agenda_item=item.pk)
    item.status = AgendaItem.Status.CLOSED
    item.reasons = reasons.strip()
    item.votes_for, item.votes_against = tally.votes_for, tally.votes_against
    item.votes_abstain = tally.votes_abstain
    item.eligible_count, item.present_count = tally.eligible, tally.present
    item.closed_at, item.closed_by = timezone.now(), actor
    item.save()
    audit(actor, "agenda_item.closed", item, result=item.result, votes_for=tally.votes_for,
          votes_against=tally.votes_against, votes_abstain=tally.votes_abstain,
          eligible=tally.eligible, present=tally.present, quorum_needed=tally.quorum_needed)
    return item


def vote_reminder_send(*, item: AgendaItem, actor: User) -> int:
    """The chair reminds the eligible members who have not voted yet; returns how many."""
    if not (is_chair(item, actor) or is_coordination(actor)):
        raise PermissionDenied(_("Seule la présidence du comité envoie les rappels."))
    if item.is_closed:
        raise ValidationError(_("Ce point est fermé."))
    from .tasks import send_vote_reminders

    user_ids = list(eligible_members(item).exclude(
        pk__in=Vote.objects.filter(item=item).values("member")).values_list("user_id",
                                                                             flat=True))
    if user_ids:
        audit(actor, "vote.reminder_sent", item, recipients=len(user_ids))
        transaction.on_commit(lambda: send_vote_reminders.delay(item.pk, user_ids))
    return len(user_ids)


# --- Ratification and the eight-week limit ---------------------------------------------------


# A higher layer that acts on a ratification (reporting makes the allocation) registers here;
# listeners run inside the ratification's transaction, so both happen or neither does.
_RATIFICATION_LISTENERS: list[Callable[..., object]] = []


def register_ratification_listener(listener: Callable[..., object]) -> None:
    if listener not in _RATIFICATION_LISTENERS:
        _RATIFICATION_LISTENERS.append(listener)


@transaction.atomic
def ratification_record(*, proposal: Proposal, ratified_on: datetime.date,
                        actor: User | None) -> Ratification:
    ensure_coordination(actor)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    existing = Ratification.objects.filter(proposal=proposal).first()
    if existing is not None:
        return existing
    if ratified_on > timezone.localdate():
        raise ValidationError({"ratified_on": _("La date d'entérinement ne peut pas être dans "
                                                "le futur.")})
    committee = ratifying_committee(proposal.stage.program)
    proposal = workflow.proposal_ratify(proposal=proposal, actor=actor)
    ratification = Ratification.objects.create(proposal=proposal, committee=committee,
                                               ratified_on=ratified_on, recorded_by=actor)
    audit(actor, "proposal.ratification_recorded", proposal, committee=committee.kind,
          ratified_on=ratified_on.isoformat())
    for listener in _RATIFICATION_LISTENERS:
        listener(ratification=ratification, actor=actor)
    from .tasks import send_decision_letter

    transaction.on_commit(
        lambda: send_decision_letter.delay(proposal.pk, DecisionLetter.Kind.ALLOCATION))
    return ratification


def ratification_deadline(proposal: Proposal) -> datetime.date | None:
    if proposal.window_id is None:
        return None
    weeks = proposal.stage.program.ratification_weeks
    return proposal.window.deadline + datetime.timedelta(weeks=weeks)


@transaction.atomic
def refusal_letter_request(*, proposal: Proposal, actor: User | None) -> None:
    ensure_coordination(actor)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Proposal.Status.NOT_RECOMMENDED:
        raise ValidationError(_("Une lettre de refus suit une proposition non recommandée."))
    from .tasks import send_decision_letter

    audit(actor, "letter.refusal_requested", proposal)
    transaction.on_commit(
        lambda: send_decision_letter.delay(proposal.pk, DecisionLetter.Kind.REFUSAL))


# --- Letters ---------------------------------------------------------------------------------


def _letter_allowed(proposal: Proposal, kind: str) -> bool:
    if kind == DecisionLetter.Kind.ALLOCATION:
        return proposal.status in PUBLISHED
    return proposal.status == Proposal.Status.NOT_RECOMMENDED


def letter_issue(*, proposal: Proposal, kind: str, actor: User | None,
                 regenerate: bool = False) -> DecisionLetter | None:
    """Render, store and email the decision letter, once. Under the proposal's row lock, a
    duplicated or retried call finds the letter (and its sent email) and does nothing; only
    `regenerate=True` (coordination staff) makes a new version, kept beside the old one."""
    from .letters import letter_email, letter_render

    if regenerate:
        ensure_coordination(actor)
    written = []  # files stored by this call, removed if its transaction fails
    try:
        with transaction.atomic():
            proposal = (Proposal.objects.select_for_update(of=("self",))
                        .select_related("neighbourhood", "stage__program", "initiative",
                                        "window").get(pk=proposal.pk))
            latest = (DecisionLetter.objects.filter(proposal=proposal, kind=kind)
                      .order_by("-version").first())
            if latest is None or regenerate:
                if not _letter_allowed(proposal, kind):
                    if regenerate:
                        raise ValidationError(
                            _("Aucune décision publiée à confirmer par lettre."))
                    return None
                pdf, language = letter_render(proposal, kind)
                digest = hashlib.sha256(pdf).hexdigest()
                version = (latest.version + 1) if latest else 1
                letter = DecisionLetter(proposal=proposal, kind=kind, version=version,
                                        language=language, sha256=digest, created_by=actor)
                letter.file.save(f"{proposal.pk}-{kind}-v{version}.pdf", ContentFile(pdf),
                                 save=False)
                written.append(letter.file)
                letter.save()
                audit(actor, "letter.generated", proposal, kind=kind, version=version,
                      sha256=digest)
            else:
                letter = latest
            if letter.emailed_at is None:
                letter_email(letter)
                letter.emailed_at = timezone.now()
                letter.save(update_fields=["emailed_at"])
                audit(actor, "letter.emailed", proposal, kind=kind, version=letter.version)
            if (kind == DecisionLetter.Kind.ALLOCATION
                    and proposal.status == Proposal.Status.RATIFIED):
                workflow.proposal_mark_letter_sent(proposal=proposal, actor=None,
                                                      letter=letter.pk)
    except BaseException:
        # The row is rolled back (an email that failed, a lost lock…): so is its file, and a
        # retry starts again from a clean slate.
        for file in written:
            file.storage.delete(file.name)
        raise
    return letter


@transaction.atomic
def minutes_generate(*, meeting: Meeting, actor: User | None) -> MeetingMinutes:
    from .letters import minutes_render

    ensure_coordination(actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    pdf = minutes_render(meeting)
    digest = hashlib.sha256(pdf).hexdigest()
    version = (meeting.minutes.aggregate(m=Max("version"))["m"] or 0) + 1
    minutes = MeetingMinutes(meeting=meeting, version=version, sha256=digest, created_by=actor)
    minutes.file.save(f"{meeting.pk}-minutes-v{version}.pdf", ContentFile(pdf), save=False)
    try:
        minutes.save()
        audit(actor, "meeting.minutes_generated", meeting, version=version, sha256=digest)
    except BaseException:
        minutes.file.storage.delete(minutes.file.name)  # no file without its row
        raise
    return minutes


def minutes_request(*, meeting: Meeting, actor: User) -> None:
    """Staff only: the minutes are rendered by a task (with its time limits), on commit."""
    ensure_coordination(actor)
    from .tasks import generate_minutes

    transaction.on_commit(lambda: generate_minutes.delay(meeting.pk, actor.pk))
