"""Redis stopped during a submission (CI: PostgreSQL, the test's own redis-server stopped by
its pid, a real Celery worker process): the page says the proposal is received, no 500; once
Redis is back, the outbox sweep sends the receipt, once."""

import datetime
import time
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from pic import cache as pic_cache
from pic import outbox
from pic.models import OutboxMessage
from proposals.models import Proposal
from tests.services import (
    RedisServer,
    WorkerProcess,
    celery_through,
    email_messages,
    wait_for,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_submission_while_redis_is_down_is_received_and_its_receipt_sent_once_later(
        client, draft, tq_saint_michel, advisor_est, settings, tmp_path, caplog):
    settings.PIC_OUTBOX_RETRY_SECONDS = 1
    redis_dir, emails = tmp_path / "redis", tmp_path / "emails"
    redis_dir.mkdir()
    emails.mkdir()
    server = RedisServer(redis_dir).start()
    pic_cache._down_until.clear()
    settings.CACHES = {"default": {
        "BACKEND": "pic.cache.FallbackRedisCache", "LOCATION": server.url(1),
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    queue = f"faults-{uuid.uuid4().hex}"
    worker = WorkerProcess(broker_url=server.url(0), queue=queue, log=tmp_path / "worker.log",
                           env={"MEDIA_ROOT": str(settings.MEDIA_ROOT),
                                "PIC_TEST_EMAIL_DIR": str(emails),
                                "PIC_TEST_MARKER_DIR": str(tmp_path)})
    try:
        with celery_through(server.url(0), queue):
            server.stop()  # Redis down: broker and cache
            client.force_login(tq_saint_michel)
            started = time.monotonic()
            response = client.post(reverse("proposals:proposal-submit", args=[draft.pk]),
                                   follow=True)
            assert time.monotonic() - started < 10  # a short wait, not a hang

            assert response.status_code == 200
            assert "Proposition déposée" in response.content.decode()
            draft.refresh_from_db()
            assert draft.status == Proposal.Status.SUBMITTED
            version = draft.versions.get()
            message = OutboxMessage.objects.get(key=f"receipt:{version.pk}")
            assert message.done_at is None
            assert message.last_error
            assert "left for the sweep" in caplog.text

            server.start()  # Redis is back: a worker, and the sweep beat runs each minute
            worker.start()

            def receipt_sent():  # and every other message of the submission (the advisor's
                outbox.dispatch_pending()  # notification email): nothing left undone
                message.refresh_from_db()
                return message.done_at is not None and not OutboxMessage.objects.filter(
                    done_at__isnull=True).exists()

            assert wait_for(receipt_sent, timeout=45, interval=1), \
                worker.log.read_text(errors="replace")[-3000:]
            later = timezone.now() + datetime.timedelta(hours=1)
            assert outbox.dispatch_pending(now=later) == 0
            worker.stop()
    finally:
        worker.kill()
        server.stop()
        pic_cache._down_until.clear()

    version.refresh_from_db()
    assert version.receipt_sent_at is not None
    messages = email_messages(emails)
    recipients = sorted(line.split(":", 1)[1].strip() for m in messages
                        for line in m.splitlines() if line.startswith("To:"))
    assert recipients == sorted([tq_saint_michel.email, advisor_est.email])
