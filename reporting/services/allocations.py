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

from governance.models import Ratification
from neighbourhoods.models import Organisation
from neighbourhoods.selectors import people_of
from pic.access import SYSTEM, ensure, person
from pic.audit import audit
from pic.models import User
from pic.notifications import notify
from proposals.models import BudgetCategory, Program, Proposal, ProposalBudgetLine
from proposals.states import RATIFIED_STATES

from ..dates import add_months, year_bounds
from ..models import (
    Allocation,
    AllocationBudgetLine,
    AllocationYear,
    CheckIn,
    Disbursement,
    FinancialLine,
    FunderContribution,
    Instalment,
    ProgramEnvelope,
    Report,
    ReportingConfig,
)
from .decided import (  # noqa: F401 (allocation_warnings: read here by its callers)
    allocation_start,
    allocation_warnings,
    decided_amounts,
)

logger = logging.getLogger(__name__)


def config_for(program: Program) -> ReportingConfig:
    """The program's follow-up numbers (defaults until staff change them)."""
    config = getattr(program, "_reporting_config_cache", None)
    if config is None and "reporting_config" in program._state.fields_cache:  # select_related
        config = program._state.fields_cache["reporting_config"] or ReportingConfig(
            program=program)
        program._reporting_config_cache = config
    if config is None:
        config = ReportingConfig.objects.filter(program=program).first() or ReportingConfig(
            program=program)
        program._reporting_config_cache = config
    return config


def ratified_budget(lines: list[ProposalBudgetLine], amount: Decimal) -> dict[int, Decimal]:
    """One year's budget by category (category id -> amount) brought to the decided amount:
    the proposal's lines when they total it, else each line in proportion (to the cent, the
    rounding remainder on the largest line)."""
    requested = sum((line.amount for line in lines), Decimal("0"))
    if not lines or not requested:
        return {}
    if requested == amount:
        return {line.category_id: line.amount for line in lines}
    cent = Decimal("0.01")
    scaled = {line.category_id: (line.amount * amount / requested).quantize(cent)
              for line in lines}
    largest = max(lines, key=lambda line: line.amount).category_id
    scaled[largest] += amount - sum(scaled.values(), Decimal("0"))
    return scaled


def instalment_offsets(value: str) -> list[int]:
    """The months after an allocation year's start at which its instalments are planned,
    from the program's setting ("0,6"). Raises ValidationError on a malformed setting."""
    try:
        months = [int(part) for part in str(value).replace(" ", "").split(",") if part != ""]
    except ValueError:
        months = []
    if not months or len(set(months)) != len(months) or not all(0 <= m <= 11 for m in months):
        raise ValidationError({"instalment_months": _(
            "Indiquez un à douze nombres de mois différents, de 0 à 11, séparés par des "
            "virgules (p. ex. « 0,6 »).")})
    return sorted(months)


def instalments_plan(year: AllocationYear, config: ReportingConfig) -> list[Instalment]:
    """A year's instalments: one per month of the setting, the amount split evenly (the
    remaining cents on the first)."""
    if year.amount <= 0:
        return []
    months = instalment_offsets(config.instalment_months)
    share = (year.amount / len(months)).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    first = year.amount - share * (len(months) - 1)
    return [Instalment(allocation_year=year, number=number, planned_on=add_months(
        year.starts_on, month), amount=first if number == 1 else share)
        for number, month in enumerate(months, start=1)]


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
    lines: dict[int, list[ProposalBudgetLine]] = {}
    stage_budget: dict[int, Decimal] = {}
    for line in ProposalBudgetLine.objects.filter(proposal=proposal):
        lines.setdefault(line.year_number, []).append(line)
    for number, amount in enumerate(amounts, start=1):
        first, last = year_bounds(start, number)
        year = AllocationYear.objects.create(allocation=allocation, year_number=number,
                                             starts_on=first, ends_on=last, amount=amount)
        budget = ratified_budget(lines.get(number, []), amount)
        AllocationBudgetLine.objects.bulk_create(
            AllocationBudgetLine(allocation_year=year, category_id=category, amount=value)
            for category, value in budget.items())
        Instalment.objects.bulk_create(instalments_plan(year, config))
        CheckIn.objects.create(allocation_year=year,
                               due_on=add_months(first, config.checkin_months))
        report = Report.objects.create(
            allocation=allocation, allocation_year=year, kind=Report.Kind.ANNUAL,
            due_on=last + datetime.timedelta(days=config.annual_report_delay_days))
        _statement_from_budget(report, budget)
        for category, value in budget.items():
            stage_budget[category] = stage_budget.get(category, Decimal("0")) + value
    final = Report.objects.create(
        allocation=allocation, kind=Report.Kind.FINAL,
        due_on=allocation.ends_on + datetime.timedelta(days=config.final_report_delay_days))
    _statement_from_budget(final, stage_budget)
    audit(actor, "allocation.created", allocation, proposal=proposal.pk,
          starts_on=start.isoformat(), amounts=[str(a) for a in amounts],
          capacity_building_amount=str(capacity))
    return allocation


