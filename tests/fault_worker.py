"""The Celery app for fault tests' worker processes (tests/services.py WorkerProcess): the
project's own app and settings, with three test hooks read from the environment:

- emails go to Django's file backend in PIC_TEST_EMAIL_DIR (one file per email sent), so the
  test can count them from another process;
- the worker's tasks are queued on the test's private queue (PIC_TEST_QUEUE);
- rendering a PDF first drops a marker named after the rendering process in
  PIC_TEST_MARKER_DIR, then waits PIC_TEST_RENDER_DELAY seconds: a window to SIGKILL it;
- building an export file does the same, waiting PIC_TEST_EXPORT_DELAY seconds.
"""

import os
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pic.settings")
django.setup()

from django.conf import settings  # noqa: E402

from governance import letters  # noqa: E402
from pic.celery import app  # noqa: E402
from reporting import exports  # noqa: E402

settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
settings.EMAIL_FILE_PATH = os.environ["PIC_TEST_EMAIL_DIR"]
app.conf.task_default_queue = os.environ["PIC_TEST_QUEUE"]

_render = letters.html_to_pdf


_write = exports.export_write


def _marked_pause(delay_variable: str) -> None:
    markers = Path(os.environ["PIC_TEST_MARKER_DIR"])
    (markers / f"{os.getpid()}-{time.monotonic_ns()}").write_text("")
    time.sleep(float(os.environ.get(delay_variable, "0")))


def _slow_render(html: str) -> bytes:
    _marked_pause("PIC_TEST_RENDER_DELAY")
    return _render(html)


def _slow_write(*args, **kwargs):
    _marked_pause("PIC_TEST_EXPORT_DELAY")
    return _write(*args, **kwargs)


letters.html_to_pdf = _slow_render
exports.export_write = _slow_write

__all__ = ["app"]
