"""Celery tasks: ids in, re-fetch, idempotent, a service does the work."""

import datetime

from celery import shared_task

from pic.access import SYSTEM


@shared_task(reject_on_worker_lost=True)
def reconcile_allocations() -> int:
    """Daily: an allocation for every ratified proposal that has none."""
    from .services.allocations import allocations_reconcile

    return len(allocations_reconcile(actor=SYSTEM))


@shared_task(reject_on_worker_lost=True)
def send_daily_reminders(today: str | None = None) -> int:
    """Daily: record the day's reminders and queue one digest per person."""
    from .services.reminders import reminders_run

    day = datetime.date.fromisoformat(today) if today else None
    return reminders_run(today=day)


@shared_task(reject_on_worker_lost=True)
def send_reminder_digests(user_ids: list[int], today: str) -> int:
    """Each person's email holding every reminder recorded for them and not yet emailed, for
    a batch of people in a few queries."""
    from .services.digests import digests_send

    return digests_send(user_ids=user_ids, today=datetime.date.fromisoformat(today))


@shared_task(reject_on_worker_lost=True)
def send_reminder_digest(user_id: int, today: str) -> int:
    """One person's digest (kept for the messages queued before the batches)."""
    from .services.digests import digest_send

    return digest_send(user_id=user_id, today=datetime.date.fromisoformat(today))


@shared_task(reject_on_worker_lost=True)
def send_neighbourhood_reminder(neighbourhood_id: int, user_id: int, today: str) -> bool:
    """The reminder a follower sent by hand to one member of a neighbourhood."""
    from .services.nudges import neighbourhood_reminder_send

    return neighbourhood_reminder_send(neighbourhood_id=neighbourhood_id, user_id=user_id,
                                       today=datetime.date.fromisoformat(today))


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5,
             reject_on_worker_lost=True)
def send_amendment_email(amendment_id: int, event: str) -> int:
    """One email per amendment event (through the outbox: once per event and cycle), in the
    neighbourhood's language, one outbox message per person (a retry never sends one twice).
    Returns the number of emails."""
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string
    from django.utils import translation

    from pic import outbox

    from .models import Amendment
    from .services.amendment_notices import notice_key
    from .services.amendments import amendment_recipients

    amendment = (Amendment.objects.select_related("allocation__proposal", "neighbourhood",
                                                  "version")
                 .filter(pk=amendment_id).first())
    if amendment is None:
        return 0
    recipients = amendment_recipients(amendment, event)
    with translation.override(amendment.neighbourhood.language):
        subject = render_to_string("reporting/email/amendment_subject.txt",
                                   {"amendment": amendment, "event": event}).strip()
        body = render_to_string("reporting/email/amendment.txt",
                                {"amendment": amendment, "event": event,
                                 "proposal": amendment.allocation.proposal})
    key = notice_key(amendment, event)
    for email in recipients:
        outbox.schedule_email(EmailMessage(subject, body, None, [email]), key=f"{key}:{email}")
    return len(recipients)


@shared_task(reject_on_worker_lost=True)
def build_export(job_id: int) -> int:
    """Build an export asked for on the exports page (private storage); returns its rows."""
    from .services.jobs import export_job_build

    job = export_job_build(job_id=job_id)
    return job.rows_done if job else 0


@shared_task(reject_on_worker_lost=True)
def preview_import(job_id: int) -> int:
    """The dry run of an import file sent on the import page; returns the rows read."""
    from .services.jobs import import_job_preview

    job = import_job_preview(job_id=job_id)
    return job.rows_done if job else 0


@shared_task(reject_on_worker_lost=True)
def run_import(job_id: int) -> int:
    """Write a confirmed import in bulk; returns the rows read."""
    from .services.jobs import import_job_run

    job = import_job_run(job_id=job_id)
    return job.rows_done if job else 0


@shared_task(reject_on_worker_lost=True)
def purge_old_jobs() -> int:
    """Daily: background exports and imports older than PIC_EXPORT_KEEP_DAYS, with their files."""
    from .services.jobs import jobs_purge

    return jobs_purge()
