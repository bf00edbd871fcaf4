"""The outbox: every email, letter and task that a write asks for goes through `schedule`.

    outbox.schedule(send_submission_receipt, version.pk, key=f"receipt:{version.pk}")

replaces `transaction.on_commit(lambda: send_submission_receipt.delay(version.pk))`. It records
an `OutboxMessage` in the write's own transaction, so the request to run the task commits (or
rolls back) with the write. After the commit it tries to enqueue it; a broker that is down is
logged, never raised to the request. Every minute the beat task `pic.tasks.outbox_dispatch`
enqueues again what is still pending (backing off per attempt), so a broker outage or a worker
killed mid-task costs delay, not a message. Each task marks its row done when it succeeds
(`OutboxTask`, the Celery app's task class), and a task whose row is already done does nothing.
With no broker (the embedded default, Celery eager) the task runs in-process after the commit.

A second `schedule` with the same key is a no-op: one email per decision whatever retries.
"""

import datetime
import logging

from celery import Task
from celery.exceptions import Retry
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

HEADER = "pic_outbox_id"  # the message header carrying the row's id to the task
STUCK_AFTER = datetime.timedelta(minutes=15)
BATCH = 200  # rows one sweep enqueues at most
# A request must not hang on a broker that is down: one quick retry, then the sweep's turn.
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2,
                 "interval_max": 0.2}


def _message_model():
    from pic.models import OutboxMessage

    return OutboxMessage


def backoff(attempts: int) -> datetime.timedelta:
    """How long after its `attempts`-th enqueue a pending row waits before the next one."""
    base = settings.PIC_OUTBOX_RETRY_SECONDS
    return datetime.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), max(base, 300)))


def schedule(task, *args, key: str):
    """Record `task(*args)` to run after the current transaction commits, once per `key`."""
    name = task if isinstance(task, str) else task.name
    now = timezone.now()
    message, created = _message_model().objects.get_or_create(
        key=key, defaults={"task": name, "args": list(args), "attempts": 1, "enqueued_at": now,
                           "next_attempt_at": now + backoff(1)})
    if created:
        transaction.on_commit(lambda: _enqueue(message.pk, name, message.args))
    return message


def schedule_many(task, calls: list[tuple[tuple, str]]) -> int:
    """`schedule` for many calls of one task, `[(args, key), ...]`, in a constant number of
    queries (a bulk insert that skips the keys already recorded): the daily run's digests.
    Returns how many were recorded now."""
    if not calls:
        return 0
    name = task if isinstance(task, str) else task.name
    model = _message_model()
    now = timezone.now()
    model.objects.bulk_create(
        [model(key=key, task=name, args=list(args), attempts=1, enqueued_at=now,
               next_attempt_at=now + backoff(1)) for args, key in calls],
        ignore_conflicts=True, batch_size=1000)
    # The rows this call wrote (a key already there keeps its older row and time).
    created = list(model.objects.filter(key__in=[key for _args, key in calls], created_at__gte=now,
                                        enqueued_at=now).values_list("pk", "args"))
    if created:
        transaction.on_commit(lambda: [_enqueue(pk, name, args) for pk, args in created])
    return len(created)


def _enqueue(message_id: int, name: str, args: list) -> bool:
    from pic.celery import app

    try:
        app.tasks[name].apply_async(args=args, headers={HEADER: message_id}, retry=True,
                                    retry_policy=PUBLISH_RETRY)
    except Exception as exc:  # the broker down, a task failing eagerly: the sweep retries
        logger.warning("Outbox: %s (message %s) not run yet, left for the sweep: %r",
                       name, message_id, exc, exc_info=True)
        _message_model().objects.filter(pk=message_id, done_at__isnull=True).update(
            last_error=repr(exc)[:2000])
        return False
    return True


def dispatch_pending(*, now: datetime.datetime | None = None, limit: int = BATCH) -> int:
    """Enqueue again the pending rows whose turn has come; returns how many were enqueued.
    Concurrent sweeps skip each other's rows (PostgreSQL's SKIP LOCKED)."""
    model = _message_model()
    now = now or timezone.now()
    with transaction.atomic():
        rows = model.objects.filter(done_at__isnull=True, next_attempt_at__lte=now).order_by(
            "next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        rows = list(rows[:limit])
        for row in rows:
            row.attempts += 1
            row.enqueued_at = now
            row.next_attempt_at = now + backoff(row.attempts)
        model.objects.bulk_update(rows, ["attempts", "enqueued_at", "next_attempt_at"])
    return sum(_enqueue(row.pk, row.task, row.args) for row in rows)


def pending_messages():
    return _message_model().objects.filter(done_at__isnull=True)


def stuck_messages(*, now: datetime.datetime | None = None):
    """Rows still pending STUCK_AFTER after they were recorded, oldest first."""
    now = now or timezone.now()
    return pending_messages().filter(created_at__lt=now - STUCK_AFTER).order_by("created_at",
                                                                                "pk")


def _message_id(request) -> int | None:
    value = getattr(request, HEADER, None)
    if value is None:
        value = (getattr(request, "headers", None) or {}).get(HEADER)
    return int(value) if value is not None else None


class OutboxTask(Task):
    """The Celery app's task class: a task sent by the outbox skips a row already done, and
    marks its row done when it succeeds (its error is kept on the row when it fails)."""

    def __call__(self, *args, **kwargs):
        message_id = _message_id(self.request)
        if message_id is None:
            return super().__call__(*args, **kwargs)
        model = _message_model()
        if model.objects.filter(pk=message_id, done_at__isnull=False).exists():
            return None
        try:
            result = super().__call__(*args, **kwargs)
        except Retry as exc:
            model.objects.filter(pk=message_id).update(last_error=repr(exc.exc or exc)[:2000])
            raise
        except Exception as exc:
            model.objects.filter(pk=message_id).update(last_error=repr(exc)[:2000])
            raise
        model.objects.filter(pk=message_id, done_at__isnull=True).update(
            done_at=timezone.now(), last_error="")
        return result
