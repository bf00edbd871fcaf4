"""Writing to the audit log: every service calls `audit()` inside its transaction."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from pic.access import SYSTEM
from pic.models import AuditEvent, User


def audit(
    actor: User, verb: str, obj: models.Model | None = None, **details: Any
) -> AuditEvent:
    """`actor` is the person, or pic.access.SYSTEM (recorded with no person)."""
    event = AuditEvent(verb=verb, details=details)
    if actor is not None and actor is not SYSTEM and actor.is_authenticated:
        event.actor = actor
    if obj is not None:
        event.content_type = ContentType.objects.get_for_model(obj)
        event.object_id = str(obj.pk)
        event.object_repr = str(obj)[:255]
    event.save()
    return event
