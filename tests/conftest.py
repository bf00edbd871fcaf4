"""Fixtures shared by every test.

Services (PostgreSQL, Redis, Chromium) follow one rule: locally, a test that needs a service
which is not there is skipped with the reason; with CI=true (what `.ci/run` sets) it fails,
because CI must never pass by skipping. `service_unavailable()` applies that rule.

- `redis_url`: the reachable Redis of REDIS_URL.
- `celery_worker`: a real Celery worker (in a thread) consuming from that Redis, on a queue of
  its own; tasks sent with `.delay()` during the test go through the broker to it. Use it with
  `transactional_db` if the task touches the database (the worker has its own connection).
- Without `celery_worker`, tasks run eagerly in the test's own thread, whether or not REDIS_URL
  is set, so a test sees a task's effects at once in both local and CI runs.
- Every test gets its own cache namespace (allauth's rate limits live in the cache, and in CI the
  cache is a Redis shared by all tests and all pytest-xdist workers).
"""

import os
import threading
import uuid

import pytest

REDIS_CONNECT_TIMEOUT = 3  # seconds


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def service_unavailable(message: str) -> None:
    """Skip the test locally; fail it under CI=true."""
    if in_ci():
        pytest.fail(
            f"{message} (CI=true: a missing service is a failure, not a skip)", pytrace=False
        )
    pytest.skip(message)


# --- Redis and Celery -----------------------------------------------------------------------

_redis_state: dict[str, str | None] = {}


def _probe_redis() -> tuple[str | None, str | None]:
    """(url, None) when REDIS_URL answers PING, else (None, why). Probed once per process."""
    if "url" not in _redis_state:
        url = os.environ.get("REDIS_URL", "")
        error = None
        if not url:
            error = "REDIS_URL is not set, so there is no Redis to test against"
        else:
            import redis

            client = redis.Redis.from_url(
                url,
                socket_connect_timeout=REDIS_CONNECT_TIMEOUT,
                socket_timeout=REDIS_CONNECT_TIMEOUT,
            )
            try:
                client.ping()
            except redis.RedisError as exc:
                error = f"Redis at REDIS_URL is unreachable: {exc}"
            finally:
                client.close()
        _redis_state["url"] = None if error else url
        _redis_state["error"] = error
    return _redis_state["url"], _redis_state["error"]


@pytest.fixture(scope="session")
def redis_url() -> str:
    url, error = _probe_redis()
    if error:
        service_unavailable(error)
    return url


@pytest.fixture
def celery_worker(redis_url, settings):
    """A Celery worker thread consuming a queue private to this test, through Redis."""
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from django.db import connections

    from pic.celery import app

    if settings.CELERY_BROKER_URL != redis_url:
        service_unavailable("CELERY_BROKER_URL is not REDIS_URL: settings chose no Redis broker")
    queue = f"test-{uuid.uuid4().hex}"
    saved = {key: app.conf[key] for key in ("task_always_eager", "task_default_queue")}
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    test_thread = threading.current_thread()

    def close_worker_connections(**kwargs):
        # The worker thread's database connections would otherwise outlive the test (they are
        # kept for CONN_MAX_AGE), and PostgreSQL refuses to drop a test database in use.
        if threading.current_thread() is not test_thread:
            connections.close_all()

    task_postrun.connect(close_worker_connections, weak=False)
    try:
        with start_worker(
            app,
            pool="solo",
            concurrency=1,
            queues=[queue],
            perform_ping_check=False,
            shutdown_timeout=30,
        ) as worker:
            worker.test_queue = queue
            yield worker
    finally:
        task_postrun.disconnect(close_worker_connections)
        app.conf.update(saved)


@pytest.fixture(autouse=True)
def _celery_eager_unless_worker(request):
    """Run tasks in-process unless the test asked for a real worker."""
    if "celery_worker" in request.fixturenames:
        yield
        return
    from pic.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = saved


# --- Cache ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """A fresh cache namespace per test: nothing (e.g. a login rate limit) leaks between tests."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        alias: {**config, "KEY_PREFIX": prefix} for alias, config in settings.CACHES.items()
    }


# --- Language ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _french_first():
    """Every test starts in French, as the program does outside a request. The language
    middleware activates a request's language for the thread (as Django's LocaleMiddleware
    does) and a request in English would otherwise leave English active for the next test's
    service calls and messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# --- The append-only audit table -------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _audit_table_flushable():
    """A transactional test ends with a flush (one TRUNCATE of every table), which the audit
    table's trigger refuses on PostgreSQL; the suite, as the tables' owner, suspends the trigger
    for that statement alone (pic.audit_chain.append_only_triggers_disabled)."""
    from django.db import transaction
    from django.db.backends.postgresql.operations import DatabaseOperations

    from pic.audit_chain import append_only_triggers_disabled

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        alias = self.connection.alias
        with transaction.atomic(using=alias), append_only_triggers_disabled(alias):
            original(self, sql_list)

    DatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    DatabaseOperations.execute_sql_flush = original


pytest_plugins = ["tests.fixtures"]


@pytest.fixture
def smtp_drops_once(monkeypatch):
    """The mail server hangs up once, after the first email of the test has left (Django's
    locmem backend, one message at a time): what a list of recipients meets halfway."""
    from django.core import mail
    from django.core.mail.backends.locmem import EmailBackend

    send = EmailBackend.send_messages
    drops = [ConnectionResetError("the mail server hung up")]

    def send_messages(self, messages):
        sent = 0
        for message in messages:
            if drops and len(mail.outbox) >= 1:
                raise drops.pop()
            sent += send(self, [message])
        return sent

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    return drops
