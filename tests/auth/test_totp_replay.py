"""A TOTP code works once, in every configuration: Redis, and the embedded default, whose
cache (the database's pic_cache table) every process shares."""

import os
import subprocess
import sys

import pytest
from django.urls import reverse

from .conftest import current_code, is_signed_in, password_step, totp_step, with_totp

DATABASE_CACHE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                  "LOCATION": "pic_cache"}


@pytest.fixture(params=["database", "redis"])
def shared_cache(request, settings):
    if request.param == "redis":
        config = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                  "LOCATION": request.getfixturevalue("redis_url")}
    else:
        config = DATABASE_CACHE
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    settings.CACHES = {"default": {**config, "KEY_PREFIX": prefix}}
    return request.param


def test_the_same_code_fails_the_second_time(client, shared_cache, tq_saint_michel):
    secret = with_totp(tq_saint_michel)
    code = current_code(secret)

    password_step(client, tq_saint_michel.email)
    totp_step(client, code)
    assert is_signed_in(client)
    client.post(reverse("account_logout"))
    assert not is_signed_in(client)

    password_step(client, tq_saint_michel.email)
    response = totp_step(client, code)

    assert response.status_code == 200
    assert not is_signed_in(client)


def test_the_embedded_default_cache_is_shared_by_every_process():
    """Without REDIS_URL, the settings choose a cache outside the process (not local memory)."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup(); from django.conf import "
         "settings; print(settings.CACHES['default']['BACKEND'])"],
        env={**env, "DJANGO_SETTINGS_MODULE": "pic.settings"}, capture_output=True, text=True,
        check=True, timeout=60,
    )
    assert result.stdout.strip() == DATABASE_CACHE["BACKEND"]
