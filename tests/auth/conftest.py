"""Helpers for the "one door in" tests: people with TOTP, and logging in through allauth."""

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.urls import reverse

from neighbourhoods import services as neighbourhood_services
from neighbourhoods.models import StaffRole
from pic.access import SYSTEM
from tests import factories

CODE_MARGIN = 3  # seconds: a code read this close to its period's end may expire unchecked


def current_code(secret: str) -> str:
    """The authenticator app's code now, valid for a few seconds more at least: allauth
    accepts the current period's code only (no tolerance), and a code read at the end of its
    period failed when the request reached the server in the next one (a rare flaky test)."""
    left = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
    if left < CODE_MARGIN:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def with_totp(user) -> str:
    """Activate TOTP for `user` as allauth does; returns the secret (for the authenticator app)."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def password_step(client, email: str, password: str = factories.PASSWORD, *, next: str = "",
                  **extra):
    data = {"login": email, "password": password} | ({"next": next} if next else {})
    return client.post(reverse("account_login"), data, **extra)


def totp_step(client, code: str):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def partner(db):
    user = factories.UserFactory(email="partenaire@example.org")
    neighbourhood_services.staff_role_grant(user=user, role=StaffRole.Role.PARTNER, actor=SYSTEM)
    return user


@pytest.fixture
def committee_member(db):
    return factories.make_committee_member(email="comite@example.org").user


@pytest.fixture
def superuser(db):
    return factories.UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
