"""The proposal's state machine: one table of allowed transitions, one function per transition.

Nothing else writes `Proposal.status`. Every function locks the row, checks who acts, checks
the transition against the table, writes, audits, and defers side effects to the commit.
The system (governance after a committee vote, commands, tasks, the demo) acts as
pic.access.SYSTEM; who may do a transition is the rule of its action "proposal.<name>".
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pic import access
from pic.audit import audit
from pic.models import User

from . import rules
from .models import Proposal
from .versions import version_freeze

S = Proposal.Status

# transition name -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((S.DRAFT,), S.SUBMITTED),
    "start_analysis": ((S.SUBMITTED, S.RESUBMITTED), S.IN_ANALYSIS),
    "request_changes": ((S.IN_ANALYSIS,), S.CHANGES_REQUESTED),
    "resubmit": ((S.CHANGES_REQUESTED,), S.RESUBMITTED),
    "recommend": ((S.IN_ANALYSIS, S.RESUBMITTED), S.RECOMMENDED),
    "not_recommend": ((S.IN_ANALYSIS, S.RESUBMITTED), S.NOT_RECOMMENDED),
    "ratify": ((S.RECOMMENDED,), S.RATIFIED),
    "mark_letter_sent": ((S.RATIFIED,), S.LETTER_SENT),
    "withdraw": ((S.DRAFT, S.SUBMITTED, S.IN_ANALYSIS, S.CHANGES_REQUESTED, S.RESUBMITTED),
                 S.WITHDRAWN),
}

# States in which the neighbourhood may edit the proposal.
EDITABLE_STATES = (S.DRAFT, S.CHANGES_REQUESTED)


class IllegalTransition(ValidationError):  # noqa: N818 - the domain's word
    """A transition the table does not allow from the proposal's current state."""

    def __init__(self, proposal: Proposal, transition: str):
        target = S(TRANSITIONS[transition][1]).label
        super().__init__(
            _("Impossible de passer la proposition « %(title)s » de l'état « %(current)s » à "
              "l'état « %(target)s ».")
            % {"title": proposal.title, "current": proposal.get_status_display(),
               "target": target},
            code="illegal_transition",
        )
        self.transition = transition


def allowed_transitions(status: str) -> list[str]:
    return [name for name, (sources, _target) in TRANSITIONS.items() if status in sources]


def _lock(proposal: Proposal) -> Proposal:
    return (Proposal.objects.select_for_update(of=("self",))
            .select_related("stage", "neighbourhood").get(pk=proposal.pk))


def _move(proposal: Proposal, transition: str, actor: User) -> tuple[Proposal, str | bool]:
    """Lock, check permission and the table; returns (proposal, moved). A repeat of a transition
    already done (a double click) changes nothing."""
    proposal = _lock(proposal)
    access.ensure(actor, f"proposal.{transition}", proposal)
    sources, target = TRANSITIONS[transition]
    if proposal.status == target:
        return proposal, False
    if proposal.status not in sources:
        raise IllegalTransition(proposal, transition)
    before = proposal.status
    proposal.status = target
    return proposal, before


def _finish(proposal: Proposal, actor: User, transition: str, before: str,
            fields: list[str], **details) -> Proposal:
    proposal.save(update_fields=["status", "updated_at", *fields])
    audit(actor, f"proposal.{transition}", proposal, before=before, after=proposal.status,
          **details)
    return proposal


def _send_receipt_on_commit(version_id: int) -> None:
    from .tasks import send_submission_receipt

    transaction.on_commit(lambda: send_submission_receipt.delay(version_id))


@transaction.atomic
def proposal_submit(*, proposal: Proposal, actor: User,
                    now: datetime.datetime | None = None) -> Proposal:
    """Submit a draft: every rule must pass; freezes version 1 (or the next) and emails a
    receipt. `now` defaults to the server time (the demo replays past windows with it)."""
    now = now or timezone.now()
    proposal, before = _move(proposal, "submit", actor)
    if before is False:
        return proposal
    errors = rules.submission_errors(proposal, now=now)
    if errors:
        raise ValidationError(errors)
    proposal.window = rules.open_window_for(stage=proposal.stage,
                                            neighbourhood_id=proposal.neighbourhood_id, now=now)
    proposal.submitted_at = now
    _finish(proposal, actor, "submit", before, ["window", "submitted_at"],
            window=proposal.window_id)
    version = version_freeze(proposal=proposal, actor=actor, now=now)
    _send_receipt_on_commit(version.pk)
    return proposal


