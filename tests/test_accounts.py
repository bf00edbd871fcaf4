"""Login, logout, role home pages and the two-factor rule for coordination staff."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests import factories


def test_login_with_email_and_logout(client, tq_saint_michel):
    response = client.post(reverse("account_login"),
                           {"login": "TQ.Saint-Michel@example.org",
                            "password": factories.PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).context["user"] == tq_saint_michel

    client.post(reverse("account_logout"))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_wrong_password_is_refused_and_keeps_the_email(client, tq_saint_michel):
    response = client.post(reverse("account_login"),
                           {"login": "tq.saint-michel@example.org", "password": "faux"})
    assert response.status_code == 200
    assert "tq.saint-michel@example.org" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_public_signup_is_closed(client, db):
    response = client.post(reverse("account_signup"), {
        "email": "x@example.org", "password1": "Quartier-2026-x", "password2": "Quartier-2026-x"})
    assert response.status_code == 200
    assert not factories.User.objects.filter(email="x@example.org").exists()


@pytest.mark.parametrize(("who", "template"), [
    ("coordination", "reporting/home_coordination.html"),
    ("advisor_est", "reporting/home_advisor.html"),
    ("tq_saint_michel", "reporting/home_neighbourhood.html"),
])
def test_each_role_lands_on_its_home_page(client, request, who, template):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("home"))
    assert template in [t.name for t in response.templates]


def test_committee_member_home(client, db):
    seat = factories.make_committee_member()
    client.force_login(seat.user)
    response = client.get(reverse("home"))
    assert "reporting/home_committee.html" in [t.name for t in response.templates]
    assert seat.committee.name in response.content.decode()


def test_staff_without_mfa_are_sent_to_set_it_up(client, coordination, settings):
    settings.PIC_REQUIRE_STAFF_MFA = True
    client.post(reverse("account_login"),
                {"login": coordination.email, "password": factories.PASSWORD})
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    # The set-up page stays reachable (allauth first asks to confirm the password).
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))


def test_staff_with_mfa_pass(client, coordination, settings):
    settings.PIC_REQUIRE_STAFF_MFA = True
    Authenticator.objects.create(user=coordination, type=Authenticator.Type.TOTP,
                                 data={"secret": "x"})
    client.force_login(coordination)
    assert client.get(reverse("home")).status_code == 200


def test_mfa_rule_off_lets_staff_in(client, coordination, settings):
    settings.PIC_REQUIRE_STAFF_MFA = False
    client.force_login(coordination)
    assert client.get(reverse("home")).status_code == 200


def test_mfa_rule_spares_neighbourhood_people(client, tq_saint_michel, settings):
    settings.PIC_REQUIRE_STAFF_MFA = True
    client.force_login(tq_saint_michel)
    assert client.get(reverse("home")).status_code == 200


def test_english_switch(client, tq_saint_michel):
    client.force_login(tq_saint_michel)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("home"))
    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


def test_repeated_failed_logins_are_rate_limited(client, tq_saint_michel):
    for _ in range(5):
        client.post(reverse("account_login"),
                    {"login": "tq.saint-michel@example.org", "password": "faux"})
    response = client.post(reverse("account_login"),
                           {"login": "tq.saint-michel@example.org",
                            "password": factories.PASSWORD})
    assert not response.wsgi_request.user.is_authenticated


def test_french_by_default_whatever_the_browser_says(client, tq_saint_michel):
    client.force_login(tq_saint_michel)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "fr"


def test_switching_language_is_remembered_on_the_profile(client, tq_saint_michel):
    client.force_login(tq_saint_michel)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.get(reverse("home"))
    tq_saint_michel.refresh_from_db()
    assert tq_saint_michel.language == "en"
