"""Workers that die (CI: PostgreSQL, Redis, real Celery worker processes). 20 decision letters
are queued; a pool child is SIGKILLed in the middle of rendering one, then the whole worker;
a new worker and the outbox sweep finish the work: exactly one letter file, one letter row and
one email per decision."""

import os
import signal
import time
import uuid

import pytest
from django.db import transaction
from django.utils import timezone

from governance.models import DecisionLetter
from governance.tasks import send_decision_letter
from pic import outbox
from pic.models import OutboxMessage
from proposals.models import Proposal
from tests.governance.conftest import make_proposal
from tests.services import WorkerProcess, celery_through, email_messages, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

DECISIONS = 20


def test_killed_workers_leave_one_letter_per_decision(
        redis_url, saint_michel, stage, tq_saint_michel, settings, tmp_path):
    settings.PIC_OUTBOX_RETRY_SECONDS = 4
    emails, markers = tmp_path / "emails", tmp_path / "markers"
    emails.mkdir()
    markers.mkdir()
    queue = f"faults-{uuid.uuid4().hex}"
    proposals = [make_proposal(saint_michel, stage, status=Proposal.Status.RATIFIED,
                               title=f"Décision {n}") for n in range(DECISIONS)]
    env = {"MEDIA_ROOT": str(settings.MEDIA_ROOT), "PIC_TEST_EMAIL_DIR": str(emails),
           "PIC_TEST_MARKER_DIR": str(markers), "PIC_OUTBOX_RETRY_SECONDS": "4"}
    # One pool child: when it is killed, it is asleep in a render (no file written yet).
    first = WorkerProcess(broker_url=redis_url, queue=queue, log=tmp_path / "worker1.log",
                          env={**env, "PIC_TEST_RENDER_DELAY": "1.5"}, concurrency=1)
    second = WorkerProcess(broker_url=redis_url, queue=queue, log=tmp_path / "worker2.log",
                           env={**env, "PIC_TEST_RENDER_DELAY": "0"})
    try:
        with celery_through(redis_url, queue):
            first.start()
            with transaction.atomic():
                for proposal in proposals:
                    outbox.schedule(send_decision_letter, proposal.pk,
                                    DecisionLetter.Kind.ALLOCATION,
                                    key=f"decision-letter:{proposal.pk}:allocation")

            # A pool child dies in the middle of a render.
            assert wait_for(lambda: any(markers.iterdir()), timeout=45), _log(first)
            rendering = int(next(markers.iterdir()).name.split("-")[0])
            assert rendering in first.children()
            os.kill(rendering, signal.SIGKILL)
            # Its task goes back to the queue (reject_on_worker_lost); a new child renders the
            # next one, and the whole worker dies in the middle of that render.
            assert wait_for(lambda: len(list(markers.iterdir())) >= 2, timeout=30,
                            interval=0.05), _log(first)
            first.kill()
            assert DecisionLetter.objects.count() < DECISIONS  # work was really lost
            assert OutboxMessage.objects.filter(done_at__isnull=True).exists()

            # Time passes: past the letter task's time limit (and margin), no run of the dead
            # worker can still be going, so the rows it held are free for the sweep again.
            OutboxMessage.objects.filter(done_at__isnull=True, running_until__isnull=False).update(
                running_until=timezone.now(), next_attempt_at=timezone.now())
            second.start()

            def settled():
                outbox.dispatch_pending()  # what beat does every minute
                return (not OutboxMessage.objects.filter(done_at__isnull=True).exists()
                        and DecisionLetter.objects.count() == DECISIONS)

            assert wait_for(settled, timeout=60, interval=1), _log(second)
            time.sleep(2)  # a duplicate still in flight would land now
            second.stop()
    finally:
        first.kill()
        second.kill()

    # The letters wait « à envoyer » (coordination reads and sends them: tested elsewhere);
    # whatever the killed worker, each decision has exactly one letter and one file.
    for proposal in proposals:
        assert DecisionLetter.objects.filter(proposal=proposal).count() == 1
    files = list((settings.PRIVATE_MEDIA_ROOT / "letters").iterdir())
    assert len(files) == DECISIONS
    assert email_messages(emails) == []  # nothing is emailed before coordination sends it


def _log(worker: WorkerProcess) -> str:
    return worker.log.read_text(errors="replace")[-3000:] if worker.log.exists() else ""
