"""Redis stopped for real (the test's own redis-server, stopped by its pid): people still sign
in (the rate-limit cache degrades to a per-process one, with a warning in the log)."""

import pytest
from django.urls import reverse

from pic import cache as pic_cache
from tests import factories
from tests.services import RedisServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_redis(tmp_path):
    server = RedisServer(tmp_path).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_cache(own_redis, settings):
    pic_cache._down_until.clear()
    settings.CACHES = {"default": {
        "BACKEND": "pic.cache.FallbackRedisCache", "LOCATION": own_redis.url(0),
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    yield own_redis
    pic_cache._down_until.clear()


def _login(client, email, password=factories.PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_login_works_while_redis_is_down_with_a_warning(client, redis_cache, tq_saint_michel,
                                                        caplog):
    import redis

    assert _login(client, tq_saint_michel.email, "faux").status_code == 200
    assert redis.Redis(port=redis_cache.port).keys("*")  # the rate limits live in Redis

    redis_cache.stop()
    response = _login(client, tq_saint_michel.email)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert "Redis unreachable" in caplog.text


def test_the_rate_limit_still_holds_per_process_while_redis_is_down(client, redis_cache,
                                                                    tq_saint_michel):
    redis_cache.stop()
    for _attempt in range(5):
        assert _login(client, tq_saint_michel.email, "faux").status_code == 200
    response = _login(client, tq_saint_michel.email)  # the right password, too late

    assert response.status_code in (200, 429)
    assert not response.wsgi_request.user.is_authenticated


def test_back_on_redis_once_it_answers_again(redis_cache, monkeypatch):
    from django.core.cache import cache

    redis_cache.stop()
    cache.set("during", 1)
    assert cache.get("during") == 1  # the memory cache answers
    redis_cache.start()
    monkeypatch.setattr(pic_cache, "_down_until", {})  # the retry delay has passed
    cache.set("after", 2)

    import redis

    assert any(b"after" in key for key in redis.Redis(port=redis_cache.port).keys("*"))
