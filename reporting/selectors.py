"""Reads on follow-up, always scoped to the user (`visible_to`)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    DecimalField,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import ExtractYear
from django.http import Http404

from neighbourhoods.models import Organisation
from pic.models import User
from proposals.models import Program

from .models import (
    Allocation,
    AllocationBudgetLine,
    AllocationYear,
    CheckIn,
    Disbursement,
    FinancialLine,
    FunderContribution,
    IndicatorValue,
    Instalment,
    ProgramEnvelope,
    QuestionProgress,
    Report,
)


def allocation_list(*, user: User) -> QuerySet[Allocation]:
    """The total is a correlated subquery, not a join and GROUP BY: the database sums the years
    of the page's rows only, after the page is chosen, whatever the number of allocations."""
    years_total = (AllocationYear.objects.filter(allocation=OuterRef("pk"))
                   .values("allocation").annotate(total=Sum("amount")).values("total"))
    return (Allocation.objects.visible_to(user)
            .select_related("neighbourhood", "stage", "proposal", "initiative")
            .annotate(total=Subquery(years_total)))


def allocation_get(*, user: User, pk: int) -> Allocation:
    allocation = (
        Allocation.objects.visible_to(user)
        .select_related("neighbourhood", "stage__program", "proposal", "initiative")
        .prefetch_related(
            Prefetch("years", queryset=AllocationYear.objects.select_related(
                "checkin", "report").prefetch_related(
                "disbursements", Prefetch("instalments", queryset=Instalment.objects
                                          .select_related("disbursement").order_by("number")),
                Prefetch("budget_lines", queryset=AllocationBudgetLine.objects
                         .select_related("category")))),
            Prefetch("reports", queryset=Report.objects.select_related("allocation_year")),
            "amendments",
        )
        .filter(pk=pk).first()
    )
    if allocation is None:
        raise Http404
    return allocation


def instalment_get(*, user: User, pk: int) -> Instalment:
    instalment = (Instalment.objects.visible_to(user)
                  .select_related("allocation_year__allocation__neighbourhood",
                                  "allocation_year__allocation__proposal")
                  .filter(pk=pk).first())
    if instalment is None:
        raise Http404
    return instalment


def ratified_budget_table(allocation: Allocation) -> dict:
    """The ratified budget as a table: {"years": [...], "rows": [(category, [amount per
    year], total)]}, from the prefetched years (no query)."""
    years = list(allocation.years.all())
    by_category: dict[int, tuple] = {}
    for index, year in enumerate(years):
        for line in year.budget_lines.all():
            category, amounts = by_category.setdefault(
                line.category_id, (line.category, [None] * len(years)))
            amounts[index] = line.amount
    rows = sorted(by_category.values(), key=lambda row: (row[0].position, row[0].pk))
    return {"years": years, "rows": [(category, amounts, sum(a or 0 for a in amounts))
                                     for category, amounts in rows]}


def report_list(*, user: User) -> QuerySet[Report]:
    return Report.objects.visible_to(user).select_related(
        "allocation__neighbourhood", "allocation__proposal__neighbourhood", "allocation_year",
        "allocation__stage__program")


def report_get(*, user: User, pk: int) -> Report:
    report = (
        report_list(user=user)
        .select_related("allocation__stage__program__reporting_config")
        .prefetch_related(
            Prefetch("lines", queryset=FinancialLine.objects.order_by("pk")),
            Prefetch("indicator_values",
                     queryset=IndicatorValue.objects.select_related("indicator")),
            "documents",
            Prefetch("question_progress",
                     queryset=QuestionProgress.objects.select_related("question")),
            "allocation__proposal__evaluation_questions__indicators",
        )
        .filter(pk=pk).first()
    )
    if report is None:
        raise Http404
    return report


def checkin_list(*, user: User) -> QuerySet[CheckIn]:
    return CheckIn.objects.visible_to(user).select_related(
        "allocation_year__allocation__neighbourhood", "allocation_year__allocation__proposal",
        "recorded_by")


def checkin_get(*, user: User, pk: int) -> CheckIn:
    checkin = checkin_list(user=user).filter(pk=pk).first()
    if checkin is None:
        raise Http404
    return checkin


def disbursement_list(*, user: User) -> QuerySet[Disbursement]:
    return Disbursement.objects.visible_to(user).select_related(
        "allocation_year__allocation__neighbourhood", "allocation_year__allocation__proposal",
        "recorded_by")


