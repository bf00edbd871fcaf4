"""The outbox: a task a write asks for is recorded with the write, run after the commit,
swept again while pending, and run once per key (eager Celery: no broker needed)."""

import datetime

import pytest
from celery import shared_task
from django.db import transaction
from django.utils import timezone

from pic import outbox
from pic.models import OutboxMessage

pytestmark = pytest.mark.django_db

CALLS: list = []
FAILURES: list = []


@shared_task(name="tests.outbox_probe")
def probe(value):
    if FAILURES:
        raise RuntimeError(FAILURES.pop())
    CALLS.append(value)
    return value


DURING: list = []  # what the next run of `busy` does while it runs (once)


@shared_task(name="tests.outbox_busy")
def busy(value):
    CALLS.append(value)
    if DURING:
        DURING.pop()()
    return value


@pytest.fixture(autouse=True)
def _reset():
    CALLS.clear()
    FAILURES.clear()
    DURING.clear()


def test_the_task_runs_after_the_commit_and_marks_its_row_done(
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.schedule(probe, "a", key="probe:a")
        assert CALLS == []  # nothing runs before the commit
    assert CALLS == ["a"]
    message.refresh_from_db()
    assert message.task == "tests.outbox_probe"
    assert message.args == ["a"]
    assert message.done_at is not None
    assert message.attempts == 1


def test_a_rolled_back_write_leaves_no_row_and_runs_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                outbox.schedule(probe, "b", key="probe:b")
                raise RuntimeError("the write fails")
        except RuntimeError:
            pass
    assert not OutboxMessage.objects.exists()
    assert CALLS == []


def test_the_same_key_twice_runs_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.schedule(probe, "c", key="probe:c")
        outbox.schedule(probe, "c", key="probe:c")
    with django_capture_on_commit_callbacks(execute=True):
        outbox.schedule(probe, "c", key="probe:c")
    assert CALLS == ["c"]
    assert OutboxMessage.objects.count() == 1


def test_a_failing_task_never_raises_to_the_writer_and_the_sweep_runs_it_later(
        django_capture_on_commit_callbacks, caplog):
    FAILURES.append("SMTP down")
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.schedule(probe, "d", key="probe:d")
    message.refresh_from_db()
    assert message.done_at is None
    assert "SMTP down" in message.last_error
    assert "left for the sweep" in caplog.text

    assert outbox.dispatch_pending() == 0  # not due yet: it backs off
    due = message.next_attempt_at
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.dispatch_pending(now=due) == 1
    message.refresh_from_db()
    assert CALLS == ["d"]
    assert message.done_at is not None
    assert message.last_error == ""
    assert message.attempts == 2
    assert outbox.dispatch_pending(now=due + datetime.timedelta(days=1)) == 0


def test_a_task_whose_row_is_done_does_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.schedule(probe, "e", key="probe:e")
    probe.apply_async(args=["e"], headers={outbox.HEADER: message.pk})  # a redelivery
    assert CALLS == ["e"]


def test_the_sweep_does_not_send_again_a_task_still_running(
        django_capture_on_commit_callbacks):
    """A task running longer than the back-off (a long export) is not run a second time at
    once by the sweep; once its time limit has passed (its worker died), it is."""
    swept = []
    DURING.append(lambda: swept.append(outbox.dispatch_pending(
        now=timezone.now() + outbox.backoff(5) + datetime.timedelta(seconds=1))))
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.schedule(busy, "f", key="busy:f")
    assert swept == [0]
    assert CALLS == ["f"]
    message.refresh_from_db()
    assert message.done_at is not None
    assert message.running_until is None


def test_a_second_copy_queued_while_the_first_runs_does_nothing(
        django_capture_on_commit_callbacks):
    """A copy sent by an earlier sweep while the first waited in a busy queue: the two would
    build the same export side by side (its progress back to 0, a second file)."""
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.schedule(busy, "g", key="busy:g")
        DURING.append(lambda: busy.apply_async(args=["g"], headers={outbox.HEADER: message.pk}))
    assert CALLS == ["g"]


def test_the_same_message_redelivered_after_its_worker_died_runs_at_once(
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        message = outbox.schedule(busy, "h", key="busy:h")
    held = timezone.now() + datetime.timedelta(minutes=5)
    OutboxMessage.objects.filter(pk=message.pk).update(running_until=held,
                                                       running_task="celery-id-1")
    busy.apply_async(args=["h"], headers={outbox.HEADER: message.pk}, task_id="celery-id-2")
    assert CALLS == []  # another message: the first run may still be going
    assert outbox.dispatch_pending(now=held - datetime.timedelta(seconds=1)) == 0
    busy.apply_async(args=["h"], headers={outbox.HEADER: message.pk}, task_id="celery-id-1")
    assert CALLS == ["h"]  # its own message again (reject_on_worker_lost): taken over
    message.refresh_from_db()
    assert message.done_at is not None


def test_a_run_whose_worker_died_is_sent_again_once_its_time_limit_has_passed():
    past = timezone.now() - datetime.timedelta(seconds=1)
    message = OutboxMessage.objects.create(task="tests.outbox_busy", key="busy:i", args=["i"],
                                           attempts=1, running_until=past, next_attempt_at=past,
                                           running_task="celery-id-3")
    assert outbox.dispatch_pending() == 1  # a new message: the dead run's claim has lapsed
    assert CALLS == ["i"]
    message.refresh_from_db()
    assert message.done_at is not None


def test_a_failing_run_frees_its_row_for_the_sweep(django_capture_on_commit_callbacks):
    FAILURES.append("boom")
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.schedule(probe, "j", key="probe:j")
    message.refresh_from_db()
    assert message.running_until is None
    assert message.next_attempt_at <= timezone.now() + outbox.backoff(1)


def test_backoff_doubles_up_to_five_minutes(settings):
    settings.PIC_OUTBOX_RETRY_SECONDS = 60
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [
        60, 120, 240, 300, 300]


def test_stuck_rows_are_those_pending_for_more_than_fifteen_minutes():
    now = timezone.now()
    old = OutboxMessage.objects.create(task="x", key="old",
                                       created_at=now - datetime.timedelta(minutes=16))
    OutboxMessage.objects.create(task="x", key="recent",
                                 created_at=now - datetime.timedelta(minutes=14))
    OutboxMessage.objects.create(task="x", key="done", done_at=now,
                                 created_at=now - datetime.timedelta(hours=1))
    assert list(outbox.stuck_messages(now=now)) == [old]


def test_the_sweep_is_registered_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["pic-outbox-dispatch"]
    assert entry == {"task": "pic.tasks.outbox_dispatch", "schedule": 60.0}


def test_every_task_has_time_limits_below_the_visibility_timeout(settings):
    from pic.celery import app

    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    for name, task in app.tasks.items():
        if name.startswith("celery."):
            continue
        hard = task.time_limit or app.conf.task_time_limit
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        assert soft, name
        assert hard, name
        assert soft < hard < visibility, name
