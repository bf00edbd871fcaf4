"""`/health/`: is the database reachable, and the Celery broker?

For load balancers, container health checks and monitoring. Answers JSON such as
`{"database": "ok", "broker": "ok", "outbox": "ok", "outbox_stuck": 0}` with 200 when the
database and the broker answer, 503 otherwise. Outbox rows still pending 15 minutes after they
were recorded (pic/outbox.py) make `"outbox": "warning"` without failing the probe: the app
works, its emails and letters are late. It needs no login and says nothing about why a check
failed (that goes to the log); coordination staff see the stuck rows on the health page.
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
WARNING = "warning"
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


def check_outbox() -> tuple[str, int]:
    """("ok" | "warning", how many rows are stuck); ("error", 0) when it cannot tell."""
    from pic.outbox import stuck_messages

    try:
        stuck = stuck_messages().count()
    except Exception:
        logger.exception("Health check: the outbox cannot be read")
        return ERROR, 0
    if stuck:
        logger.warning("Health check: %s outbox message(s) pending for over 15 minutes", stuck)
    return (WARNING if stuck else OK), stuck


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
    checks["outbox"], checks["outbox_stuck"] = (check_outbox() if checks["database"] == OK
                                                else (ERROR, 0))
    return JsonResponse(checks, status=status)
