"""The outbox: every email, letter and task that a write asks for goes through `schedule`.

    outbox.schedule(send_submission_receipt, version.pk, key=f"receipt:{version.pk}")

replaces `transaction.on_commit(lambda: send_submission_receipt.delay(version.pk))`. It records
an `OutboxMessage` in the write's own transaction, so the request to run the task commits (or
rolls back) with the write. After the commit it tries to enqueue it; a broker that is down is
logged, never raised to the request. Every minute the beat task `pic.tasks.outbox_dispatch`
enqueues again what is still pending (backing off per attempt), so a broker outage or a worker
killed mid-task costs delay, not a message. Each task marks its row done when it succeeds
(`OutboxTask`, the Celery app's task class), and a task whose row is already done does nothing.
A task claims its row while it runs (`running_until`: its hard time limit ahead, past which
no task still runs): the sweep does not send it again meanwhile, and a second copy already
queued (sent by a sweep while the first waited in a busy queue) does nothing; only the same
Celery message redelivered (its worker died: reject_on_worker_lost) takes the claim over.
With no broker (the embedded default, Celery eager) the task runs in-process after the commit.

A second `schedule` with the same key is a no-op: one email per decision whatever retries.
"""

import datetime
import logging

from celery import Task
from celery.exceptions import Retry
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)

HEADER = "pic_outbox_id"  # the message header carrying the row's id to the task
STUCK_AFTER = datetime.timedelta(minutes=15)
LEASE_MARGIN = datetime.timedelta(seconds=30)  # past a task's hard time limit, before a resend
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


def schedule_email(message, *, key: str):
    """One rendered email (an EmailMessage) sent by a worker after the commit, once per `key`.
    An email to a list of people is one message, and one key, per person: a mail server that
    fails in the middle of the list is retried for the rest, never for those already sent."""
    from pic.tasks import send_account_email

    return schedule(send_account_email, {
        "subject": message.subject, "body": message.body, "from_email": message.from_email,
        "to": list(message.to),
        "alternatives": [list(a) for a in getattr(message, "alternatives", [])],
    }, key=key)


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
        rows = model.objects.filter(done_at__isnull=True, next_attempt_at__lte=now).exclude(
            running_until__gt=now).order_by("next_attempt_at", "pk")  # not while one runs
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


def lease(task) -> datetime.timedelta:
    """How long a running task holds its row: its hard time limit, and a margin."""
    seconds = task.time_limit or task.app.conf.task_time_limit or settings.CELERY_TASK_TIME_LIMIT
    return datetime.timedelta(seconds=seconds) + LEASE_MARGIN


def _claim(task, message_id: int) -> bool:
    """Take the row for this run (see the module's docstring); False when it is done, or
    held by another copy still within its time limit."""
    model = _message_model()
    now = timezone.now()
    task_id = str(task.request.id or "")[:64]
    until = now + lease(task)
    free = Q(running_until__isnull=True) | Q(running_until__lte=now)
    if task_id:
        free |= Q(running_task=task_id)
    claimed = model.objects.filter(free, pk=message_id, done_at__isnull=True).update(
        running_until=until, running_task=task_id, next_attempt_at=until)
    if claimed:
        return True
    if model.objects.filter(pk=message_id).exists():
        logger.info("Outbox: message %s done or running elsewhere; %s skipped", message_id,
                    task.name)
        return False
    return True  # no row (deleted): run as asked


def _release(message_id: int, exc: BaseException) -> None:
    """A failed run frees its row for the sweep, at the row's back-off."""
    model = _message_model()
    attempts = model.objects.filter(pk=message_id).values_list("attempts", flat=True).first()
    model.objects.filter(pk=message_id, done_at__isnull=True).update(
        last_error=repr(exc)[:2000], running_until=None, running_task="",
        next_attempt_at=timezone.now() + backoff(attempts or 1))


class OutboxTask(Task):
    """The Celery app's task class: a task sent by the outbox skips a row already done (or
    run by another copy), and marks its row done when it succeeds (its error is kept on the
    row when it fails)."""

    def __call__(self, *args, **kwargs):
        message_id = _message_id(self.request)
        if message_id is None:
            return super().__call__(*args, **kwargs)
        if not _claim(self, message_id):
            return None
        try:
            result = super().__call__(*args, **kwargs)
        except Retry as exc:
            _release(message_id, exc.exc or exc)
            raise
        except Exception as exc:
            _release(message_id, exc)
            raise
        _message_model().objects.filter(pk=message_id, done_at__isnull=True).update(
            done_at=timezone.now(), last_error="", running_until=None, running_task="")
        return result
