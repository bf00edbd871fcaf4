"""The Celery app. Workers: `celery -A pic worker`; beat: `celery -A pic beat`, exactly ONE
beat process for the whole deployment (two would run every periodic task twice; the outbox
sweep tolerates it, the daily digests are idempotent, but it is wasted work)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pic.settings")

# Every task is an outbox task (pic/outbox.py): it marks its outbox row done, once.
app = Celery("pic", task_cls="pic.outbox:OutboxTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
