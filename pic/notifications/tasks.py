"""Celery tasks of the notifications: ids in, re-fetch, the services do the work (idempotent:
a retry after the email went sends nothing)."""

import smtplib

from celery import shared_task

TRANSIENT = (ConnectionError, TimeoutError, smtplib.SMTPException)


@shared_task(bind=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5,
             reject_on_worker_lost=True, soft_time_limit=60, time_limit=90)
def send_notification_email(self, notification_id: int) -> bool:
    from .services import notification_email_send

    return notification_email_send(notification_id=notification_id)


@shared_task(bind=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5,
             reject_on_worker_lost=True, soft_time_limit=60, time_limit=90)
def send_notification_digest(self, user_id: int, today: str) -> int:
    from .services import digest_send

    return digest_send(user_id=user_id)


@shared_task(reject_on_worker_lost=True)
def schedule_notification_digests() -> int:
    """Daily (pic/schedule.py): queue each person's digest of notifications."""
    from .services import digest_schedule

    return digest_schedule()
