"""A Redis cache that degrades instead of failing: `pic.cache.FallbackRedisCache`.

The cache holds allauth's rate limits (login, password reset): with Redis down, a plain
RedisCache raises on every login, a 500. This one answers from the database's cache table
instead (pic_cache, the embedded default's cache: shared by every process, so rate limits and
used TOTP codes still hold) and logs a warning; if that fails too, from a per-process memory
cache (a looser limit). It tries Redis again after RETRY_SECONDS, and is back on Redis as soon
as it answers.
"""

import logging
import threading
import time

from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 30.0  # how long a process stays on its memory cache once Redis has failed
_down_until: dict[str, float] = {}  # per Redis location, shared by the process's threads
_lock = threading.Lock()


class FallbackRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)
        fallback = {key: value for key, value in params.items() if key != "OPTIONS"}
        self._shared = DatabaseCache("pic_cache", fallback)
        self._memory = LocMemCache(f"pic-fallback:{self._location}", fallback)

    def _fallback_call(self, name, *args, **kwargs):
        try:
            return getattr(self._shared, name)(*args, **kwargs)
        except DatabaseError:
            logger.warning("Cache: the database cache failed too; per-process memory cache")
            return getattr(self._memory, name)(*args, **kwargs)

    def _call(self, name, *args, **kwargs):
        if time.monotonic() < _down_until.get(self._location, 0.0):
            return self._fallback_call(name, *args, **kwargs)
        try:
            return getattr(super(), name)(*args, **kwargs)
        except RedisError as exc:
            with _lock:
                _down_until[self._location] = time.monotonic() + RETRY_SECONDS
            logger.warning("Cache: Redis unreachable (%r); this process uses the database's "
                           "cache table for %.0f s", exc, RETRY_SECONDS)
            return self._fallback_call(name, *args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        return self._call("clear")