@dataclass(frozen=True)
class EnvelopeRow:
    """One calendar year of the program's money: the envelope, what allocations commit from
    it, what of that is paid and what is still to pay (scheduled), and what remains."""

    year: int
    envelope: Decimal | None
    allocated: Decimal  # committed: the allocation years that start this year
    paid: Decimal = Decimal("0")

    @property
    def committed(self) -> Decimal:
        return self.allocated

    @property
    def scheduled(self) -> Decimal:
        """Committed and not paid yet."""
        return max(self.allocated - self.paid, Decimal("0"))

    @property
    def available(self) -> Decimal | None:
        return None if self.envelope is None else self.envelope - self.allocated

    @property
    def over(self) -> bool:
        return self.available is not None and self.available < 0

    @property
    def percent(self) -> int | None:
        if not self.envelope:
            return None
        return int(self.allocated * 100 / self.envelope)


def envelope_by_year(*, program: Program) -> list[EnvelopeRow]:
    """Per calendar year: the envelope, what allocations commit from it (an allocation year
    counts in the calendar year it starts), what is paid of those years (the disbursements
    recorded against them), what is still scheduled and what remains. The one place these
    figures are computed (dashboards, the envelope page, the portfolio). One query: the
    envelopes, the committed and the paid amounts grouped by year, as one UNION ALL."""
    money = DecimalField(max_digits=14, decimal_places=2)
    zero, none = Value(Decimal("0"), output_field=money), Value(None, output_field=money)
    envelopes = (ProgramEnvelope.objects.filter(program=program)
                 .annotate(y=F("year"), e=F("amount"), c=zero, p=zero))
    committed = (AllocationYear.objects.filter(allocation__stage__program=program)
                 .annotate(y=ExtractYear("starts_on")).values("y")
                 .annotate(e=none, c=Sum("amount"), p=zero))
    paid = (Disbursement.objects.filter(allocation_year__allocation__stage__program=program)
            .annotate(y=ExtractYear("allocation_year__starts_on")).values("y")
            .annotate(e=none, c=zero, p=Sum("amount")))
    years: dict[int, dict] = {}
    for y, envelope, committed_amount, paid_amount in (
            envelopes.values_list("y", "e", "c", "p").order_by()
            .union(committed.values_list("y", "e", "c", "p").order_by(),
                   paid.values_list("y", "e", "c", "p").order_by(), all=True)):
        row = years.setdefault(y, {"envelope": None, "committed": Decimal("0"),
                                   "paid": Decimal("0"), "allocated_or_set": False})
        if envelope is not None:
            row["envelope"] = Decimal(envelope)
        row["committed"] += Decimal(committed_amount or 0)
        row["paid"] += Decimal(paid_amount or 0)
        row["allocated_or_set"] |= envelope is not None or bool(committed_amount)
    return [EnvelopeRow(year=y, envelope=row["envelope"], allocated=row["committed"],
                        paid=row["paid"])
            for y, row in sorted(years.items()) if row["allocated_or_set"]]


envelope_summary = envelope_by_year  # the name callers used before the payments were added


@dataclass(frozen=True)
class FunderShare:
    """One partner's part of a year's envelope, and the same part of what is committed,
    scheduled and paid (each funder carries its share of every allocation, pro rata)."""

    funder: Organisation
    kind: str
    amount: Decimal
    share: Decimal  # of the year's envelope, 0..1
    committed: Decimal
    scheduled: Decimal
    paid: Decimal

    @property
    def available(self) -> Decimal:
        return self.amount - self.committed

    @property
    def kind_label(self) -> str:
        return FunderContribution.Kind(self.kind).label


@dataclass(frozen=True)
class EnvelopeYear:
    """A calendar year of the program's money: the envelope (the sum of its contributions),
    committed (allocation years starting that year), scheduled (instalments planned that year,
    paid or not), paid (disbursements that year) and available (envelope − committed)."""

    year: int
    envelope: Decimal | None
    committed: Decimal
    scheduled: Decimal
    paid: Decimal
    funders: list[FunderShare]

    @property
    def available(self) -> Decimal | None:
        return None if self.envelope is None else self.envelope - self.committed

    @property
    def over(self) -> bool:
        return self.available is not None and self.available < 0

    @property
    def percent(self) -> int | None:
        if not self.envelope:
            return None
        return int(self.committed * 100 / self.envelope)

    @property
    def cash(self) -> Decimal:
        return sum((f.amount for f in self.funders
                    if f.kind == FunderContribution.Kind.CASH), Decimal("0"))

    @property
    def in_kind(self) -> Decimal:
        return sum((f.amount for f in self.funders
                    if f.kind == FunderContribution.Kind.IN_KIND), Decimal("0"))


