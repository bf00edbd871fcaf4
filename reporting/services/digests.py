"""The daily reminder digests: one email a person, in their language, holding every reminder
recorded for them (reporting.services.reminders) and not yet emailed; at most one a day.

The daily run queues the day's digests in batches of DIGEST_BATCH people; a batch reads its
people, the reminders they have not been emailed and the objects those name in a constant
number of queries (not a dozen a person), then marks the sent ones and writes their audit
events in bulk: the queries grow with the batches, not with the people.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from pic.access import SYSTEM
from pic.audit import audit_many
from pic.models import User
from proposals.models import Proposal

from ..models import CheckIn, ReminderSent, Report
from .reminders import Due

DIGEST_BATCH = 200  # people one digest task emails

# What each reminder's text and link read of its object, fetched with it.
RELATED = {
    Report: ("allocation__proposal__neighbourhood", "allocation_year"),
    CheckIn: ("allocation_year__allocation__neighbourhood",),
    Proposal: ("neighbourhood",),
}


def _objects(rows: list[ReminderSent]) -> dict[tuple[int, int], models.Model]:
    """(content type, id) -> the object every row names: one query per kind of object."""
    by_type: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        by_type[row.content_type_id].add(row.object_id)
    objects: dict[tuple[int, int], models.Model] = {}
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        queryset = model._default_manager.select_related(*RELATED.get(model, ()))
        for pk, obj in queryset.in_bulk(ids).items():
            objects[(content_type_id, pk)] = obj
    return objects


def _message(user: User, items: list[Due]) -> EmailMultiAlternatives:
    with translation.override(user.language):
        context = {"user": user, "items": items, "site_url": settings.PIC_SITE_URL}
        subject = _("PIC : ce qu'il y a à faire (%(n)s)") % {"n": len(items)}
        body = render_to_string("reporting/email/digest.txt", context)
        html = render_to_string("reporting/email/digest.html", context)
    message = EmailMultiAlternatives(subject, body, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message


def digests_send(*, user_ids: list[int], today: datetime.date) -> int:
    """Email each of these people (active, not emailed today) every reminder recorded for
    them and not yet emailed. The people are locked for the batch (a digest run twice at once
    sends once); each digest is marked when its email has left: an SMTP failure keeps the
    ones sent before it, and is raised so the outbox retries the batch (the sent ones are
    then skipped). Returns the number of reminders emailed."""
    failure = None
    with transaction.atomic():
        users = list(User.objects.select_for_update().filter(pk__in=user_ids, is_active=True)
                     .exclude(pk__in=ReminderSent.objects.filter(emailed_on=today)
                              .values("user_id")).order_by("pk"))
        rows = list(ReminderSent.objects.filter(user__in=users, emailed_on__isnull=True)
                    .order_by("user_id", "due_on", "pk"))
        if not rows:
            return 0
        objects = _objects(rows)
        by_user: dict[int, list[ReminderSent]] = defaultdict(list)
        for row in rows:
            by_user[row.user_id].append(row)
        # a reminder whose object is gone since (a withdrawn file deleted) has nothing to say
        gone = [row.pk for row in rows if (row.content_type_id, row.object_id) not in objects]
        ReminderSent.objects.filter(pk__in=gone).delete()
        sent: list[int] = []
        events = []
        connection = get_connection()
        for user in users:
            mine = [row for row in by_user.get(user.pk, [])
                    if (row.content_type_id, row.object_id) in objects]
            if not mine:
                continue  # no empty digest
            items = [Due(row.kind, objects[(row.content_type_id, row.object_id)], row.due_on,
                         today) for row in mine]
            message = _message(user, items)
            message.connection = connection
            try:
                message.send()
            except Exception as error:  # noqa: BLE001 (raised once the sent ones are marked)
                failure = error
                break
            sent.extend(row.pk for row in mine)
            events.append(("reminders.digest_sent", user, {"count": len(mine)}))
        ReminderSent.objects.filter(pk__in=sent).update(emailed_on=today)
        audit_many(SYSTEM, events)
    if failure is not None:
        raise failure
    return len(sent)


def digest_send(*, user_id: int, today: datetime.date) -> int:
    """One person's digest (a digest queued before the batches, or sent by hand)."""
    return digests_send(user_ids=[user_id], today=today)


__all__ = ["DIGEST_BATCH", "digest_send", "digests_send"]
