"""/health/ reports the database and the broker: 200 when both answer, 503 otherwise."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_is_ok_when_database_and_broker_answer(client):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_health_needs_no_login_and_is_not_cached(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


def test_health_reports_a_stopped_broker_with_503(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "error"}


def test_health_reports_an_unreachable_database_with_503(client):
    with mock.patch("pic.health.connections") as connections:
        connections.__getitem__.return_value.cursor.side_effect = OperationalError("down")
        response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_health_accepts_head_but_not_post(client):
    assert client.head(reverse("health")).status_code == 200
    assert client.post(reverse("health")).status_code == 405
