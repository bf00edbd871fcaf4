"""/health/ reports the database and the broker: 200 when both answer, 503 otherwise."""

import datetime
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_is_ok_when_database_and_broker_answer(client):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"database": "ok", "broker": "ok", "outbox": "ok",
                               "outbox_stuck": 0}


def test_health_needs_no_login_and_is_not_cached(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


def test_health_reports_a_stopped_broker_with_503(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["broker"] == "error"


def test_health_reports_an_unreachable_database_with_503(client):
    with mock.patch("pic.health.connections") as connections:
        connections.__getitem__.return_value.cursor.side_effect = OperationalError("down")
        response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_health_accepts_head_but_not_post(client):
    assert client.head(reverse("health")).status_code == 200
    assert client.post(reverse("health")).status_code == 405


def _stuck_row(minutes, **fields):
    from django.utils import timezone

    from pic.models import OutboxMessage

    return OutboxMessage.objects.create(
        task="proposals.tasks.send_submission_receipt", args=[1], key=f"receipt:{minutes}",
        created_at=timezone.now() - datetime.timedelta(minutes=minutes), attempts=4,
        last_error="OperationalError('Error 111 connecting to redis')", **fields)


def test_health_warns_of_stuck_outbox_rows_without_failing_the_probe(client):
    _stuck_row(16)
    _stuck_row(5)  # recent: not stuck yet

    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response.json()["outbox"] == "warning"
    assert response.json()["outbox_stuck"] == 1


def test_the_health_page_shows_coordination_staff_the_stuck_rows(client, coordination):
    _stuck_row(16)
    client.force_login(coordination)

    html = client.get(reverse("neighbourhoods:health")).content.decode()

    assert "Envois bloqués depuis plus de 15 minutes" in html
    assert "receipt:16" in html
    assert "Error 111 connecting to redis" in html
    assert "1 envoi en attente" in html


def test_the_health_page_is_for_coordination_staff_only(client, tq_saint_michel):
    client.force_login(tq_saint_michel)
    assert client.get(reverse("neighbourhoods:health")).status_code == 403
