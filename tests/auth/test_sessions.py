"""A person sees their active sessions (device, IP, last seen) and ends the others; changing
the password ends them too."""

from django.test import Client
from django.urls import reverse
from django.utils import translation

from pic.sessions import device_label
from tests import factories

from .conftest import is_signed_in, password_step

FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
                 "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1")


def signed_in(user, user_agent: str, ip: str) -> Client:
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    password_step(client, user.email)
    assert is_signed_in(client)
    return client


def test_the_sessions_page_lists_each_device_and_ends_the_others(tq_saint_michel):
    laptop = signed_in(tq_saint_michel, FIREFOX_LINUX, "198.51.100.4")
    phone = signed_in(tq_saint_michel, SAFARI_IPHONE, "203.0.113.8")

    page = laptop.get(reverse("usersessions_list"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Firefox, Linux" in body
    assert "Safari, iPhone" in body
    assert "198.51.100.4" in body
    assert "203.0.113.8" in body
    assert "Vu pour la dernière fois" in body

    laptop.post(reverse("usersessions_list"))

    assert phone.get(reverse("home")).status_code == 302  # back to the login page
    assert laptop.get(reverse("home")).status_code == 200
    body = laptop.get(reverse("usersessions_list")).content.decode()
    assert "203.0.113.8" not in body


def test_changing_the_password_ends_the_other_sessions(tq_saint_michel):
    laptop = signed_in(tq_saint_michel, FIREFOX_LINUX, "198.51.100.4")
    phone = signed_in(tq_saint_michel, SAFARI_IPHONE, "203.0.113.8")

    response = laptop.post(reverse("account_change_password"), {
        "oldpassword": factories.PASSWORD, "password1": "Un-nouveau-mot-de-passe-2027",
        "password2": "Un-nouveau-mot-de-passe-2027"})
    assert response.status_code == 302

    assert phone.get(reverse("home")).status_code == 302
    assert laptop.get(reverse("home")).status_code == 200


def test_the_account_area_links_to_the_sessions(client, tq_saint_michel):
    client.force_login(tq_saint_michel)
    body = client.get(reverse("account_change_password")).content.decode()
    assert reverse("usersessions_list") in body


def test_device_labels():
    assert device_label(FIREFOX_LINUX) == "Firefox, Linux"
    assert device_label(SAFARI_IPHONE) == "Safari, iPhone"
    assert device_label("curl/8.5.0") == "curl/8.5.0"
    with translation.override("fr"):
        assert device_label("") == "Appareil inconnu"


def test_the_sessions_page_in_english(client, tq_saint_michel):
    client.force_login(tq_saint_michel)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("usersessions_list")).content.decode()
    assert "Active sessions" in body
    assert "Last seen" in body
