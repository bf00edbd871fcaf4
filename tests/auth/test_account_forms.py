"""allauth's own account pages (password change and reset, email addresses) show their errors
like every other form: a summary linking to each field, the error under its field, what was
typed kept, and no browser-side check that would answer in the browser's language."""

import re

from django.urls import reverse

SUMMARY = 'class="form-errors" role="alert"'


def form_tag(body: str, action: str) -> str:
    return re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>', body).group(0)


def test_password_change_submitted_empty_links_each_error_to_its_field(client, tq_saint_michel):
    client.force_login(tq_saint_michel)
    url = reverse("account_change_password")

    body = client.post(url, {}).content.decode()

    assert SUMMARY in body
    assert re.search(r'<a href="#id_oldpassword">Mot de passe actuel\s*:\s*Ce champ est '
                     r"obligatoire\.</a>", body)
    assert '<p class="error" id="id_password1_error">Ce champ est obligatoire.</p>' in body
    assert '<label for="id_oldpassword">' in body
    assert "novalidate" in form_tag(body, url)


def test_password_reset_keeps_a_mistyped_address_and_says_what_is_wrong(client):
    url = reverse("account_reset_password")

    body = client.post(url, {"email": "pas-une-adresse"}).content.decode()

    assert SUMMARY in body
    assert 'href="#id_email"' in body
    assert 'value="pas-une-adresse"' in body
    assert "novalidate" in form_tag(body, url)


def test_adding_an_email_address_keeps_what_was_typed(client, tq_saint_michel):
    client.force_login(tq_saint_michel)
    url = reverse("account_email")

    body = client.post(url, {"action_add": "", "email": "nouvelle@"}).content.decode()

    assert SUMMARY in body
    assert 'value="nouvelle@"' in body
    assert "novalidate" in form_tag(body, url)
