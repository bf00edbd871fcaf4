"""Votes, declared conflicts, the close of a vote and vote reminders. Every write on an
item goes through its row lock."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from neighbourhoods.selectors import people_of
from pic.access import SYSTEM, ensure, person
from pic.audit import audit
from pic.models import User
from pic.notifications import notify
from pic.workflow import Machine, Transition
from proposals import workflow

from ..agenda_sources import agenda_source
from ..models import (
    AgendaItem,
    Attendance,
    Recusal,
    Vote,
)
from ..selectors import (
    eligible_members,
    item_tally,
    recusal_reason_for_reader,
    seat_for,
)
from .agendas import recusals_record_automatic


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
    ensure(actor, "vote.cast", item)
    seat = seat_for(item, actor)
    recused = recusal_reason_for_reader(item, seat)
    if recused is not None:
        raise PermissionDenied(_("Vous êtes récusé·e de ce vote. %(reason)s")
                               % {"reason": recused})
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
    ensure(actor, "recusal.declare", item)
    seat = seat_for(item, actor)
    existing = Recusal.objects.filter(item=item, member=seat).first()
    if existing is not None:
        return existing
    details = (details or "").strip()
    if not details:
        raise ValidationError({"details": _("Précisez la nature du conflit d'intérêts.")})
    recusal = Recusal.objects.create(item=item, member=seat, reason=Recusal.Reason.CONFLICT,
                                     details=details, created_by=person(actor))
    audit(actor, "recusal.declared", item, member=seat.pk, details=details)
    withdrawn = Vote.objects.filter(item=item, member=seat).first()
    if withdrawn is not None:
        withdrawn.delete()
        audit(actor, "vote.withdrawn", item, member=seat.pk, choice=withdrawn.choice,
              because="recusal")
    return recusal


ITEM_MACHINE = Machine(
    model=AgendaItem, audit_prefix="agenda_item",
    transitions={"close": Transition((AgendaItem.Status.OPEN,), AgendaItem.Status.CLOSED,
                                     verb="agenda_item.closed")},
    subject=lambda item: _("le point « %(item)s »") % {"item": item},
    related=("meeting__committee", "proposal__neighbourhood"),
)


@transaction.atomic
def item_close(*, item: AgendaItem, actor: User, reasons: str = "") -> AgendaItem:
    """The chair closes the vote: the result is final, and the proposal becomes recommended
    or not (the one road to that decision); an item of another kind (an amendment) is
    approved or refused and its source acts on it, the proposal's state unchanged."""

    def check(locked: AgendaItem) -> None:
        if locked.is_closed:
            return  # a double click: the engine returns the item unchanged
        ensure(actor, "vote.close", locked)

    def prepare(locked: AgendaItem) -> dict:
        recusals_record_automatic(item=locked)
        tally = item_tally(locked)
        if not tally.quorum_met:
            raise ValidationError(
                ngettext("Quorum non atteint : %(present)s membre admissible présent sur "
                         "%(eligible)s, il en faut %(needed)s.",
                         "Quorum non atteint : %(present)s membres admissibles présents sur "
                         "%(eligible)s, il en faut %(needed)s.", tally.present)
                % {"present": tally.present, "eligible": tally.eligible,
                   "needed": tally.quorum_needed})
        locked.reasons = reasons.strip()
        if not locked.is_allocation:
            # Another kind of decision on a ratified file (an amendment): the proposal's
            # state does not move; the source acts on the result in this transaction.
            locked.result = (AgendaItem.Result.APPROVED if tally.adopted
                             else AgendaItem.Result.REFUSED)
            agenda_source(locked.kind).decide(item=locked, actor=actor)
        elif tally.adopted:
            locked.result = AgendaItem.Result.RECOMMENDED
            workflow.proposal_recommend(proposal=locked.proposal, agenda_item=locked,
                                        actor=SYSTEM)
        else:
            locked.result = AgendaItem.Result.NOT_RECOMMENDED
            workflow.proposal_not_recommend(proposal=locked.proposal, agenda_item=locked,
                                            actor=SYSTEM)
        locked.votes_for, locked.votes_against = tally.votes_for, tally.votes_against
        locked.votes_abstain = tally.votes_abstain
        locked.eligible_count, locked.present_count = tally.eligible, tally.present
        locked.closed_at, locked.closed_by = timezone.now(), person(actor)
        return {"result": locked.result, "votes_for": tally.votes_for,
                "votes_against": tally.votes_against, "votes_abstain": tally.votes_abstain,
                "eligible": tally.eligible, "present": tally.present,
                "quorum_needed": tally.quorum_needed}

    item, moved = ITEM_MACHINE.move(item, "close", actor=actor, ensure=check, prepare=prepare)
    if moved and item.is_allocation:
        proposal = item.proposal
        notify("recommendation.recorded",
               people_of(proposal.neighbourhood_id, members=True, advisors=True,
                         coordination=True), proposal, actor=actor, event=f"item{item.pk}")
    return item


def vote_reminder_send(*, item: AgendaItem, actor: User) -> int:
    """The chair reminds the eligible members who have not voted yet; returns how many."""
    ensure(actor, "vote.remind", item)
    if item.is_closed:
        raise ValidationError(_("Ce point est fermé."))

    user_ids = list(eligible_members(item).exclude(
        pk__in=Vote.objects.filter(item=item).values("member")).values_list("user_id",
                                                                             flat=True))
    if user_ids:
        event = audit(actor, "vote.reminder_sent", item, recipients=len(user_ids))
        notify("vote.closing_soon", user_ids, item, actor=actor, event=f"reminder{event.pk}",
               tell_actor=True)
    return len(user_ids)


def votes_closing_soon_notify(*, today: datetime.date | None = None) -> int:
    """Daily: the eligible members who have not voted on an open item whose meeting is
    tomorrow are told their vote is expected (once per item and day). Returns how many."""
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    told = 0
    items = AgendaItem.objects.filter(status=AgendaItem.Status.OPEN,
                                      meeting__held_on=tomorrow).select_related(
        "meeting", "proposal__neighbourhood")
    for item in items:
        waiting = eligible_members(item).exclude(
            pk__in=Vote.objects.filter(item=item).values("member")).values_list("user_id",
                                                                                 flat=True)
        with transaction.atomic():
            told += len(notify("vote.closing_soon", waiting, item, actor=SYSTEM,
                               event=f"eve-{tomorrow.isoformat()}"))
    return told