def _by_calendar_year(queryset, date_field: str, amount_field: str = "amount") -> dict:
    return dict(queryset.annotate(calendar_year=ExtractYear(date_field)).values("calendar_year")
                .annotate(total=Sum(amount_field)).values_list("calendar_year", "total"))


def envelope_figures(*, program: Program) -> list[EnvelopeYear]:
    """Per calendar year and per funder: envelope, committed, scheduled, paid, available.
    Five queries, whatever the number of allocations (the envelope page's selector)."""
    rows = envelope_summary(program=program)
    scheduled = _by_calendar_year(
        Instalment.objects.filter(allocation_year__allocation__stage__program=program),
        "planned_on")
    paid = _by_calendar_year(
        Disbursement.objects.filter(allocation_year__allocation__stage__program=program),
        "paid_on")
    contributions: dict[int, list[FunderContribution]] = {}
    for contribution in (FunderContribution.objects.filter(program=program)
                         .select_related("funder")):
        contributions.setdefault(contribution.year, []).append(contribution)
    known = {row.year: row for row in rows}
    years = sorted(set(known) | set(scheduled) | set(paid) | set(contributions))
    cent = Decimal("0.01")
    figures = []
    for year in years:
        row = known.get(year)
        envelope = row.envelope if row else None
        committed = row.allocated if row else Decimal("0")
        year_scheduled = scheduled.get(year) or Decimal("0")
        year_paid = paid.get(year) or Decimal("0")
        total = sum((c.amount for c in contributions.get(year, [])), Decimal("0"))
        funders = []
        for c in contributions.get(year, []):
            share = c.amount / total if total else Decimal("0")
            funders.append(FunderShare(
                funder=c.funder, kind=c.kind, amount=c.amount, share=share,
                committed=(committed * share).quantize(cent),
                scheduled=(year_scheduled * share).quantize(cent),
                paid=(year_paid * share).quantize(cent)))
        figures.append(EnvelopeYear(year=year, envelope=envelope, committed=committed,
                                    scheduled=year_scheduled, paid=year_paid, funders=funders))
    return figures


def allocation_funders(allocations: list[Allocation]) -> dict[int, list[Organisation]]:
    """For each allocation (its years and stage prefetched), the partners who contribute to
    the envelopes of the calendar years its years start in, largest contribution first. One
    query."""
    programs = {a.stage.program_id for a in allocations}
    totals: dict[tuple[int, int], dict[int, Decimal]] = {}
    funders: dict[int, Organisation] = {}
    for c in FunderContribution.objects.filter(program_id__in=programs).select_related(
            "funder"):
        by_funder = totals.setdefault((c.program_id, c.year), {})
        by_funder[c.funder_id] = by_funder.get(c.funder_id, Decimal("0")) + c.amount
        funders[c.funder_id] = c.funder
    result = {}
    for allocation in allocations:
        summed: dict[int, Decimal] = {}
        for year in {y.starts_on.year for y in allocation.years.all()}:
            for funder_id, amount in totals.get((allocation.stage.program_id, year), {}).items():
                summed[funder_id] = summed.get(funder_id, Decimal("0")) + amount
        result[allocation.pk] = [funders[f] for f, _a in
                                 sorted(summed.items(), key=lambda item: (-item[1], item[0]))]
    return result


def overdue_checkins(*, user: User, today: datetime.date) -> QuerySet[CheckIn]:
    return checkin_list(user=user).filter(
        held_on__isnull=True, due_on__lt=today,
        allocation_year__allocation__status=Allocation.Status.ACTIVE)


def overdue_reports(*, user: User, today: datetime.date) -> QuerySet[Report]:
    return report_list(user=user).filter(
        status__in=[Report.Status.DRAFT, Report.Status.CHANGES_REQUESTED], due_on__lt=today,
        allocation__status=Allocation.Status.ACTIVE)
