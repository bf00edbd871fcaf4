"""pic's Celery tasks: the outbox sweep and the retention policy (both periodic, in
pic/schedule.py)."""

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
