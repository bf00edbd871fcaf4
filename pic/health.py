"""`/health/`: is the database reachable, and the Celery broker?

For load balancers, container health checks and monitoring. Answers JSON such as
`{"database": "ok", "broker": "ok"}` with 200 when every check passes, 503 otherwise. It needs
no login and says nothing about why a check failed (that goes to the log).
"""

import logging

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

logger = logging.getLogger(__name__)

OK = "ok"
ERROR = "error"
# Seconds one broker connection attempt may take: a health check must answer quickly.
BROKER_TIMEOUT = 2.0


def check_database(alias: str = "default") -> str:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: database %r unreachable", alias)
        return ERROR
    return OK


def check_broker(url: str | None = None) -> str:
    url = url if url is not None else settings.CELERY_BROKER_URL
    if url.startswith("memory://"):
        return OK  # the embedded default: tasks run in-process, there is nothing to reach
    try:
        with Connection(
            url,
            connect_timeout=BROKER_TIMEOUT,
            transport_options={
                "socket_connect_timeout": BROKER_TIMEOUT,
                "socket_timeout": BROKER_TIMEOUT,
            },
        ) as connection:
            connection.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT
            )
    except Exception:
        logger.warning("Health check: broker %s unreachable", _redact(url), exc_info=True)
        return ERROR
    return OK


def _redact(url: str) -> str:
    """The broker URL without its password, for the log."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        rest = "***@" + rest.rsplit("@", 1)[1]
    return f"{scheme}{sep}{rest}"


@never_cache
@require_safe
def health(request):
    checks = {"database": check_database(), "broker": check_broker()}
    status = 200 if all(value == OK for value in checks.values()) else 503
    return JsonResponse(checks, status=status)
