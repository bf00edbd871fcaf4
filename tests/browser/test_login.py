"""A person logs in through the login form, lands on the home page, and logs out."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse

from pic.models import User

pytestmark = pytest.mark.browser

EMAIL = "navigatrice@example.org"
PASSWORD = "pic-test-2026"  # noqa: S105


def submit(form):
    form.locator("button[type=submit], input[type=submit]").first.click()


def cookie_names(page):
    return {cookie["name"] for cookie in page.context.cookies()}


def test_login_then_logout(page):
    user = User.objects.create_user(email=EMAIL, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    base = page.base_url
    home_url = base + reverse("home")
    login_url = base + reverse("account_login")

    page.goto(reverse("account_login"))
    form = page.locator("form", has=page.locator('input[name="login"]'))
    form.locator('input[name="login"]').fill(EMAIL)
    form.locator('input[name="password"]').fill(PASSWORD)
    submit(form)

    page.wait_for_url(home_url)
    assert page.url == home_url
    assert settings.SESSION_COOKIE_NAME in cookie_names(page)

    # Log out as a person would: the logout button of the page (a POST form), else the
    # confirmation page that allauth shows at the logout URL.
    logout_forms = page.locator(f'form[action="{reverse("account_logout")}"]')
    if logout_forms.count() == 0:
        page.goto(reverse("account_logout"))
    submit(logout_forms.first)

    page.wait_for_url(re.compile("^" + re.escape(login_url)))
    assert settings.SESSION_COOKIE_NAME not in cookie_names(page)
    # Logged out: the home page sends the visitor back to the login form.
    page.goto(reverse("home"))
    assert page.url.startswith(login_url)
