"""Login failures count per account and per client IP, the IP read behind the configured
number of trusted proxies: one person's five bad passwords lock only their own account."""

from tests import factories

from .conftest import is_signed_in, password_step

PROXY = {"REMOTE_ADDR": "10.0.0.1"}  # every user arrives through the same proxy


def test_five_bad_passwords_lock_that_account_not_the_others_behind_the_proxy(
        client, tq_saint_michel, tq_verdun):
    for _ in range(5):
        password_step(client, tq_saint_michel.email, "faux", **PROXY)
    password_step(client, tq_saint_michel.email, **PROXY)
    assert not is_signed_in(client)  # locked: even the right password is refused

    password_step(client, tq_verdun.email, **PROXY)
    assert is_signed_in(client)


def test_the_client_ip_comes_from_x_forwarded_for_behind_trusted_proxies(
        client, settings, db):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS,
                                    "login_failed": "3/5m/ip,100/5m/key"}
    people = [factories.UserFactory(email=f"p{i}@example.org") for i in range(4)]

    def attempt(person, client_ip, password="faux"):  # noqa: S107
        return password_step(client, person.email, password,
                             HTTP_X_FORWARDED_FOR=f"{client_ip}", **PROXY)

    for person in people[:3]:
        attempt(person, "203.0.113.7")
    attempt(people[3], "203.0.113.7", factories.PASSWORD)
    assert not is_signed_in(client)  # that client IP has used up its failures

    attempt(people[3], "198.51.100.9", factories.PASSWORD)  # same proxy, another client
    assert is_signed_in(client)


def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, settings, db):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS,
                                    "login_failed": "3/5m/ip,100/5m/key"}
    people = [factories.UserFactory(email=f"q{i}@example.org") for i in range(4)]
    for i, person in enumerate(people[:3]):  # a forged header per attempt changes nothing
        password_step(client, person.email, "faux", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}",
                      **PROXY)
    password_step(client, people[3].email, HTTP_X_FORWARDED_FOR="192.0.2.99", **PROXY)
    assert not is_signed_in(client)


def test_the_settings_read_the_proxies_from_the_environment():
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pic.settings",
           "ALLAUTH_TRUSTED_PROXY_COUNT": "2", "ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup(); from allauth import app_settings "
         "as s; print(s.TRUSTED_PROXY_COUNT, s.TRUSTED_CLIENT_IP_HEADER)"],
        env=env, capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "2 X-Real-IP"
