"""pic's periodic tasks (registered in pic/schedule.py)."""

from celery import shared_task


@shared_task
def apply_retention_policy() -> dict:
    from pic.privacy.retention import retention_apply

    plan = retention_apply()
    return {"anonymised": len(plan.people), **plan.purged}
