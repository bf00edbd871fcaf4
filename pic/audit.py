"""Writing to the audit log: every service calls `audit()` inside its transaction."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, router, transaction

from pic import audit_chain
from pic.access import SYSTEM
from pic.models import AuditEvent, User


def audit(
    actor: User, verb: str, obj: models.Model | None = None, **details: Any
) -> AuditEvent:
    """`actor` is the person, or pic.access.SYSTEM (recorded with no person)."""
    event = _event(actor, verb, obj, details)
    event.save()
    return event


def _event(actor: User, verb: str, obj: models.Model | None, details: dict) -> AuditEvent:
    event = AuditEvent(verb=verb, details=details)
    if actor is not None and actor is not SYSTEM and actor.is_authenticated:
        event.actor = actor
    if obj is not None:
        event.content_type = ContentType.objects.get_for_model(obj)
        event.object_id = str(obj.pk)
        event.object_repr = str(obj)[:255]
    return event


def audit_many(actor: User, events: list[tuple[str, models.Model | None, dict]]) -> int:
    """Several events at once, each (verb, object, details), chained in their order and
    inserted in batches: a few queries for a thousand rows (an import), not four a row."""
    rows = [_event(actor, verb, obj, details) for verb, obj, details in events]
    if not rows:
        return 0
    using = router.db_for_write(AuditEvent)
    with transaction.atomic(using=using):
        audit_chain.seal_many(rows, using=using)
        # The model's own QuerySet refuses bulk_create (events one by one); a sealed batch
        # goes in its order, through the plain QuerySet.
        models.QuerySet.bulk_create(AuditEvent.objects.using(using).all(), rows,
                                    batch_size=500)
    return len(rows)
