"""The payment schedule of an allocation: each instalment planned → released → paid.

A release needs the payment condition (`allocations.payment_blockers`, the one place of that
rule), or a reason for the exception; paying records the instalment's disbursement
(`allocations.disbursement_record`, with its own checks). Coordination may move an unpaid
instalment's date or amount, with a reason (audited). Nothing else writes `Instalment.status`.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pic.access import ensure, person
from pic.audit import audit
from pic.models import User
from pic.workflow import Machine, Transition

from ..models import AllocationYear, Instalment
from .allocations import disbursement_record, payment_blockers

S = Instalment.Status

TRANSITIONS: dict[str, Transition] = {
    "release": Transition((S.PLANNED,), S.RELEASED),
    "pay": Transition((S.RELEASED,), S.PAID),
}
MACHINE = Machine(model=Instalment, transitions=TRANSITIONS, audit_prefix="instalment",
                  subject=lambda _instalment: _("le versement"),
                  related=("allocation_year__allocation",))


def allowed_transitions(status: str) -> list[str]:
    return MACHINE.allowed(status)


@transaction.atomic
def instalment_release(*, instalment: Instalment, actor: User,
                       released_on: datetime.date | None = None,
                       override_reason: str = "") -> Instalment:
    """Coordination releases an instalment for payment: only when its condition holds (the
    previous annual report accepted), or with the reason for the exception."""
    override_reason = (override_reason or "").strip()
    released_on = released_on or timezone.localdate()

    def prepare(row: Instalment) -> dict:
        blockers = payment_blockers(row.allocation_year)
        if blockers and not override_reason:
            raise ValidationError({"override_reason": [
                *blockers, _("Le versement ne peut pas être libéré : attendez, ou indiquez le "
                             "motif de la dérogation.")]})
        if released_on > timezone.localdate():
            raise ValidationError({"released_on": _("La date ne peut pas être dans le futur.")})
        row.released_on = released_on
        row.released_by = person(actor)
        row.override_reason = override_reason if blockers else ""
        return {"year": row.allocation_year.year_number, "number": row.number,
                "amount": str(row.amount), "override": bool(blockers),
                "override_reason": row.override_reason}

    instalment, _moved = MACHINE.move(
        instalment, "release", actor=actor,
        ensure=lambda row: ensure(actor, "instalment.release", row.allocation_year),
        prepare=prepare, fields=["released_on", "released_by", "override_reason"])
    return instalment


@transaction.atomic
def instalment_pay(*, instalment: Instalment, actor: User,
                   paid_on: datetime.date | None = None) -> Instalment:
    """Record that a released instalment was paid: its disbursement is recorded with it."""
    paid_on = paid_on or timezone.localdate()

    def prepare(row: Instalment) -> dict:
        row.disbursement = disbursement_record(
            allocation_year=row.allocation_year, amount=row.amount, paid_on=paid_on,
            actor=actor, override_reason=row.override_reason)
        return {"year": row.allocation_year.year_number, "number": row.number,
                "amount": str(row.amount), "paid_on": paid_on.isoformat()}

    instalment, _moved = MACHINE.move(
        instalment, "pay", actor=actor,
        ensure=lambda row: ensure(actor, "instalment.pay", row.allocation_year),
        prepare=prepare, fields=["disbursement"])
    return instalment


@transaction.atomic
def instalment_change(*, instalment: Instalment, actor: User, planned_on: datetime.date,
                      amount: Decimal, reason: str) -> Instalment:
    """Coordination moves an unpaid instalment's date or amount, saying why. The year's
    instalments never add up to more than the year's amount."""
    row = Instalment.objects.select_for_update(of=("self",)).select_related(
        "allocation_year__allocation").get(pk=instalment.pk)
    ensure(actor, "instalment.change", row.allocation_year)
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if row.status == S.PAID:
        raise ValidationError(_("Ce versement est fait : il ne se modifie plus."))
    if not reason:
        errors.setdefault("reason", []).append(_("Indiquez le motif de la modification."))
    if amount is None or amount <= 0:
        errors.setdefault("amount", []).append(_("Le montant doit être positif."))
    else:
        year = AllocationYear.objects.select_for_update(of=("self",)).get(
            pk=row.allocation_year_id)
        others = (Instalment.objects.filter(allocation_year=year).exclude(pk=row.pk)
                  .aggregate(total=Sum("amount"))["total"] or Decimal("0"))
        if others + amount > year.amount:
            errors.setdefault("amount", []).append(
                _("Les versements de l'année totaliseraient %(total)s $, plus que le montant "
                  "de l'année (%(year)s $).") % {"total": others + amount, "year": year.amount})
    if planned_on is None:
        errors.setdefault("planned_on", []).append(_("Indiquez la date prévue."))
    if errors:
        raise ValidationError(errors)
    before = {"planned_on": row.planned_on.isoformat(), "amount": str(row.amount)}
    row.planned_on, row.amount = planned_on, amount
    row.save(update_fields=["planned_on", "amount", "updated_at"])
    audit(actor, "instalment.changed", row.allocation_year.allocation,
          year=row.allocation_year.year_number, number=row.number, before=before,
          after={"planned_on": planned_on.isoformat(), "amount": str(amount)}, reason=reason)
    return row

