"""Celery tasks: take ids, re-fetch, return early when the work is done."""

from celery import shared_task
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from neighbourhoods.models import Membership
from pic import outbox

from .models import ProposalVersion


def receipt_recipients(neighbourhood_id: int) -> list[str]:
    members = Membership.objects.active().filter(
        neighbourhood_id=neighbourhood_id, user__is_active=True).values_list("user__email",
                                                                               flat=True)
    return sorted(set(members))


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5,
             reject_on_worker_lost=True)
def send_submission_receipt(version_id: int) -> int:
    """Email the receipt of a (re)submission to the neighbourhood's members (its advisors are
    told by their notification, pic.notifications: one email each), in
    the neighbourhood's language. Once per version, one outbox message per member (a mail
    server failing in the middle of the list never sends the first ones twice). Returns the
    number of emails."""
    with transaction.atomic():
        version = (ProposalVersion.objects.select_for_update(of=("self",))
                   .select_related("proposal__neighbourhood", "proposal__stage",
                                   "proposal__window").filter(pk=version_id).first())
        if version is None or version.receipt_sent_at is not None:
            return 0
        proposal = version.proposal
        neighbourhood = proposal.neighbourhood
        recipients = receipt_recipients(neighbourhood.pk)
        with translation.override(neighbourhood.language):
            subject = _("Accusé de réception — %(title)s (version %(n)s)") % {
                "title": proposal.title, "n": version.number}
            body = render_to_string("proposals/email/receipt.txt",
                                    {"proposal": proposal, "version": version,
                                     "neighbourhood": neighbourhood})
        for email in recipients:  # one outbox message each: a retry never sends one twice
            outbox.schedule_email(EmailMessage(subject, body, None, [email]),
                                  key=f"receipt:{version.pk}:{email}")
        version.receipt_sent_at = timezone.now()
        version.save(update_fields=["receipt_sent_at"])
        return len(recipients)
