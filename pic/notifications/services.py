"""The one way every app tells people something: `notify(kind, recipients, obj, actor=...)`.

    notify("proposal.changes_requested", members, proposal, actor=advisor,
           event=f"v{proposal.version_number}")

- one inbox entry per person per event (`event` tells two events of the same kind on the same
  object apart, e.g. a second request for changes; the same call repeated, by a retry or a
  double click, adds nothing);
- the person's choice for the kind (NotificationPreference, else the kind's default):
  an email at once, the daily digest, or no email;
- emails through the outbox (pic.outbox) after the write commits, one per notification (its
  key), in the recipient's language, with a link to the object;
- the actor is never told of their own act; inactive people are skipped.

Call it inside the service's transaction: the entries and emails commit or roll back with it.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pic import outbox
from pic.access import SYSTEM, person
from pic.audit import audit
from pic.models import User

from .kinds import KINDS, Mode
from .kinds import kind as kind_of
from .links import url_of
from .models import Notification, NotificationPreference


def _ids(recipients: Iterable[Any]) -> set[int]:
    ids = set()
    for recipient in recipients:
        if recipient is None or recipient is SYSTEM:
            continue
        ids.add(recipient if isinstance(recipient, int) else recipient.pk)
    return ids


def modes_for(user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """Each person's email choice for the kind (their preference, else the default)."""
    user_ids = list(user_ids)
    chosen = dict(NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind)
                  .values_list("user_id", "mode"))
    default = kind_of(kind).default
    return {user_id: chosen.get(user_id, default) for user_id in user_ids}


def notify(kind: str, recipients: Iterable[Any], obj: models.Model | None = None, *,
           actor: Any, event: str = "", url: str | None = None, email: bool = True,
           tell_actor: bool = False, **context: Any) -> list[Notification]:
    """Tell `recipients` (users or ids) that `kind` happened to `obj`; returns the entries
    made now (none for people already told of this event). `email=False`: the inbox only
    (when the event's own email, e.g. a decision letter, already reaches them);
    `tell_actor`: the actor is among those told (a chair reminding themselves to vote)."""
    found = kind_of(kind)
    ids = _ids(recipients)
    actor_person = person(actor)
    if actor_person is not None and not tell_actor:
        ids.discard(actor_person.pk)
    if not ids:
        return []
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    event_key = ":".join([found.code, content_type.model if content_type else "-",
                          str(obj.pk) if obj is not None else "-", event])[:200]
    ids &= set(User.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
    ids -= set(Notification.objects.filter(event_key=event_key, recipient_id__in=ids)
               .values_list("recipient_id", flat=True))
    if not ids:
        return []
    modes = modes_for(ids, kind) if email else dict.fromkeys(ids, Mode.OFF)
    values = {"actor": str(actor_person) if actor_person else "",
              **{k: str(v) for k, v in context.items()}}
    link = url if url is not None else url_of(obj)
    Notification.objects.bulk_create(
        [Notification(recipient_id=user_id, kind=kind, actor=actor_person,
                      content_type=content_type, object_id=str(obj.pk) if obj else "",
                      object_repr=str(obj)[:255] if obj is not None else "", url=link,
                      context=values, event_key=event_key, email_mode=modes[user_id])
         for user_id in sorted(ids)], ignore_conflicts=True)
    made = list(Notification.objects.filter(event_key=event_key, recipient_id__in=ids))
    from .tasks import send_notification_email

    for row in made:
        if row.email_mode == Mode.IMMEDIATE:
            outbox.schedule(send_notification_email, row.pk, key=f"notification:{row.pk}")
    return made


def _absolute(url: str) -> str:
    return f"{settings.PIC_SITE_URL}{url}" if url.startswith("/") else url


def notification_email_send(*, notification_id: int) -> bool:
    """The immediate email of one notification: sent once (its row lock and `emailed_at`),
    in the recipient's language. A failure to send rolls back the mark: the outbox retries."""
    with transaction.atomic():
        row = (Notification.objects.select_for_update(of=("self",)).select_related("recipient")
               .filter(pk=notification_id, emailed_at__isnull=True,
                       recipient__is_active=True).first())
        if row is None:
            return False
        user = row.recipient
        with translation.override(user.language):
            context = {"user": user, "notifications": [row], "link": _absolute(row.url),
                       "site_url": settings.PIC_SITE_URL}
            subject = _("PIC : %(text)s") % {"text": row.text}
            body = render_to_string("notifications/email/notification.txt", context)
        row.emailed_at = timezone.now()
        row.save(update_fields=["emailed_at"])
        EmailMultiAlternatives(subject[:200], body, to=[user.email]).send()
    return True


def digest_schedule(*, today: datetime.date | None = None) -> int:
    """Daily: one digest per person with unread digest-mode notifications not yet emailed."""
    from .tasks import send_notification_digest

    today = today or timezone.localdate()
    user_ids = list(Notification.objects.filter(email_mode=Mode.DIGEST, emailed_at__isnull=True,
                                                read_at__isnull=True,
                                                recipient__is_active=True)
                    .order_by("recipient_id").values_list("recipient_id", flat=True).distinct())
    for user_id in user_ids:
        outbox.schedule(send_notification_digest, user_id, today.isoformat(),
                        key=f"notification-digest:{user_id}:{today.isoformat()}")
    return len(user_ids)


def digest_send(*, user_id: int) -> int:
    """One email listing the person's unread digest notifications not yet emailed; returns how
    many it held (0: nothing to send, e.g. a retry after the email went)."""
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
        if user is None:
            return 0
        rows = list(Notification.objects.filter(recipient=user, email_mode=Mode.DIGEST,
                                                emailed_at__isnull=True, read_at__isnull=True)
                    .order_by("created_at", "pk"))
        if not rows:
            return 0
        with translation.override(user.language):
            context = {"user": user, "notifications": rows, "link": _absolute("/notifications/"),
                       "site_url": settings.PIC_SITE_URL}
            subject = _("PIC : vos notifications du jour (%(n)s)") % {"n": len(rows)}
            body = render_to_string("notifications/email/notification.txt", context)
        Notification.objects.filter(pk__in=[r.pk for r in rows]).update(
            emailed_at=timezone.now())
        EmailMultiAlternatives(subject, body, to=[user.email]).send()
    return len(rows)


def notification_mark_read(*, notification: Notification, actor: User) -> Notification:
    if notification.recipient_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Cette notification ne vous est pas adressée."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, actor: User) -> int:
    return Notification.objects.visible_to(actor).unread().update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_save(*, user: User, actor: User, modes: dict[str, str]) -> None:
    """A person chooses, per kind, an email at once, in the daily digest, or none."""
    if getattr(actor, "pk", None) != user.pk:
        raise PermissionDenied(_("Chacun règle ses propres notifications."))
    for code, mode in modes.items():
        kind_of(code)
        if mode not in Mode.values:
            raise ValueError(mode)
        NotificationPreference.objects.update_or_create(user=user, kind=code,
                                                        defaults={"mode": mode})
    audit(actor, "notifications.preferences_saved", user, **modes)


def preferences_of(user: User) -> dict[str, str]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "mode"))
    return {code: chosen.get(code, k.default) for code, k in KINDS.items()}
