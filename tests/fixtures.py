"""Fixtures for the app tests (registered from conftest.py)."""

import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def saint_michel(db):
    return factories.NeighbourhoodFactory(name="Saint-Michel")


@pytest.fixture
def verdun(db):
    return factories.NeighbourhoodFactory(name="Verdun")


@pytest.fixture
def coordination(db):
    return factories.make_coordination(email="coordination@example.org")


@pytest.fixture
def tq_saint_michel(saint_michel):
    return factories.make_member(saint_michel, email="tq.saint-michel@example.org")


@pytest.fixture
def tq_verdun(verdun):
    return factories.make_member(verdun, email="tq.verdun@example.org")


@pytest.fixture
def advisor_est(saint_michel):
    return factories.make_advisor(saint_michel, email="conseillere.est@example.org")


@pytest.fixture(autouse=True)
def _media_in_a_scratch_folder(settings, tmp_path):
    """Uploaded documents, letters and minutes land in the test's own folder, never in media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media" / "private"
