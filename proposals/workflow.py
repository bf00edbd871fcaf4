"""The proposal's transitions, one function per transition, through the shared engine
(`pic.workflow`; the table and the groups of states are in `proposals.states`).

Nothing else writes `Proposal.status`. Every function locks the row, checks who acts, checks
the transition against the table, writes, audits, and defers side effects to the commit.
The system (governance after a committee vote, commands, tasks, the demo) acts as
pic.access.SYSTEM; who may do a transition is the rule of its action "proposal.<name>".
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from neighbourhoods.selectors import people_of
from pic import outbox
from pic.access import ensure
from pic.models import User
from pic.notifications import notify
from pic.workflow import IllegalTransition, WrongRoad, changes_requested

from . import rules
from .models import Proposal
from .states import EDITABLE_STATES, MACHINE, TRANSITIONS, allowed_transitions
from .versions import version_freeze

__all__ = ["EDITABLE_STATES", "TRANSITIONS", "IllegalTransition", "WrongRoad",
           "allowed_transitions"]

S = Proposal.Status


def _may(actor: User, transition: str):
    """Who may: the rule of the action "proposal.<transition>" (pic.access)."""
    return lambda proposal: ensure(actor, f"proposal.{transition}", proposal)


def _send_receipt_on_commit(version_id: int) -> None:
    from .tasks import send_submission_receipt

    outbox.schedule(send_submission_receipt, version_id, key=f"receipt:{version_id}")


def _tell(kind: str, proposal: Proposal, actor: User, **who: bool) -> None:
    """Notify the people of the proposal's neighbourhood; one event per version."""
    notify(kind, people_of(proposal.neighbourhood_id, **who), proposal, actor=actor,
           event=f"v{proposal.versions.count()}")


@transaction.atomic
def proposal_submit(*, proposal: Proposal, actor: User,
                    now: datetime.datetime | None = None) -> Proposal:
    """Submit a draft: every rule must pass; freezes version 1 (or the next) and emails a
    receipt. `now` defaults to the server time (the demo replays past windows with it)."""
    now = now or timezone.now()

    def prepare(locked: Proposal) -> dict:
        errors = rules.submission_errors(locked, now=now)
        if errors:
            raise ValidationError(errors)
        locked.window = rules.open_window_for(stage=locked.stage,
                                              neighbourhood_id=locked.neighbourhood_id, now=now)
        locked.submitted_at = now
        return {"window": locked.window_id}

    proposal, moved = MACHINE.move(proposal, "submit", actor=actor, ensure=_may(actor, "submit"),
                                   prepare=prepare, fields=["window", "submitted_at"])
    if moved:
        version = version_freeze(proposal=proposal, actor=actor, now=now)
        _send_receipt_on_commit(version.pk)
        _tell("proposal.submitted", proposal, actor, advisors=True)
    return proposal


@transaction.atomic
def proposal_start_analysis(*, proposal: Proposal, actor: User) -> Proposal:
    proposal, moved = MACHINE.move(proposal, "start_analysis", actor=actor,
                                   ensure=_may(actor, "start_analysis"), fields=[])
    if moved:
        _tell("analysis.started", proposal, actor, members=True)
    return proposal


@transaction.atomic
def proposal_request_changes(*, proposal: Proposal, actor: User,
                             message: str = "") -> Proposal:
    proposal, moved = MACHINE.move(proposal, "request_changes", actor=actor,
                                   ensure=_may(actor, "request_changes"),
                                   prepare=changes_requested(message),
                                   fields=["changes_requested_note"])
    if moved:
        _tell("proposal.changes_requested", proposal, actor, members=True)
    return proposal


@transaction.atomic
def proposal_resubmit(*, proposal: Proposal, actor: User,
                      now: datetime.datetime | None = None) -> Proposal:
    """Resubmit after changes were requested: every rule but the window (the proposal keeps the
    window it came in); freezes the next version and emails a receipt."""
    now = now or timezone.now()

    def prepare(locked: Proposal) -> None:
        errors = rules.submission_errors(locked, now=now, check_window=False)
        if errors:
            raise ValidationError(errors)

    proposal, moved = MACHINE.move(proposal, "resubmit", actor=actor,
                                   ensure=_may(actor, "resubmit"), prepare=prepare, fields=[])
    if moved:
        version = version_freeze(proposal=proposal, actor=actor, now=now)
        _send_receipt_on_commit(version.pk)
        _tell("proposal.resubmitted", proposal, actor, advisors=True)
    return proposal


@transaction.atomic
def proposal_recommend(*, proposal: Proposal, agenda_item, actor: User) -> Proposal:
    """The committee recommends the allocation: only `governance.services.item_close` calls
    this, with the agenda item whose vote it is closing."""
    return MACHINE.move(proposal, "recommend", actor=actor, ensure=_may(actor, "recommend"),
                        via=agenda_item, fields=[], agenda_item=agenda_item)[0]


@transaction.atomic
def proposal_not_recommend(*, proposal: Proposal, agenda_item, actor: User) -> Proposal:
    """The committee does not recommend: only `governance.services.item_close` calls this."""
    return MACHINE.move(proposal, "not_recommend", actor=actor, ensure=_may(actor, "not_recommend"),
                        via=agenda_item, fields=[], agenda_item=agenda_item)[0]


@transaction.atomic
def proposal_ratify(*, proposal: Proposal, ratification, actor: User) -> Proposal:
    """Only `governance.services.ratification_record` calls this, with its ratification."""
    return MACHINE.move(proposal, "ratify", actor=actor, ensure=_may(actor, "ratify"),
                        via=ratification, fields=[], ratification=ratification)[0]


@transaction.atomic
def proposal_mark_letter_sent(*, proposal: Proposal, actor: User, **extra) -> Proposal:
    return MACHINE.move(proposal, "mark_letter_sent", actor=actor,
                        ensure=_may(actor, "mark_letter_sent"), fields=[],
                        **_jsonable(extra))[0]


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, actor: User, reason: str = "") -> Proposal:
    """The neighbourhood withdraws its proposal, before a decision. Irreversible."""
    return MACHINE.move(proposal, "withdraw", actor=actor, ensure=_may(actor, "withdraw"),
                        fields=[], reason=reason)[0]


def _jsonable(extra: dict) -> dict:
    """Audit details must be JSON: scalars and model instances (their pk) only."""
    return {key: value for key, value in extra.items()
            if isinstance(value, str | int | float | bool | type(None)) or hasattr(value, "pk")}


# The transitions a person asks for from a page (and the demo, the tests, the commands):
# recommending and ratifying are not among them, they have their own road.
TRANSITION_FUNCTIONS = {
    "submit": proposal_submit,
    "start_analysis": proposal_start_analysis,
    "request_changes": proposal_request_changes,
    "resubmit": proposal_resubmit,
    "mark_letter_sent": proposal_mark_letter_sent,
    "withdraw": proposal_withdraw,
}
