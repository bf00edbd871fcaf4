"""A worker's pool child killed in the middle of an export build (CI: PostgreSQL, Redis, a
real Celery worker process): the export is built by its redelivered message at once, not left
« en cours » and not built twice; one file, one email to the person who asked."""

import os
import signal
import uuid

import pytest
from django.db import transaction

from pic.access import SYSTEM
from pic.models import OutboxMessage
from reporting.models import ExportJob
from reporting.services import allocations
from reporting.services import jobs as job_services
from tests.services import WorkerProcess, celery_through, email_messages, wait_for

from .conftest import make_ratified

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_export_whose_worker_is_killed_mid_build_is_built_once_by_its_redelivery(
        redis_url, saint_michel, stage, advisor_est, settings, tmp_path):
    allocations.allocation_create_for_ratification(
        ratification=make_ratified(saint_michel, stage, title="Saint-Michel nourri"),
        actor=SYSTEM)
    emails, markers = tmp_path / "emails", tmp_path / "markers"
    emails.mkdir()
    markers.mkdir()
    queue = f"faults-{uuid.uuid4().hex}"
    worker = WorkerProcess(broker_url=redis_url, queue=queue, log=tmp_path / "worker.log",
                           env={"MEDIA_ROOT": str(settings.MEDIA_ROOT),
                                "PIC_TEST_EMAIL_DIR": str(emails),
                                "PIC_TEST_MARKER_DIR": str(markers),
                                "PIC_TEST_EXPORT_DELAY": "2"}, concurrency=1)
    try:
        with celery_through(redis_url, queue):
            worker.start()
            with transaction.atomic():
                job = job_services.export_job_request(kind="allocations", file_format="xlsx",
                                                      actor=advisor_est)
            assert wait_for(lambda: any(markers.iterdir()), timeout=45), _log(worker)
            building = int(next(markers.iterdir()).name.split("-")[0])
            assert building in worker.children()
            os.kill(building, signal.SIGKILL)

            def built():
                job.refresh_from_db()
                return job.status == "done" and OutboxMessage.objects.filter(
                    done_at__isnull=True).count() == 0

            # Well before the sweep could send it again (the task's time limit): the
            # redelivered message itself takes the job over.
            assert wait_for(built, timeout=40, interval=0.5), _log(worker)
            worker.stop()
    finally:
        worker.kill()

    assert len(list(markers.iterdir())) == 2  # the killed build and its redelivery, no third
    assert job.runs == 2
    assert job.rows_done == 1
    assert len(list((settings.PRIVATE_MEDIA_ROOT / "exports").iterdir())) == 1
    [email] = email_messages(emails)
    assert f"To: {advisor_est.email}" in email
    assert ExportJob.objects.count() == 1


def _log(worker: WorkerProcess) -> str:
    return worker.log.read_text(errors="replace")[-3000:] if worker.log.exists() else ""
