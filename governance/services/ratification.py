"""Ratification by the ratifying body; higher layers listen to it."""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from neighbourhoods.selectors import people_of
from pic import outbox
from pic.access import ensure, person
from pic.audit import audit
from pic.models import User
from pic.notifications import notify
from proposals import workflow
from proposals.models import Proposal

from ..models import (
    CommitteeMember,
    DecisionLetter,
    Ratification,
)
from .committees import ratifying_committee

# A higher layer that acts on a ratification (reporting makes the allocation) registers here;
# listeners run inside the ratification's transaction, so both happen or neither does.
_RATIFICATION_LISTENERS: list[Callable[..., object]] = []


def register_ratification_listener(listener: Callable[..., object]) -> None:
    if listener not in _RATIFICATION_LISTENERS:
        _RATIFICATION_LISTENERS.append(listener)


@transaction.atomic
def ratification_record(*, proposal: Proposal, ratified_on: datetime.date,
                        actor: User) -> Ratification:
    ensure(actor, "ratification.record", proposal)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    existing = Ratification.objects.filter(proposal=proposal).first()
    if existing is not None:
        return existing
    if ratified_on > timezone.localdate():
        raise ValidationError({"ratified_on": _("La date d'entérinement ne peut pas être dans "
                                                "le futur.")})
    committee = ratifying_committee(proposal.stage.program)
    ratification = Ratification.objects.create(proposal=proposal, committee=committee,
                                               ratified_on=ratified_on, recorded_by=person(actor))
    proposal = workflow.proposal_ratify(proposal=proposal, ratification=ratification,
                                        actor=actor)
    ratification.proposal = proposal
    audit(actor, "proposal.ratification_recorded", proposal, committee=committee.kind,
          ratified_on=ratified_on.isoformat())
    # The neighbourhood's people get the decision letter by email: the inbox only for them.
    notify("proposal.ratified", people_of(proposal.neighbourhood_id, members=True,
                                          advisors=True), proposal, actor=actor, email=False)
    notify("proposal.ratified", CommitteeMember.objects.current().filter(
        committee=committee).values_list("user_id", flat=True), proposal, actor=actor)
    for listener in _RATIFICATION_LISTENERS:
        listener(ratification=ratification, actor=actor)
    from ..tasks import send_decision_letter

    outbox.schedule(send_decision_letter, proposal.pk, DecisionLetter.Kind.ALLOCATION,
                    key=f"decision-letter:{proposal.pk}:allocation")
    return ratification