def _statement_from_budget(report: Report, budget: dict[int, Decimal]) -> None:
    """A report's financial statement starts from the ratified budget (actuals to fill)."""
    codes = dict(BudgetCategory.objects.filter(pk__in=list(budget)).values_list("pk", "code"))
    FinancialLine.objects.bulk_create(
        FinancialLine(report=report, category=codes[category], budget=value)
        for category, value in budget.items() if value)


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


def letter_acknowledged(allocation_id: int) -> bool:
    """The table accepted the conditions of its allocation letter (« J'accepte les
    conditions »). An allocation with no letter at all (recorded before letters existed, or
    imported) has nothing to wait for."""
    from governance.models import DecisionLetter

    letters = DecisionLetter.objects.filter(proposal__allocation__pk=allocation_id,
                                            kind=DecisionLetter.Kind.ALLOCATION)
    return not letters.exists() or letters.filter(acknowledged_at__isnull=False).exists()


def payment_blockers(year: AllocationYear) -> list[str]:
    """Why money for this year may not go out yet (empty: it may). The one place of the
    payment condition: a disbursement and an instalment's release both ask it. No payment
    before the table accepts its letter's conditions, then each year's after the previous
    annual report is accepted."""
    blockers = []
    if not letter_acknowledged(year.allocation_id):
        blockers.append(_("La table n'a pas encore accepté les conditions de la lettre "
                          "d'allocation."))
    if not previous_report_accepted(year):
        blockers.append(_("Le rapport annuel de l'année %(n)s n'est pas accepté.")
                        % {"n": year.year_number - 1})
    return blockers


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
    blockers = payment_blockers(year)
    compliant = not blockers
    if not compliant and not override_reason:
        errors.setdefault("override_reason", []).extend(
            [*blockers, _("Indiquez le motif de la dérogation pour verser quand même.")])
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
    if FunderContribution.objects.filter(program=program, year=year).exists():
        raise ValidationError({"amount": _(
            "L'enveloppe %(year)s est la somme des contributions des partenaires : modifiez "
            "les contributions.") % {"year": year}})
    envelope, _created = ProgramEnvelope.objects.select_for_update().update_or_create(
        program=program, year=year, defaults={"amount": amount})
    audit(actor, "envelope.set", envelope, year=year, amount=str(amount))
    return envelope


@transaction.atomic
def contribution_set(*, program: Program, year: int, funder: Organisation, kind: str,
                     amount: Decimal, actor: User, note: str = "") -> FunderContribution | None:
    """A partner's contribution to one year's envelope (0 removes it); the year's envelope
    becomes the sum of its contributions."""
    ensure(actor, "envelope.set", program)
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("La contribution ne peut pas être négative.")})
    if kind not in FunderContribution.Kind.values:
        raise ValidationError({"kind": _("Choisissez en argent ou en nature.")})
    contribution = None
    if amount == 0:
        FunderContribution.objects.filter(program=program, year=year, funder=funder,
                                          kind=kind).delete()
    else:
        contribution, _created = FunderContribution.objects.update_or_create(
            program=program, year=year, funder=funder, kind=kind,
            defaults={"amount": amount, "note": (note or "").strip()})
    total = (FunderContribution.objects.filter(program=program, year=year)
             .aggregate(total=Sum("amount"))["total"])
    if total is None:
        ProgramEnvelope.objects.filter(program=program, year=year).delete()
    else:
        ProgramEnvelope.objects.update_or_create(program=program, year=year,
                                                 defaults={"amount": total})
    audit(actor, "contribution.set", program, year=year, funder=funder.name, kind=kind,
          amount=str(amount), envelope=str(total or 0))
    return contribution


@transaction.atomic
def reporting_config_save(*, program: Program, actor: User,
                          **values: int) -> ReportingConfig:
    ensure(actor, "reporting.configure", program)
    if "instalment_months" in values:
        values["instalment_months"] = ",".join(
            str(m) for m in instalment_offsets(values["instalment_months"]))
    config, _created = ReportingConfig.objects.update_or_create(program=program, defaults=values)
    audit(actor, "reporting_config.saved", config, **values)
    return config
