"""Allocations: made from a ratified decision; disbursements against them; envelopes.

Entry points for other layers: `allocation_create_for_ratification` (governance's ratification
hook calls it; the daily reconciliation task catches any ratification it missed).
"""

import datetime
import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Analysis, Ratification
from neighbourhoods.selectors import people_of
from pic.access import SYSTEM, ensure, person
from pic.audit import audit
from pic.models import User
from pic.notifications import notify
from proposals.models import Program, Proposal
from proposals.states import RATIFIED_STATES

from ..dates import add_months, first_of_next_month, year_bounds
from ..models import (
    Allocation,
    AllocationYear,
    CheckIn,
    Disbursement,
    ProgramEnvelope,
    Report,
    ReportingConfig,
)

logger = logging.getLogger(__name__)


def config_for(program: Program) -> ReportingConfig:
    """The program's follow-up numbers (defaults until staff change them)."""
    config = getattr(program, "_reporting_config_cache", None)
    if config is None:
        config = ReportingConfig.objects.filter(program=program).first() or ReportingConfig(
            program=program)
        program._reporting_config_cache = config
    return config


def decided_amounts(proposal: Proposal) -> tuple[list[Decimal], Decimal]:
    """(yearly amounts, capacity-building amount) as decided: the governance analysis's
    recommended amounts, or the requested ones when there is no analysis with amounts."""
    analysis = Analysis.objects.filter(proposal=proposal).prefetch_related("years").first()
    if analysis is not None:
        years = sorted(analysis.years.all(), key=lambda y: y.year_number)
        if years:
            return [y.amount for y in years], analysis.capacity_building_amount
    years = list(proposal.years.order_by("year_number"))
    capacity = (analysis.capacity_building_amount if analysis is not None
                else proposal.capacity_building_amount)
    return [y.amount for y in years], capacity


def allocation_start(ratified_on: datetime.date) -> datetime.date:
    """An allocation starts on the first day of the month after its ratification."""
    return first_of_next_month(ratified_on)


@transaction.atomic
def allocation_create_for_ratification(*, ratification: Ratification,
                                       actor: User) -> Allocation:
    """The allocation of a ratified proposal, made once (a second call returns the first)."""
    return allocation_create(proposal=ratification.proposal,
                             ratified_on=ratification.ratified_on, actor=actor)


@transaction.atomic
def allocation_create(*, proposal: Proposal, ratified_on: datetime.date, actor: User,
                      starts_on: datetime.date | None = None) -> Allocation:
    """Years, amounts, check-ins and reports of a ratified proposal's allocation.
    `starts_on` defaults to the first of the month after ratification."""
    ensure(actor, "allocation.create", proposal)
    proposal = Proposal.objects.select_for_update(of=("self",)).select_related(
        "stage__program").get(pk=proposal.pk)
    existing = Allocation.objects.filter(proposal=proposal).first()
    if existing is not None:
        return existing
    if proposal.status not in RATIFIED_STATES:
        raise ValidationError(_("Seule une proposition entérinée reçoit une allocation."))
    amounts, capacity = decided_amounts(proposal)
    if not amounts:
        raise ValidationError(_("La proposition n'a aucun montant annuel."))
    start = starts_on or allocation_start(ratified_on)
    config = config_for(proposal.stage.program)
    allocation = Allocation.objects.create(
        proposal=proposal, neighbourhood_id=proposal.neighbourhood_id,
        initiative_id=proposal.initiative_id, stage=proposal.stage, ratified_on=ratified_on,
        starts_on=start, ends_on=year_bounds(start, len(amounts))[1],
        capacity_building_amount=capacity)
    for number, amount in enumerate(amounts, start=1):
        first, last = year_bounds(start, number)
        year = AllocationYear.objects.create(allocation=allocation, year_number=number,
                                             starts_on=first, ends_on=last, amount=amount)
        CheckIn.objects.create(allocation_year=year,
                               due_on=add_months(first, config.checkin_months))
        Report.objects.create(
            allocation=allocation, allocation_year=year, kind=Report.Kind.ANNUAL,
            due_on=last + datetime.timedelta(days=config.annual_report_delay_days))
    Report.objects.create(
        allocation=allocation, kind=Report.Kind.FINAL,
        due_on=allocation.ends_on + datetime.timedelta(days=config.final_report_delay_days))
    audit(actor, "allocation.created", allocation, proposal=proposal.pk,
          starts_on=start.isoformat(), amounts=[str(a) for a in amounts],
          capacity_building_amount=str(capacity))
    return allocation


