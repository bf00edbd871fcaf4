"""allauth's account emails (here the password reset) go through the outbox: recorded with the
request, sent once after it commits, and a mail server that fails costs a retry, not a 500."""

import smtplib

import pytest
from django.urls import reverse

from pic.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_a_password_reset_email_is_sent_through_the_outbox(
        client, tq_saint_michel, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"),
                               {"email": tq_saint_michel.email})
    assert response.status_code == 302
    message = OutboxMessage.objects.get(task="pic.tasks.send_account_email")
    assert message.done_at is not None
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [tq_saint_michel.email]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_a_failing_mail_server_leaves_the_email_pending_not_a_500(
        client, tq_saint_michel, monkeypatch, mailoutbox, django_capture_on_commit_callbacks):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server gone")

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"),
                               {"email": tq_saint_michel.email})
    assert response.status_code == 302  # the page answers; the email waits for the sweep
    message = OutboxMessage.objects.get(task="pic.tasks.send_account_email")
    assert message.done_at is None
    assert mailoutbox == []
