"""A person's private iCalendar feed (reporting/models/calendar.py): made, made anew (the old
address stops working) or revoked by the person alone, from their account."""

import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pic.audit import audit
from pic.models import User

from ..models import CalendarFeed


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _own(user: User, actor: User) -> None:
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied(_("Chacun gère son propre agenda."))


@transaction.atomic
def calendar_feed_create(*, user: User, actor: User) -> str:
    """A new secret address (returned once: only its digest is kept); any older one of the
    person stops working."""
    _own(user, actor)
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(user=user, defaults={
        "token_sha256": token_digest(token), "created_at": timezone.now()})
    audit(actor, "calendar_feed.created", user)
    return token


@transaction.atomic
def calendar_feed_revoke(*, user: User, actor: User) -> bool:
    _own(user, actor)
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    if deleted:
        audit(actor, "calendar_feed.revoked", user)
    return bool(deleted)


def calendar_feed_owner(*, token: str) -> User | None:
    """The active person whose feed this token opens, or None."""
    feed = (CalendarFeed.objects.select_related("user")
            .filter(token_sha256=token_digest(token), user__is_active=True).first())
    return feed.user if feed else None
