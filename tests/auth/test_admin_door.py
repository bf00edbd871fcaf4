"""/admin/login/ never authenticates anyone: every login goes through allauth (its rate
limits, its MFA step), and the admin never shows a TOTP secret."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests import factories

from .conftest import current_code, is_signed_in, password_step, totp_step, with_totp


@pytest.fixture
def staff(coordination):
    coordination.is_staff = True
    coordination.is_superuser = True
    coordination.save(update_fields=["is_staff", "is_superuser"])
    return coordination


def test_posting_valid_credentials_to_the_admin_login_reaches_nothing(client, staff):
    response = client.post(reverse("admin:login"),
                           {"username": staff.email, "password": factories.PASSWORD,
                            "next": reverse("admin:index")})

    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("account_login")
    assert not is_signed_in(client)
    for url in (reverse("home"), reverse("neighbourhoods:audit-log"), reverse("admin:index"),
                reverse("admin:mfa_authenticator_changelist")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert urlsplit(response.url).path in (reverse("account_login"),
                                               reverse("admin:login")), url


def test_admin_login_hands_over_to_allauth_with_next(client, db):
    response = client.get(reverse("admin:login"), {"next": "/admin/pic/user/"})
    assert response.status_code == 302
    parts = urlsplit(response.url)
    assert parts.path == reverse("account_login")
    assert parse_qs(parts.query)["next"] == ["/admin/pic/user/"]


def test_admin_login_refuses_a_next_on_another_site(client, db):
    response = client.get(reverse("admin:login"), {"next": "https://evil.example.com/"})
    assert parse_qs(urlsplit(response.url).query)["next"] == [reverse("admin:index")]


def test_staff_reach_the_admin_after_allauth_login_and_totp(client, staff):
    secret = with_totp(staff)
    response = password_step(client, staff.email, next=reverse("admin:index"))
    assert response.url.startswith(reverse("mfa_authenticate"))
    assert not is_signed_in(client)  # the password alone opens nothing
    assert client.get(reverse("admin:index")).status_code == 302

    totp_step(client, current_code(secret))

    assert is_signed_in(client)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_session_allauth_did_not_open_is_asked_to_reauthenticate(client, staff):
    client.force_login(staff)  # e.g. a session opened behind allauth's back
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    assert "admin/index.html" not in [t.name for t in response.templates]


def test_a_session_without_the_second_factor_is_asked_for_it(client, staff, settings):
    settings.PIC_REQUIRE_STAFF_MFA = False
    with_totp(staff)
    client.force_login(staff)
    session = client.session  # allauth recorded a password, not the second factor
    session["account_authentication_methods"] = [{"method": "password", "at": 0}]
    session["account_authentication_methods_user"] = str(staff.pk)
    session.save()
    response = client.get(reverse("admin:login"))
    assert urlsplit(response.url).path == reverse("mfa_reauthenticate")


def test_non_staff_signed_in_through_allauth_get_no_admin(client, tq_saint_michel):
    password_step(client, tq_saint_michel.email)
    assert is_signed_in(client)
    assert client.get(reverse("admin:login")).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_admin_never_shows_totp_secrets(client, staff):
    secret = with_totp(staff)
    password_step(client, staff.email)
    totp_step(client, current_code(secret))
    authenticator = Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP)
    stored = authenticator.data["secret"]

    pages = [client.get(reverse("admin:mfa_authenticator_changelist")),
             client.get(reverse("admin:mfa_authenticator_change", args=[authenticator.pk]))]

    for page in pages:
        assert page.status_code == 200
        body = page.content.decode()
        assert secret not in body
        assert stored not in body
        assert "fernet:" not in body
    assert client.get(reverse("admin:mfa_authenticator_add")).status_code == 403
