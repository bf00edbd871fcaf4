"""Reading a file's notes: `note_thread(user=..., obj=...)`, what the notes block of a page
shows (a constant number of queries, whatever the number of notes)."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from pic.access import can

from . import mentions, registry
from .forms import NoteForm
from .models import Note
from .services import default_visibility, editable, mentionable


def note_list(*, user: Any, obj: models.Model) -> list[Note]:
    return list(Note.objects.visible_to(user).on(obj).select_related("author")
                .prefetch_related("attachments"))


def mentionable_people(*, user: Any, obj: models.Model) -> list[tuple[Any, str, bool]]:
    """Who the person may mention on the file: (person, handle, reads internal notes)."""
    people = list(mentionable(obj, visibility=Note.Visibility.SHARED))
    internal = {p.pk for p in mentionable(obj, visibility=Note.Visibility.INTERNAL)}
    handles = mentions.handles(people)
    return [(p, handles[p], p.pk in internal) for p in people if p.pk != user.pk]


def note_thread(*, user: Any, obj: models.Model, form: NoteForm | None = None,
                with_people: bool = False) -> dict:
    """{"notes", "form", "content_type_id", "object_id"} (and "mentionable" with_people: the
    file's page links to that list, so that it keeps its query budget); empty for someone who
    reads no notes of the file (a committee member)."""
    neighbourhood_id = registry.neighbourhood_of(obj)
    if not can(user, "note.read", neighbourhood_id):
        return {}
    now = timezone.now()
    notes = note_list(user=user, obj=obj)
    for note in notes:
        note.editable_by_reader = editable(note, user, now=now)
    internal = can(user, "note.read_internal", neighbourhood_id)
    writes = can(user, "note.write", neighbourhood_id)
    if form is None and writes:
        form = NoteForm(internal_allowed=internal,
                        initial={"visibility": default_visibility(user, obj)})
    return {"notes": notes, "form": form if writes else None, "internal_allowed": internal,
            "mentionable": mentionable_people(user=user, obj=obj) if writes and with_people
            else [], "content_type_id": ContentType.objects.get_for_model(obj).pk,
            "object_id": obj.pk}
