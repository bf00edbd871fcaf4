"""Committee seats and the ratifying body."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from neighbourhoods.models import Invitation, Organisation
from pic.access import SYSTEM, ensure, forget_roles
from pic.audit import audit
from pic.models import User

from ..models import (
    Committee,
    CommitteeMember,
    ProgramGovernance,
)


@transaction.atomic
def committee_member_seat(
    *, committee: Committee, user: User, organisation: Organisation, actor: User,
    is_chair: bool = False, started_on: datetime.date | None = None,
) -> CommitteeMember:
    ensure(actor, "committee.seat", committee)
    seat = CommitteeMember.objects.filter(
        committee=committee, user=user, ended_on__isnull=True
    ).first()
    if seat is not None:
        return seat
    seat = CommitteeMember.objects.create(
        committee=committee, user=user, organisation=organisation, is_chair=is_chair,
        started_on=started_on or timezone.localdate(),
    )
    forget_roles(user)
    audit(actor, "committee.member_seated", seat, committee=committee.kind,
          organisation=organisation.name)
    return seat


@transaction.atomic
def committee_member_end(*, seat: CommitteeMember, actor: User,
                         ended_on: datetime.date | None = None) -> CommitteeMember:
    ensure(actor, "committee.seat", seat.committee)
    seat = CommitteeMember.objects.select_for_update().get(pk=seat.pk)
    if seat.ended_on is None:
        seat.ended_on = ended_on or timezone.localdate()
        seat.save(update_fields=["ended_on"])
        forget_roles(seat.user)
        audit(actor, "committee.member_left", seat)
    return seat


def accept_committee_seat_invitation(invitation: Invitation, user: User) -> None:
    committee = Committee.objects.filter(pk=invitation.target.get("committee")).first()
    if committee is None or invitation.organisation is None:
        raise ValidationError(_("Le comité ou l'organisation de cette invitation n'existe plus."))
    committee_member_seat(committee=committee, user=user, organisation=invitation.organisation,
                          is_chair=bool(invitation.target.get("is_chair")), actor=SYSTEM)


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
