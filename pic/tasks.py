"""Celery tasks of the shared layer."""

from celery import shared_task


@shared_task(reject_on_worker_lost=True, soft_time_limit=50, time_limit=55)
def outbox_dispatch() -> int:
    """Every minute (pic/schedule.py): enqueue again the outbox rows still pending."""
    from pic import outbox

    return outbox.dispatch_pending()
