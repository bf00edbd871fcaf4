"""The daily tasks through a real Celery worker and broker (skipped locally without Redis,
a failure under CI=true). There is no result backend: the test waits for their effects."""

import datetime
import time

import pytest
from django.core import mail

from reporting.models import Allocation, ReminderSent
from reporting.tasks import reconcile_allocations, send_daily_reminders

from .conftest import make_ratified


def wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_reconciliation_and_reminders_through_a_real_worker(celery_worker, saint_michel, stage,
                                                            tq_saint_michel, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_ratified(saint_michel, stage)
    reconcile_allocations.delay()
    assert wait_for(lambda: Allocation.objects.count() == 1)
    today = datetime.date(2025, 5, 23)
    send_daily_reminders.delay(today.isoformat())
    assert wait_for(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].to == [tq_saint_michel.email]
    send_daily_reminders.delay(today.isoformat())  # a rerun the same day
    reconcile_allocations.delay()
    time.sleep(2)
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.filter(user=tq_saint_michel).count() == 1
    assert Allocation.objects.count() == 1
