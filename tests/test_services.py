"""The services the settings pick from the environment are the ones really in use.

In CI (`.ci/run`: DATABASE_URL and REDIS_URL set) these run against PostgreSQL and Redis;
locally without them, against SQLite, and the Redis test is skipped.
"""

import os
import threading

import pytest
from django.core.cache import cache
from django.db import connection

from pic.celery import app

_received: list[str] = []
_done = threading.Event()


@app.task(name="tests.record_message")
def record_message(message: str) -> None:
    _received.append(message)
    _done.set()


@pytest.mark.django_db
def test_database_is_the_one_database_url_names():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_cache_round_trip(db):  # the embedded default keeps its cache in the database
    cache.set("greeting", "bonjour", 30)
    assert cache.get("greeting") == "bonjour"


def test_task_goes_through_redis_to_a_real_worker(celery_worker):
    _received.clear()
    _done.clear()
    assert app.conf.task_always_eager is False

    record_message.delay("via Redis")

    assert _done.wait(timeout=20), "the worker did not run the task within 20 s"
    assert _received == ["via Redis"]
