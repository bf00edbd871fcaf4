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

from pic.models import User
from proposals.models import Program

from .models import (
    Allocation,
    AllocationYear,
    CheckIn,
    Disbursement,
    FinancialLine,
    IndicatorValue,
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
                "checkin", "report").prefetch_related("disbursements")),
            Prefetch("reports", queryset=Report.objects.select_related("allocation_year")),
        )
        .filter(pk=pk).first()
    )
    if allocation is None:
        raise Http404
    return allocation


def report_list(*, user: User) -> QuerySet[Report]:
    return Report.objects.visible_to(user).select_related(
        "allocation__neighbourhood", "allocation__proposal__neighbourhood", "allocation_year")


def report_get(*, user: User, pk: int) -> Report:
    report = (
        report_list(user=user)
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


def overdue_checkins(*, user: User, today: datetime.date) -> QuerySet[CheckIn]:
    return checkin_list(user=user).filter(
        held_on__isnull=True, due_on__lt=today,
        allocation_year__allocation__status=Allocation.Status.ACTIVE)


def overdue_reports(*, user: User, today: datetime.date) -> QuerySet[Report]:
    return report_list(user=user).filter(
        status__in=[Report.Status.DRAFT, Report.Status.CHANGES_REQUESTED], due_on__lt=today,
        allocation__status=Allocation.Status.ACTIVE)
