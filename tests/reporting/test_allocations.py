import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from pic.access import SYSTEM
from pic.models import AuditEvent
from reporting.dates import add_months, year_bounds
from reporting.models import Allocation, CheckIn, ProgramEnvelope, Report
from reporting.selectors import envelope_by_year
from reporting.services import allocations, reports

from .conftest import make_ratified

D = datetime.date


def test_ratified_decision_produces_its_allocation_with_the_analysis_years(allocation):
    assert allocation.ratified_on == D(2024, 3, 14)
    assert allocation.starts_on == D(2024, 4, 1)  # first of the month after ratification
    assert allocation.ends_on == D(2027, 3, 31)
    years = list(allocation.years.values_list("year_number", "starts_on", "ends_on", "amount"))
    assert years == [
        (1, D(2024, 4, 1), D(2025, 3, 31), Decimal("85000")),
        (2, D(2025, 4, 1), D(2026, 3, 31), Decimal("100000")),
        (3, D(2026, 4, 1), D(2027, 3, 31), Decimal("115000")),
    ]
    assert allocation.capacity_building_amount == Decimal("12000")
    assert allocation.neighbourhood == allocation.proposal.neighbourhood
    assert AuditEvent.objects.filter(verb="allocation.created").count() == 1


def test_without_analysis_the_requested_amounts_are_used(saint_michel, stage, coordination):
    ratification = make_ratified(saint_michel, stage, with_analysis=False, amounts=("80000",))
    allocation = allocations.allocation_create_for_ratification(ratification=ratification,
                                                                actor=SYSTEM)
    assert list(allocation.years.values_list("amount", flat=True)) == [Decimal("80000")]
    assert allocation.capacity_building_amount == Decimal("15000")
    assert allocation.ends_on == D(2025, 3, 31)


def test_allocation_creation_is_idempotent(ratification, allocation, coordination):
    again = allocations.allocation_create_for_ratification(ratification=ratification,
                                                           actor=coordination)
    assert again.pk == allocation.pk
    assert Allocation.objects.count() == 1
    assert allocation.years.count() == 3


def test_one_allocation_per_proposal_is_a_database_constraint(allocation):
    with pytest.raises(IntegrityError):
        Allocation.objects.create(
            proposal=allocation.proposal, neighbourhood=allocation.neighbourhood,
            initiative=allocation.initiative, stage=allocation.stage,
            ratified_on=allocation.ratified_on, starts_on=allocation.starts_on,
            ends_on=allocation.ends_on)


def test_allocation_schedules_check_ins_and_reports(allocation):
    checkins = list(CheckIn.objects.filter(allocation_year__allocation=allocation)
                    .order_by("due_on").values_list("due_on", flat=True))
    assert checkins == [D(2024, 10, 1), D(2025, 10, 1), D(2026, 10, 1)]
    annual = list(allocation.reports.filter(kind=Report.Kind.ANNUAL).order_by("due_on")
                  .values_list("due_on", flat=True))
    # 60 days after each year's end (the default delay)
    assert annual == [D(2025, 5, 30), D(2026, 5, 30), D(2027, 5, 30)]
    final = allocation.reports.get(kind=Report.Kind.FINAL)
    assert final.due_on == D(2027, 3, 31) + datetime.timedelta(days=90)


def test_configured_delay_moves_report_due_dates(saint_michel, stage, coordination):
    allocations.reporting_config_save(program=stage.program, actor=coordination,
                                      annual_report_delay_days=30)
    ratification = make_ratified(saint_michel, stage, amounts=("80000",))
    allocation = allocations.allocation_create_for_ratification(ratification=ratification,
                                                                actor=coordination)
    assert allocation.reports.get(kind="annual").due_on == D(2025, 4, 30)


@pytest.mark.parametrize(("start", "months", "expected"), [
    (D(2024, 8, 31), 6, D(2025, 2, 28)),   # month end into a short February
    (D(2023, 8, 31), 6, D(2024, 2, 29)),   # ... and into a leap February
    (D(2024, 2, 29), 12, D(2025, 2, 28)),  # a leap day, one year on
    (D(2024, 2, 29), 48, D(2028, 2, 29)),
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2024, 4, 1), 6, D(2024, 10, 1)),
])
def test_add_months_clamps_to_month_ends(start, months, expected):
    assert add_months(start, months) == expected


def test_year_bounds_do_not_drift_after_a_leap_day():
    assert year_bounds(D(2024, 2, 29), 1) == (D(2024, 2, 29), D(2025, 2, 27))
    assert year_bounds(D(2024, 2, 29), 2) == (D(2025, 2, 28), D(2026, 2, 27))
    assert year_bounds(D(2024, 2, 29), 5) == (D(2028, 2, 29), D(2029, 2, 27))


def test_check_in_and_report_dates_from_a_month_end_start(saint_michel, stage, coordination):
    ratification = make_ratified(saint_michel, stage, amounts=("80000", "80000"))
    allocation = allocations.allocation_create(
        proposal=ratification.proposal, ratified_on=ratification.ratified_on,
        actor=coordination, starts_on=D(2024, 8, 31))
    year1, year2 = allocation.years.order_by("year_number")
    assert year1.checkin.due_on == D(2025, 2, 28)
    assert (year1.starts_on, year1.ends_on) == (D(2024, 8, 31), D(2025, 8, 30))
    assert year2.checkin.due_on == D(2026, 2, 28)
    assert year1.report.due_on == D(2025, 8, 30) + datetime.timedelta(days=60)


