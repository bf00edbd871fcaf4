"""Every periodic task, registered in this one place (Celery beat reads it from settings)."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {
    # Filled in as the apps add periodic work, e.g.
    # "daily-reminders": {"task": "reporting.tasks.send_daily_reminders",
    #                     "schedule": crontab(hour=6, minute=0)},
}

__all__ = ["BEAT_SCHEDULE", "crontab"]
