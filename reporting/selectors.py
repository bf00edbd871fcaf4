"""Reads on follow-up, always scoped to the user (`visible_to`)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import (
    DecimalField,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import ExtractYear
from django.http import Http404

from neighbourhoods.models import Organisation
from pic.models import User
from proposals.models import Program, Proposal

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
            .defer(*(f"proposal__{name}" for name in Proposal.LONG_TEXT))  # a list shows none
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
    it (the allocation years that start that year), what the payment schedules plan that year
    (instalments, paid or not), what is paid that year, and what remains."""

    year: int
    envelope: Decimal | None
    committed: Decimal
    scheduled: Decimal = Decimal("0")
    paid: Decimal = Decimal("0")

    @property
    def allocated(self) -> Decimal:
        return self.committed

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


def envelope_by_year(*, program: Program) -> list[EnvelopeRow]:
    """Per calendar year: envelope, committed (an allocation year counts in the calendar year
    it starts), scheduled (instalments by their planned date), paid (disbursements by their
    date) and available. The one place these figures are computed (the homes, the dashboards,
    the envelope page through envelope_figures, the portfolio). One query: a UNION ALL of the
    four sums grouped by year."""
    money = DecimalField(max_digits=14, decimal_places=2)
    zero, none = Value(Decimal("0"), output_field=money), Value(None, output_field=money)
    columns = ("y", "e", "c", "s", "p")
    envelopes = (ProgramEnvelope.objects.filter(program=program)
                 .annotate(y=F("year"), e=F("amount"), c=zero, s=zero, p=zero))
    committed = (AllocationYear.objects.filter(allocation__stage__program=program)
                 .annotate(y=ExtractYear("starts_on")).values("y")
                 .annotate(e=none, c=Sum("amount"), s=zero, p=zero))
    scheduled = (Instalment.objects.filter(allocation_year__allocation__stage__program=program)
                 .annotate(y=ExtractYear("planned_on")).values("y")
                 .annotate(e=none, c=zero, s=Sum("amount"), p=zero))
    paid = (Disbursement.objects.filter(allocation_year__allocation__stage__program=program)
            .annotate(y=ExtractYear("paid_on")).values("y")
            .annotate(e=none, c=zero, s=zero, p=Sum("amount")))
    years: dict[int, dict] = {}
    parts = [q.values_list(*columns).order_by() for q in (committed, scheduled, paid)]
    for y, envelope, *amounts in envelopes.values_list(*columns).order_by().union(
            *parts, all=True):
        row = years.setdefault(y, {"envelope": None, "sums": [Decimal("0")] * 3})
        if envelope is not None:
            row["envelope"] = Decimal(envelope)
        row["sums"] = [total + Decimal(amount or 0)
                       for total, amount in zip(row["sums"], amounts, strict=True)]
    return [EnvelopeRow(year, row["envelope"], *row["sums"]) for year, row in sorted(years.items())
            if row["envelope"] is not None or any(row["sums"])]


ENVELOPE_CACHE = "pic:envelope-by-year:v1:"  # + the program's id


def envelope_by_year_cached(*, program: Program) -> list[EnvelopeRow]:
    """envelope_by_year for the pages that show it on every view (the coordination home and
    dashboard: sums over every allocation year, instalment and payment of the program), from
    the cache; reporting.portfolio forgets it with the other money figures on any change."""
    key = f"{ENVELOPE_CACHE}{program.pk}"
    rows = cache.get(key)
    if rows is None:
        rows = envelope_by_year(program=program)
        cache.set(key, rows, 6 * 3600)
    return rows


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


def envelope_figures(*, program: Program) -> list[EnvelopeYear]:
    """envelope_by_year's figures (the same rule), each year with its funders' shares: two
    queries, whatever the number of allocations (the envelope page's selector)."""
    contributions: dict[int, list[FunderContribution]] = {}
    for contribution in (FunderContribution.objects.filter(program=program)
                         .select_related("funder")):
        contributions.setdefault(contribution.year, []).append(contribution)
    known = {row.year: row for row in envelope_by_year(program=program)}
    cent = Decimal("0.01")
    figures = []
    for year in sorted(set(known) | set(contributions)):
        row = known.get(year) or EnvelopeRow(year, None, Decimal("0"))
        total = sum((c.amount for c in contributions.get(year, [])), Decimal("0"))
        funders = []
        for c in contributions.get(year, []):
            share = c.amount / total if total else Decimal("0")
            funders.append(FunderShare(
                funder=c.funder, kind=c.kind, amount=c.amount, share=share,
                committed=(row.committed * share).quantize(cent),
                scheduled=(row.scheduled * share).quantize(cent),
                paid=(row.paid * share).quantize(cent)))
        figures.append(EnvelopeYear(year=year, envelope=row.envelope, committed=row.committed,
                                    scheduled=row.scheduled, paid=row.paid, funders=funders))
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
    """Only what the overdue lists show (the neighbourhood, the year, the date), soonest
    first, by the index on the check-ins not held."""
    return (CheckIn.objects.visible_to(user)
            .filter(held_on__isnull=True, due_on__lt=today,
                    allocation_year__allocation__status=Allocation.Status.ACTIVE)
            .select_related("allocation_year__allocation__neighbourhood")
            .only("due_on", "allocation_year__year_number",
                  "allocation_year__allocation__neighbourhood__name")
            .order_by("due_on", "pk"))


# a report's long texts, which no list shows (the to-do's and the reminders' reads)
REPORT_LONG_TEXT = tuple(f.name for f in Report._meta.fields if isinstance(f, TextField))


def overdue_reports(*, user: User, today: datetime.date) -> QuerySet[Report]:
    """Only what the overdue lists show (the report's kind, date and year, its file and the
    file's neighbourhood, which is the allocation's: `Report.__str__`), soonest first, by the
    index on the reports to hand in. Each table joined costs PostgreSQL planning time (eight
    tables, ~20 ms a query): five here."""
    return (Report.objects.visible_to(user)
            .select_related("allocation__proposal__neighbourhood", "allocation_year")
            .only("kind", "due_on", "allocation__proposal__title",
                  "allocation__proposal__neighbourhood__name", "allocation_year__year_number")
            .to_hand_in().filter(due_on__lt=today).order_by("due_on", "pk"))
