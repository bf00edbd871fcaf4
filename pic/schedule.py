"""Every periodic task, registered in this one place (Celery beat reads it from settings)."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {
    # The outbox's sweep: what a write asked for and the broker or a worker lost, sent again.
    "pic-outbox-dispatch": {"task": "pic.tasks.outbox_dispatch", "schedule": 60.0},
    # Follow-up (reporting): allocations for any ratification without one, then the digest.
    "reporting-reconcile-allocations": {"task": "reporting.tasks.reconcile_allocations",
                                        "schedule": crontab(hour=5, minute=30)},
    "reporting-daily-reminders": {"task": "reporting.tasks.send_daily_reminders",
                                  "schedule": crontab(hour=6, minute=0)},
    # Background exports' and imports' files, deleted after PIC_EXPORT_KEEP_DAYS.
    "reporting-purge-jobs": {"task": "reporting.tasks.purge_old_jobs",
                             "schedule": crontab(hour=3, minute=45)},
    # Governance: members who have not voted on tomorrow's items are told (a notification).
    "governance-votes-closing-soon": {"task": "governance.tasks.notify_votes_closing_soon",
                                      "schedule": crontab(hour=7, minute=0)},
    # The daily digest of notifications (each person's choice per kind).
    "pic-notification-digests": {"task": "pic.notifications.tasks.schedule_notification_digests",
                                 "schedule": crontab(hour=6, minute=15)},
    # Law 25 retention policy: anonymise long-inactive people, delete what has expired.
    "pic-apply-retention-policy": {"task": "pic.tasks.apply_retention_policy",
                                   "schedule": crontab(hour=3, minute=30)},
}

__all__ = ["BEAT_SCHEDULE", "crontab"]
