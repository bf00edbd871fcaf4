"""QA findings on governance: the "add to agenda" list, the ratification delays in words,
and a decision letter whose email fails."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone, translation

from governance import selectors, services, tasks
from governance.models import DecisionLetter
from governance.selectors import RatificationRow
from pic import outbox
from pic.models import OutboxMessage
from proposals.models import Proposal
from tests.governance.conftest import make_proposal

pytestmark = pytest.mark.django_db


# --- "Add to agenda" ------------------------------------------------------------------------


def test_agenda_choices_leave_out_what_is_already_on_this_meeting(
        client, coordination, meeting, item, stage, saint_michel):
    other = make_proposal(saint_michel, stage, title="Autre proposition")
    client.force_login(coordination)
    response = client.get(reverse("governance:meeting-detail", args=[meeting.pk]))
    choices = list(response.context["add_form"].fields["proposal"].queryset)
    assert item.proposal not in choices
    assert other in choices


def test_agenda_choices_leave_out_proposals_waiting_for_a_vote_elsewhere(
        coordination, gestion, item, stage, saint_michel):
    later = services.meeting_create(committee=gestion, title="Rencontre de décembre",
                                    held_on=timezone.localdate() + datetime.timedelta(days=30),
                                    actor=coordination)
    choices = selectors.proposals_for_agenda(user=coordination, meeting=later)
    assert item.proposal not in choices


def test_adding_the_same_proposal_twice_is_harmless(client, coordination, meeting, item):
    client.force_login(coordination)
    response = client.post(reverse("governance:agenda-item-add", args=[meeting.pk]),
                           {"proposal": item.proposal_id}, follow=True)
    assert meeting.items.count() == 1
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


# --- Ratification delays in words -----------------------------------------------------------


def _row(days_left):
    return RatificationRow(proposal=None, deadline=None, days_left=days_left)


def test_a_late_file_reads_late_by_so_many_days():
    with translation.override("fr"):
        assert _row(-1646).delay_label == "en retard de 1\xa0646 jours"
        assert _row(-1).delay_label == "en retard de 1 jour"


def test_a_file_at_risk_reads_days_left():
    with translation.override("fr"):
        assert _row(7).delay_label == "il reste 7 jours"
        assert _row(1).delay_label == "il reste 1 jour"


def test_the_ratification_page_shows_no_negative_number(client, coordination, saint_michel,
                                                        stage):
    make_proposal(saint_michel, stage, status=Proposal.Status.RECOMMENDED,
                  deadline=timezone.localdate() - datetime.timedelta(days=2000))
    client.force_login(coordination)
    html = client.get(reverse("governance:ratification-list")).content.decode()
    assert "(-" not in html
    assert "En retard de" in html


# --- A decision letter whose email fails ----------------------------------------------------


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionError("SMTP down")


def _letter_files(settings):
    root = settings.PRIVATE_MEDIA_ROOT / "letters"
    return sorted(root.iterdir()) if root.exists() else []


def test_a_failed_email_keeps_the_letter_and_the_outbox_sends_it_once_later(
        settings, saint_michel, stage, tq_saint_michel, coordination,
        django_capture_on_commit_callbacks):
    """The email leaves after the letter's transaction commits: an SMTP failure neither
    rolls the letter back nor loses the email; the sweep sends it, once."""
    proposal = make_proposal(saint_michel, stage, status=Proposal.Status.NOT_RECOMMENDED)
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        letter_pk = tasks.send_decision_letter(proposal.pk, DecisionLetter.Kind.REFUSAL)
        services.letter_send(letter=DecisionLetter.objects.get(), actor=coordination)
    letter = DecisionLetter.objects.get()
    assert letter.pk == letter_pk
    assert letter.emailed_at is None
    assert [p.name for p in _letter_files(settings)] == [letter.file.name.split("/")[-1]]
    message = OutboxMessage.objects.get(key=f"letter-email:{letter.pk}")
    assert message.done_at is None
    assert "SMTP down" in message.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later = timezone.now() + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.dispatch_pending(now=later) == 1
        tasks.send_decision_letter(proposal.pk, DecisionLetter.Kind.REFUSAL)  # a retry
        outbox.dispatch_pending(now=later + datetime.timedelta(hours=1))
    letter.refresh_from_db()
    message.refresh_from_db()
    assert letter.emailed_at is not None
    assert message.done_at is not None
    assert DecisionLetter.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_letter_task_for_a_transient_smtp_failure_is_retried():
    import smtplib

    assert smtplib.SMTPServerDisconnected in tasks.send_decision_letter.autoretry_for
