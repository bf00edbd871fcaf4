"""Redis stopped for real (the test's own redis-server, stopped by its pid; CI: PostgreSQL and
a real broker): every demo account signs in and every page its home links to loads, no 500
and no hang; coordination asks for an export and sends a letter, and is told what will really
happen: both wait in the outbox for the sweep once Redis is back."""

import re
import time
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from governance.models import DecisionLetter
from neighbourhoods.demo import DEMO_PASSWORD
from pic import cache as pic_cache
from pic.models import OutboxMessage
from reporting.models import ExportJob
from tests.services import RedisServer, celery_through, database_url
from tests.test_seed_demo import DEMO_ACCOUNTS

pytestmark = pytest.mark.django_db(transaction=True)

SKIPPED = ("/accounts/logout", "/deconnexion", "/static/", "/media/")


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_every_role_works_while_redis_is_down_and_nothing_asked_for_is_lost(
        client, settings, tmp_path):
    database_url()  # PostgreSQL, as deployed
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PIC_REQUIRE_STAFF_MFA = False  # as in the demo
    call_command("seed_demo", force=True, verbosity=0, stdout=StringIO())
    server = RedisServer(tmp_path).start()
    pic_cache._down_until.clear()
    settings.CACHES = {"default": {
        "BACKEND": "pic.cache.FallbackRedisCache", "LOCATION": server.url(1),
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    slow_or_broken, visited = [], 0
    try:
        with celery_through(server.url(0), f"faults-{uuid.uuid4().hex}"):
            server.stop()  # the broker and the cache gone
            for email in DEMO_ACCOUNTS:
                client.logout()
                home = client.post(reverse("account_login"),
                                   {"login": email, "password": DEMO_PASSWORD}, follow=True)
                assert home.status_code == 200, email
                links = set(re.findall(r'href="(/[^"#?]*)"', home.content.decode()))
                for url in sorted(links):
                    if url.startswith(SKIPPED):
                        continue
                    started = time.monotonic()
                    status = client.get(url).status_code
                    visited += 1
                    if status >= 500 or time.monotonic() - started > 5:
                        slow_or_broken.append((email, url, status))

            client.logout()
            client.post(reverse("account_login"),
                        {"login": "coordination@example.org", "password": DEMO_PASSWORD})
            response = client.post(reverse("reporting:export-job-create"),
                                   {"kind": "allocations", "file_format": "xlsx"}, follow=True)
            assert "Export demandé : le fichier se prépare." in _messages(response)
            job = ExportJob.objects.get()
            assert job.status == "queued"
            letter = DecisionLetter.objects.to_send().first()
            response = client.post(reverse("governance:letter-send", args=[letter.pk]),
                                   {"confirmed": "1"}, follow=True)
            assert response.status_code == 200
            assert any("La lettre part au quartier" in m for m in _messages(response))
    finally:
        server.stop()
        pic_cache._down_until.clear()

    print("pages visited with Redis down:", visited)
    assert visited >= 10 * len(DEMO_ACCOUNTS)  # each role's menu, its lists and files
    assert slow_or_broken == []
    letter.refresh_from_db()
    assert letter.sent_at is not None
    assert letter.emailed_at is None
    # Both wait for the sweep (which runs them once Redis is back: test_broker_faults.py).
    waiting = set(OutboxMessage.objects.filter(done_at__isnull=True).values_list("key",
                                                                                 flat=True))
    assert {f"export-job:{job.pk}", f"letter-email:{letter.pk}"} <= waiting
