"""The Celery app. Workers: `celery -A pic worker`; beat: `celery -A pic beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pic.settings")

app = Celery("pic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