def allocations_reconcile(*, actor: User = SYSTEM) -> list[Allocation]:
    """Allocations for every ratification that has none, each in its own transaction; one
    that cannot be made (e.g. no yearly amount) is logged and the others still are."""
    missing = Ratification.objects.filter(proposal__allocation__isnull=True).select_related(
        "proposal").order_by("pk")
    made = []
    for ratification in missing:
        try:
            made.append(allocation_create_for_ratification(ratification=ratification,
                                                           actor=actor))
        except ValidationError as error:
            logger.warning("No allocation for ratified proposal %s: %s",
                           ratification.proposal_id, "; ".join(error.messages))
    return made


# --- Disbursements ----------------------------------------------------------------------------


def previous_report_accepted(year: AllocationYear) -> bool:
    if year.year_number <= 1:
        return True
    return Report.objects.filter(
        allocation_id=year.allocation_id, kind=Report.Kind.ANNUAL,
        allocation_year__year_number=year.year_number - 1, status=Report.Status.ACCEPTED,
    ).exists()


@transaction.atomic
def disbursement_record(*, allocation_year: AllocationYear, amount: Decimal,
                        paid_on: datetime.date, actor: User,
                        override_reason: str = "") -> Disbursement:
    """Staff record a payment. A year's payment needs the previous year's annual report
    accepted, unless a reason for the exception is given (it is recorded)."""
    ensure(actor, "allocation.disburse", allocation_year)
    year = AllocationYear.objects.select_for_update(of=("self",)).select_related("allocation").get(
        pk=allocation_year.pk)
    errors: dict[str, list[str]] = {}
    if amount is None or amount <= 0:
        errors.setdefault("amount", []).append(_("Le montant doit être positif."))
    else:
        paid = year.disbursements.aggregate(total=Sum("amount"))["total"] or Decimal("0")
        if paid + amount > year.amount:
            errors.setdefault("amount", []).append(
                _("Ce versement dépasse le montant de l'année : %(paid)s $ déjà versés sur "
                  "%(total)s $.") % {"paid": paid, "total": year.amount})
    if paid_on > timezone.localdate():
        errors.setdefault("paid_on", []).append(_("La date ne peut pas être dans le futur."))
    override_reason = (override_reason or "").strip()
    compliant = previous_report_accepted(year)
    if not compliant and not override_reason:
        errors.setdefault("override_reason", []).append(
            _("Le rapport annuel de l'année %(n)s n'est pas accepté : indiquez le motif de la "
              "dérogation pour verser quand même.") % {"n": year.year_number - 1})
    if errors:
        raise ValidationError(errors)
    disbursement = Disbursement.objects.create(
        allocation_year=year, amount=amount, paid_on=paid_on,
        override_reason="" if compliant else override_reason, recorded_by=person(actor))
    audit(actor, "disbursement.recorded", year.allocation, year=year.year_number,
          amount=str(amount), paid_on=paid_on.isoformat(), override=not compliant,
          override_reason=disbursement.override_reason)
    notify("payment.recorded", people_of(year.allocation.neighbourhood_id, members=True,
                                         advisors=True),
           year.allocation, actor=actor, event=f"d{disbursement.pk}")
    return disbursement


# --- Envelopes --------------------------------------------------------------------------------


@transaction.atomic
def envelope_set(*, program: Program, year: int, amount: Decimal,
                 actor: User) -> ProgramEnvelope:
    ensure(actor, "envelope.set", program)
    if amount < 0:
        raise ValidationError({"amount": _("L'enveloppe ne peut pas être négative.")})
    envelope, _created = ProgramEnvelope.objects.select_for_update().update_or_create(
        program=program, year=year, defaults={"amount": amount})
    audit(actor, "envelope.set", envelope, year=year, amount=str(amount))
    return envelope


@transaction.atomic
def reporting_config_save(*, program: Program, actor: User,
                          **values: int) -> ReportingConfig:
    ensure(actor, "reporting.configure", program)
    config, _created = ReportingConfig.objects.update_or_create(program=program, defaults=values)
    audit(actor, "reporting_config.saved", config, **values)
    return config
