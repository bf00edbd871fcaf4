import pytest
from django.core.management import call_command

from reporting.models import Allocation, CheckIn, Disbursement, ProgramEnvelope, Report


@pytest.fixture
def seeded(db):
    call_command("seed_demo", force=True, verbosity=0)


def test_demo_follow_up_data(seeded):
    assert Allocation.objects.filter(proposal__status__in=["ratified", "letter_sent"]).count() \
        == Allocation.objects.count() >= 2
    assert Disbursement.objects.exists()
    assert CheckIn.objects.filter(held_on__isnull=False).exists()
    assert CheckIn.objects.filter(held_on__isnull=True,
                                  allocation_year__allocation__status="active").exists()
    submitted = Report.objects.get(status=Report.Status.SUBMITTED)  # waiting for its review
    assert submitted.lines.count() == 4
    assert submitted.question_progress.exists()
    assert submitted.indicator_values.exists()
    assert Allocation.objects.filter(status=Allocation.Status.CLOSED).exists()
    assert ProgramEnvelope.objects.count() >= 5


def test_demo_follow_up_is_idempotent(seeded):
    counts = [m.objects.count() for m in (Allocation, Disbursement, CheckIn, Report)]
    call_command("seed_demo", force=True, verbosity=0)
    assert [m.objects.count() for m in (Allocation, Disbursement, CheckIn, Report)] == counts


def test_demo_statements_match_the_allocated_amounts(seeded):
    for allocation in Allocation.objects.prefetch_related("years", "reports__lines"):
        total = sum(y.amount for y in allocation.years.all())
        for report in allocation.reports.all():
            budget = sum(line.budget for line in report.lines.all())
            expected = report.allocation_year.amount if report.allocation_year_id else total
            assert budget == expected, (allocation, report)
            if report.submitted_at is not None:
                # Handed in around its due date, in the allocation's years, not on seed day.
                assert report.submitted_at.date() > allocation.starts_on
                assert abs((report.due_on - report.submitted_at.date()).days) <= 15
    # Every report of an allocation the demo follows shows a financial statement.
    assert not Report.objects.filter(allocation__neighbourhood__name="Saint-Michel",
                                     lines__isnull=True).exists()


def test_demo_indicators_fit_each_initiative(seeded):
    verdun = Allocation.objects.get(neighbourhood__name="Verdun")
    question = verdun.proposal.evaluation_questions.get()
    assert "locataires" in question.question
    assert "logements" in question.indicators.get().unit
    progress = verdun.reports.filter(question_progress__isnull=False).first().question_progress
    assert "aliment" not in progress.get().progress.lower()
