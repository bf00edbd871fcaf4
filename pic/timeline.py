"""One chronological feed per file: the audit events about the file and the objects that
belong to it, and its notes, filtered by what the reader may see. pic knows no app: each app
registers, from its AppConfig.ready,

- `register_verbs(audience, verbs)`: the audit verbs a timeline shows, and to whom — SHARED
  (whoever reads the file's shared notes: the table and Centraide) or INTERNAL (Centraide's
  followers only). A verb not registered is never shown (a member's own vote, a draft saved);
- `register_related(model, related)`: `related(obj)` -> [querysets], the other objects whose
  events belong to the file (a proposal's agenda items, its allocation's reports…), read as
  subqueries of the one events query;
- `register_link(verb, link)`: `link(event, obj)` -> a URL for the entry (a version's diff).

`timeline(user=..., obj=...)` makes two queries (the events, the notes), whatever the data."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Cast

from pic.access import can
from pic.audit_labels import verb_label
from pic.models import AuditEvent
from pic.notes import registry as notes_registry
from pic.notes.models import Note

SHARED = "shared"
INTERNAL = "internal"
LIMIT = 200

_verbs: dict[str, str] = {}
_related: dict[type, list[Callable[[Any], Iterable[models.QuerySet]]]] = {}
_links: dict[str, Callable[[AuditEvent, Any], str]] = {}


def register_verbs(audience: str, verbs: Iterable[str]) -> None:
    if audience not in (SHARED, INTERNAL):
        raise ValueError(audience)
    for verb in verbs:
        _verbs[verb] = audience


def register_related(model: type[models.Model],
                     related: Callable[[Any], Iterable[models.QuerySet]]) -> None:
    _related.setdefault(model, []).append(related)


def register_link(verb: str, link: Callable[[AuditEvent, Any], str]) -> None:
    _links[verb] = link


def verbs_for(*, internal: bool) -> list[str]:
    return sorted(v for v, audience in _verbs.items() if audience == SHARED or internal)


@dataclass
class Entry:
    when: Any
    label: str
    actor: Any
    subject: str = ""
    url: str = ""
    note: Note | None = None

    @property
    def is_note(self) -> bool:
        return self.note is not None


def _events(obj: models.Model, verbs: list[str]) -> list[AuditEvent]:
    """The object's events and its related objects', as a UNION of one id subquery per
    content type: each is served by the (content_type, object_id) index, where an OR of them
    scanned the whole log by date."""
    def ids(model: type[models.Model], object_ids: Any) -> models.QuerySet:
        return (AuditEvent.objects.order_by()
                .filter(content_type=ContentType.objects.get_for_model(model),
                        object_id__in=object_ids).values("pk"))

    parts = [ids(type(obj), [str(obj.pk)])]
    for related in _related.get(type(obj), []):
        for queryset in related(obj):
            parts.append(ids(queryset.model, queryset.order_by().annotate(
                _timeline_id=Cast("pk", models.CharField())).values("_timeline_id")))
    return list(AuditEvent.objects.filter(pk__in=parts[0].union(*parts[1:], all=True),
                                          verb__in=verbs)
                .select_related("actor").order_by("-created_at", "-pk")[:LIMIT])


def timeline(*, user: Any, obj: models.Model, whole_neighbourhood: bool = False,
             notes: list[Note] | None = None) -> list[Entry]:
    """Newest first. `whole_neighbourhood`: the notes of every file of the neighbourhood (its
    own page), else the object's own notes; `notes`: those the page has read already (its
    thread, pic.notes.selectors.note_thread), not read again."""
    neighbourhood_id = notes_registry.neighbourhood_of(obj)
    if not can(user, "note.read", neighbourhood_id):
        return []
    internal = can(user, "note.read_internal", neighbourhood_id)
    entries = []
    for event in _events(obj, verbs_for(internal=internal)):
        link = _links.get(event.verb)
        entries.append(Entry(when=event.created_at, label=str(verb_label(event.verb)),
                             actor=event.actor, subject=event.object_repr,
                             url=link(event, obj) if link else ""))
    if notes is None:
        notes = Note.objects.visible_to(user)
        notes = (notes.filter(neighbourhood_id=neighbourhood_id) if whole_neighbourhood
                 else notes.on(obj)).select_related("author").order_by("-created_at")[:LIMIT]
    for note in notes:
        entries.append(Entry(when=note.created_at, label="", actor=note.author, note=note))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:LIMIT]