@transaction.atomic
def proposal_start_analysis(*, proposal: Proposal, actor: User) -> Proposal:
    proposal, before = _move(proposal, "start_analysis", actor)
    if before is False:
        return proposal
    return _finish(proposal, actor, "start_analysis", before, [])


@transaction.atomic
def proposal_request_changes(*, proposal: Proposal, actor: User,
                             message: str = "") -> Proposal:
    proposal, before = _move(proposal, "request_changes", actor)
    if before is False:
        return proposal
    if not message.strip():
        raise ValidationError({"message": _("Précisez les modifications demandées.")})
    proposal.changes_requested_note = message.strip()
    return _finish(proposal, actor, "request_changes", before, ["changes_requested_note"],
                   message=message.strip())


@transaction.atomic
def proposal_resubmit(*, proposal: Proposal, actor: User,
                      now: datetime.datetime | None = None) -> Proposal:
    """Resubmit after changes were requested: every rule but the window (the proposal keeps the
    window it came in); freezes the next version and emails a receipt."""
    now = now or timezone.now()
    proposal, before = _move(proposal, "resubmit", actor)
    if before is False:
        return proposal
    errors = rules.submission_errors(proposal, now=now, check_window=False)
    if errors:
        raise ValidationError(errors)
    _finish(proposal, actor, "resubmit", before, [])
    version = version_freeze(proposal=proposal, actor=actor, now=now)
    _send_receipt_on_commit(version.pk)
    return proposal


@transaction.atomic
def proposal_recommend(*, proposal: Proposal, actor: User, **extra) -> Proposal:
    """The comité de gestion recommends the allocation (called by governance as SYSTEM)."""
    proposal, before = _move(proposal, "recommend", actor)
    if before is False:
        return proposal
    return _finish(proposal, actor, "recommend", before, [], **_jsonable(extra))


@transaction.atomic
def proposal_not_recommend(*, proposal: Proposal, actor: User, **extra) -> Proposal:
    proposal, before = _move(proposal, "not_recommend", actor)
    if before is False:
        return proposal
    return _finish(proposal, actor, "not_recommend", before, [], **_jsonable(extra))


@transaction.atomic
def proposal_ratify(*, proposal: Proposal, actor: User, **extra) -> Proposal:
    proposal, before = _move(proposal, "ratify", actor)
    if before is False:
        return proposal
    return _finish(proposal, actor, "ratify", before, [], **_jsonable(extra))


@transaction.atomic
def proposal_mark_letter_sent(*, proposal: Proposal, actor: User, **extra) -> Proposal:
    proposal, before = _move(proposal, "mark_letter_sent", actor)
    if before is False:
        return proposal
    return _finish(proposal, actor, "mark_letter_sent", before, [], **_jsonable(extra))


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, actor: User, reason: str = "") -> Proposal:
    """The neighbourhood withdraws its proposal, before a decision. Irreversible."""
    proposal, before = _move(proposal, "withdraw", actor)
    if before is False:
        return proposal
    return _finish(proposal, actor, "withdraw", before, [], reason=reason)


def _jsonable(extra: dict) -> dict:
    """Audit details must be JSON: model instances become their pk."""
    return {key: getattr(value, "pk", value) if hasattr(value, "pk") else value
            for key, value in extra.items()
            if isinstance(value, str | int | float | bool | type(None)) or hasattr(value, "pk")}


TRANSITION_FUNCTIONS = {
    "submit": proposal_submit,
    "start_analysis": proposal_start_analysis,
    "request_changes": proposal_request_changes,
    "resubmit": proposal_resubmit,
    "recommend": proposal_recommend,
    "not_recommend": proposal_not_recommend,
    "ratify": proposal_ratify,
    "mark_letter_sent": proposal_mark_letter_sent,
    "withdraw": proposal_withdraw,
}
