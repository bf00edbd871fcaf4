"""Celery tasks: ids in, re-fetch, a service does the work."""

from celery import shared_task


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_invitation_email(invitation_id: int, base_url: str) -> bool:
    from .models import Invitation
    from .services import invitation_email_send

    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None:
        return False
    return invitation_email_send(invitation=invitation, base_url=base_url)