def test_reconciliation_creates_missing_allocations_only(saint_michel, verdun, stage):
    make_ratified(saint_michel, stage)
    second = make_ratified(verdun, stage)
    allocations.allocation_create_for_ratification(ratification=second, actor=SYSTEM)
    created = allocations.allocations_reconcile()
    assert [a.neighbourhood for a in created] == [saint_michel]
    assert allocations.allocations_reconcile() == []
    assert Allocation.objects.count() == 2


def test_reconciliation_task_is_idempotent(saint_michel, stage):
    from reporting.tasks import reconcile_allocations

    make_ratified(saint_michel, stage)
    assert reconcile_allocations.delay().get() == 1
    assert reconcile_allocations.delay().get() == 0


def test_only_staff_create_allocations(ratification, tq_saint_michel):
    with pytest.raises(PermissionDenied):
        allocations.allocation_create_for_ratification(ratification=ratification,
                                                       actor=tq_saint_michel)


# --- Disbursements ----------------------------------------------------------------------------


def _accept(report, member, advisor):
    reports.report_save_draft(report=report, actor=member, texts={
        "activities": "Ateliers", "learnings": "Beaucoup", "edi": "Inclusif"},
        lines={"activities": (Decimal("100"), Decimal("90"))})
    reports.report_submit(report=report, actor=member)
    reports.report_accept(report=report, actor=advisor)


def test_first_year_payment_needs_no_report(allocation, coordination):
    year1 = allocation.years.get(year_number=1)
    payment = allocations.disbursement_record(allocation_year=year1, amount=Decimal("40000"),
                                              paid_on=D(2024, 4, 15), actor=coordination)
    assert payment.override_reason == ""


def test_second_year_payment_blocked_until_previous_report_accepted(
        allocation, coordination, tq_saint_michel, advisor_est):
    year2 = allocation.years.get(year_number=2)
    with pytest.raises(ValidationError) as error:
        allocations.disbursement_record(allocation_year=year2, amount=Decimal("50000"),
                                        paid_on=D(2025, 4, 15), actor=coordination)
    assert "override_reason" in error.value.error_dict
    _accept(allocation.years.get(year_number=1).report, tq_saint_michel, advisor_est)
    payment = allocations.disbursement_record(allocation_year=year2, amount=Decimal("50000"),
                                              paid_on=D(2025, 4, 15), actor=coordination)
    assert payment.pk


def test_staff_override_with_a_reason_is_recorded(allocation, coordination):
    year2 = allocation.years.get(year_number=2)
    payment = allocations.disbursement_record(
        allocation_year=year2, amount=Decimal("50000"), paid_on=D(2025, 4, 15),
        actor=coordination, override_reason="Rapport en retard pour cause de maladie")
    assert payment.override_reason.startswith("Rapport en retard")
    event = AuditEvent.objects.get(verb="disbursement.recorded")
    assert event.details["override"] is True


def test_payments_cannot_exceed_the_year_or_be_negative(allocation, coordination):
    year1 = allocation.years.get(year_number=1)
    allocations.disbursement_record(allocation_year=year1, amount=Decimal("80000"),
                                    paid_on=D(2024, 4, 15), actor=coordination)
    with pytest.raises(ValidationError, match="dépasse"):
        allocations.disbursement_record(allocation_year=year1, amount=Decimal("5001"),
                                        paid_on=D(2024, 5, 15), actor=coordination)
    with pytest.raises(ValidationError):
        allocations.disbursement_record(allocation_year=year1, amount=Decimal("-1"),
                                        paid_on=D(2024, 5, 15), actor=coordination)


def test_only_staff_record_disbursements(allocation, advisor_est):
    with pytest.raises(PermissionDenied):
        allocations.disbursement_record(allocation_year=allocation.years.first(),
                                        amount=Decimal("1"), paid_on=D(2024, 5, 1),
                                        actor=advisor_est)


def test_envelope_shows_allocated_against_available(allocation, coordination, stage):
    allocations.envelope_set(program=stage.program, year=2024, amount=Decimal("1000000"),
                             actor=coordination)
    allocations.envelope_set(program=stage.program, year=2025, amount=Decimal("90000"),
                             actor=coordination)
    rows = {row.year: row for row in envelope_by_year(program=stage.program)}
    assert rows[2024].allocated == Decimal("85000")
    assert rows[2024].available == Decimal("915000")
    assert rows[2025].available == Decimal("-10000")
    assert rows[2025].over
    assert rows[2026].envelope is None
    assert rows[2026].allocated == Decimal("115000")
    assert ProgramEnvelope.objects.count() == 2


def test_reconciliation_skips_a_ratification_it_cannot_allocate(saint_michel, verdun, stage,
                                                                caplog):
    broken = make_ratified(saint_michel, stage, with_analysis=False)
    broken.proposal.years.all().delete()
    make_ratified(verdun, stage)
    created = allocations.allocations_reconcile()
    assert [a.neighbourhood for a in created] == [verdun]
    assert "aucun montant" in caplog.text


def test_recording_a_ratification_in_governance_makes_the_allocation(
        saint_michel, stage, coordination, django_capture_on_commit_callbacks):
    """Governance's ratification_record calls the listener reporting registers (apps.py)."""
    from governance import services as governance_services
    from proposals.models import Proposal

    ratification = make_ratified(saint_michel, stage, ratified_on=D(2025, 1, 20))
    proposal = ratification.proposal
    ratification.delete()
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.RECOMMENDED)
    with django_capture_on_commit_callbacks(execute=False):
        governance_services.ratification_record(proposal=proposal, ratified_on=D(2025, 1, 20),
                                                actor=coordination)
    allocation = Allocation.objects.get(proposal=proposal)
    assert allocation.starts_on == D(2025, 2, 1)
    assert list(allocation.years.values_list("amount", flat=True)) == [
        Decimal("90000"), Decimal("110000"), Decimal("120000")]
