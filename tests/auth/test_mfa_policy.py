"""Who must use two-factor authentication: everyone who reads beyond their own neighbourhood,
one setting per role group (pic/mfa.py, the one place that decides)."""

import pytest
from django.urls import reverse

from pic.mfa import mfa_required

from .conftest import with_totp

GROUPS = {  # fixture → its group in PIC_MFA_REQUIRED
    "coordination": "coordination",
    "advisor_est": "advisor",
    "committee_member": "committee",
    "partner": "partner",
    "superuser": "superuser",
}


@pytest.fixture
def mfa_on(settings):
    settings.PIC_REQUIRE_STAFF_MFA = True
    settings.PIC_MFA_REQUIRED = dict.fromkeys(GROUPS.values(), True)
    return settings


@pytest.mark.parametrize("who", sorted(GROUPS))
def test_each_group_without_mfa_is_sent_to_set_it_up(client, request, db, mfa_on, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


@pytest.mark.parametrize("who", sorted(GROUPS))
def test_each_group_with_totp_gets_in(client, request, db, mfa_on, who):
    user = request.getfixturevalue(who)
    with_totp(user)
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("who", sorted(GROUPS))
def test_each_group_has_its_own_setting(request, db, mfa_on, who):
    user = request.getfixturevalue(who)
    assert mfa_required(user)
    mfa_on.PIC_MFA_REQUIRED = {**mfa_on.PIC_MFA_REQUIRED, GROUPS[who]: False}
    user = type(user).objects.get(pk=user.pk)  # roles are cached per request on the object
    assert not mfa_required(user)


def test_a_superuser_with_no_program_role_must_have_mfa(mfa_on, superuser):
    from pic.access import roles_of

    roles = roles_of(superuser)
    assert not any((roles.coordination, roles.advisor, roles.committee_member, roles.partner,
                    roles.neighbourhood_member))  # no role at all
    assert mfa_required(superuser)


def test_neighbourhood_people_are_spared(client, mfa_on, tq_saint_michel):
    assert not mfa_required(tq_saint_michel)
    client.force_login(tq_saint_michel)
    assert client.get(reverse("home")).status_code == 200


def test_the_switch_off_spares_everyone(mfa_on, coordination, superuser):
    mfa_on.PIC_REQUIRE_STAFF_MFA = False
    assert not mfa_required(coordination)
    assert not mfa_required(superuser)


def test_the_defaults_follow_debug():
    import os
    import subprocess
    import sys

    def required(debug: str) -> str:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PIC_", "DEBUG"))}
        env.update(DEBUG=debug, SECRET_KEY="s" * 50, PIC_MFA_ENCRYPTION_KEYS=(
            "pcGd5xIYRt0LZCnZhK-VmJhmCPppUjDZnkHPgrSE-G4="), ALLOWED_HOSTS="pic.example.org")
        return subprocess.run(  # noqa: S603
            [sys.executable, "-c", "import django; django.setup(); from django.conf import "
             "settings as s; print(s.PIC_REQUIRE_STAFF_MFA, all(s.PIC_MFA_REQUIRED.values()))"],
            env={**env, "DJANGO_SETTINGS_MODULE": "pic.settings"}, capture_output=True,
            text=True, check=True, timeout=60,
        ).stdout.strip()

    assert required("false") == "True True"
    assert required("true") == "False True"


def test_the_set_up_pages_stay_reachable(client, mfa_on, coordination):
    client.force_login(coordination)
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
