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
    submitted = Report.objects.filter(status=Report.Status.SUBMITTED, kind="annual").get()
    assert submitted.lines.count() == 4
    assert submitted.question_progress.exists()
    assert submitted.indicator_values.exists()
    assert Allocation.objects.filter(status=Allocation.Status.CLOSED).exists()
    assert ProgramEnvelope.objects.count() >= 5


def test_demo_follow_up_is_idempotent(seeded):
    counts = [m.objects.count() for m in (Allocation, Disbursement, CheckIn, Report)]
    call_command("seed_demo", force=True, verbosity=0)
    assert [m.objects.count() for m in (Allocation, Disbursement, CheckIn, Report)] == counts
