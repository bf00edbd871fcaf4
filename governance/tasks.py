"""Celery tasks: ids in, re-fetch, return early when the work is done, call a service."""

import smtplib

from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from pic.access import SYSTEM
from pic.models import User
from proposals.models import Proposal

from .models import AgendaItem, Meeting, Vote

# PDF work is bounded: past the soft limit the task gets SoftTimeLimitExceeded (the service
# leaves no file or row behind); past the hard limit the worker process is replaced.
PDF_SOFT_TIME_LIMIT = 120
PDF_TIME_LIMIT = 180

# Transient failures only: the mail server unreachable or hanging up.
TRANSIENT = (ConnectionError, TimeoutError, smtplib.SMTPConnectError,
             smtplib.SMTPServerDisconnected)


@shared_task(bind=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5,
             reject_on_worker_lost=True, soft_time_limit=PDF_SOFT_TIME_LIMIT,
             time_limit=PDF_TIME_LIMIT)
def send_decision_letter(self, proposal_id: int, kind: str,
                         amendment_number: int = 0) -> int | None:
    """Idempotent: the service makes the letter once, whatever the retries (and asks the
    outbox for its email, once); a failed attempt leaves neither a row nor a file behind, so
    the retry starts afresh."""
    from .services import letter_issue

    proposal = Proposal.objects.filter(pk=proposal_id).first()
    if proposal is None:
        return None
    letter = letter_issue(proposal=proposal, kind=kind, actor=SYSTEM,
                          amendment_number=amendment_number)
    return letter.pk if letter else None


@shared_task(reject_on_worker_lost=True, soft_time_limit=PDF_SOFT_TIME_LIMIT,
             time_limit=PDF_TIME_LIMIT)
def generate_minutes(meeting_id: int, actor_id: int) -> int | None:
    """A new version of the meeting's minutes, asked for by a staff member."""
    from .services import minutes_generate

    meeting = Meeting.objects.filter(pk=meeting_id).first()
    actor = User.objects.filter(pk=actor_id, is_active=True).first()
    if meeting is None or actor is None:
        return None
    return minutes_generate(meeting=meeting, actor=actor).pk


@shared_task(bind=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5,
             reject_on_worker_lost=True, soft_time_limit=60, time_limit=90)
def email_decision_letter(self, letter_id: int) -> int | None:
    """Idempotent: emails the stored letter once (its row lock and `emailed_at`)."""
    from .models import DecisionLetter
    from .services import letter_email_send

    letter = DecisionLetter.objects.filter(pk=letter_id).first()
    if letter is None:
        return None
    return letter_email_send(letter=letter).pk


# Vote reminders are notifications now (pic.notifications, "vote.closing_soon"); this task
# stays for the reminders recorded in the outbox before that change.
# Not idempotent (a reminder per member): not requeued when its worker dies mid-loop.
@shared_task
def send_vote_reminders(item_id: int, user_ids: list[int]) -> int:
    item = (AgendaItem.objects.select_related("meeting__committee", "proposal")
            .filter(pk=item_id, status=AgendaItem.Status.OPEN).first())
    if item is None:
        return 0
    voted = set(Vote.objects.filter(item=item).values_list("member__user_id", flat=True))
    sent = 0
    for user in User.objects.filter(pk__in=user_ids, is_active=True).exclude(pk__in=voted):
        with translation.override(user.language):
            send_mail(
                _("Rappel : votre vote est attendu"),
                render_to_string("governance/email/vote_reminder.txt",
                                 {"item": item, "user": user}),
                None, [user.email],
            )
        sent += 1
    return sent


@shared_task(reject_on_worker_lost=True)
def notify_votes_closing_soon() -> int:
    """Daily (pic/schedule.py): members who have not voted on tomorrow's items are told."""
    from .services.votes import votes_closing_soon_notify

    return votes_closing_soon_notify()
