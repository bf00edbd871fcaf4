"""pic's Celery tasks: the outbox sweep and the retention policy (both periodic, in
pic/schedule.py)."""

import smtplib

from celery import shared_task


@shared_task
def apply_retention_policy() -> dict:
    from pic.privacy.retention import retention_apply

    plan = retention_apply()
    return {"anonymised": len(plan.people), **plan.purged}


@shared_task(reject_on_worker_lost=True, soft_time_limit=50, time_limit=55)
def outbox_dispatch() -> int:
    """Every minute (pic/schedule.py): enqueue again the outbox rows still pending."""
    from pic import outbox

    return outbox.dispatch_pending()


@shared_task(bind=True, autoretry_for=(ConnectionError, TimeoutError, smtplib.SMTPException),
             retry_backoff=True, max_retries=5, reject_on_worker_lost=True,
             soft_time_limit=60, time_limit=90)
def send_account_email(self, message: dict) -> None:
    """An email rendered when it was asked for and recorded in the outbox (`outbox.
    schedule_email`: account emails from allauth, receipts and amendment emails, one per
    person); sent once, after that commit."""
    from django.core.mail import EmailMultiAlternatives

    email = EmailMultiAlternatives(subject=message["subject"], body=message["body"],
                                   from_email=message["from_email"], to=message["to"])
    for content, mimetype in message.get("alternatives", []):
        email.attach_alternative(content, mimetype)
    email.send()
