"""Law 25 on a shared computer: proposal drafts kept in the browser never outlive the person's
session (static/js/pic.js)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from pic.models import User

pytestmark = pytest.mark.browser

PASSWORD = "pic-test-2026"  # noqa: S105


def person(email):
    user = User.objects.create_user(email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def log_in(page, user):
    page.goto(reverse("account_login"))
    form = page.locator("form", has=page.locator('input[name="login"]'))
    form.locator('input[name="login"]').fill(user.email)
    form.locator('input[name="password"]').fill(PASSWORD)
    form.locator("button[type=submit]").first.click()
    page.wait_for_url(page.base_url + reverse("home"))


def stored_drafts(page):
    return page.evaluate("""() => [sessionStorage, localStorage].map(s =>
        Object.keys(s).filter(k => k.startsWith("pic-proposal-draft-")).sort())""")


def test_logging_out_clears_the_drafts_kept_in_the_browser(page):
    user = person("poste.partage@example.org")
    log_in(page, user)
    page.evaluate(f"""() => {{
        sessionStorage.setItem("pic-proposal-draft-{user.pk}-7", '{{"vision": "secret"}}');
        localStorage.setItem("pic-proposal-draft-7", '{{"vision": "ancienne copie"}}');
        sessionStorage.setItem("autre-chose", "gardé");
    }}""")
    page.reload()
    assert stored_drafts(page) == [[f"pic-proposal-draft-{user.pk}-7"], []]  # own draft kept
    page.evaluate(f"""() => sessionStorage.setItem("pic-report-draft-{user.pk}-4",
                                                  '{{"edi": "secret"}}')""")
    page.locator(f'form[action="{reverse("account_logout")}"] button').first.click()
    page.wait_for_url(re.compile(".*" + re.escape(reverse("account_login"))))
    assert stored_drafts(page) == [[], []]
    report_key = f"pic-report-draft-{user.pk}-4"
    assert page.evaluate(f"() => sessionStorage.getItem('{report_key}')") is None
    assert page.evaluate("() => sessionStorage.getItem('autre-chose')") == "gardé"


def test_another_person_on_the_same_tab_never_gets_a_draft_back(page):
    first, second = person("premiere@example.org"), person("seconde@example.org")
    log_in(page, first)
    page.evaluate(f"""() => sessionStorage.setItem("pic-proposal-draft-{first.pk}-3",
                                                  '{{"vision": "à moi"}}')""")
    page.context.clear_cookies()  # the session ends without a logout (e.g. it expires)
    log_in(page, second)
    assert stored_drafts(page) == [[], []]
