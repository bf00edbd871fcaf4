"""Writing notes: `note_write`, `note_edit`, `note_delete` (the author, within 15 minutes;
after that the note is part of the record). Each checks access (pic.access), writes in one
transaction, audits, and notifies (pic.notifications) the people mentioned and those who
follow the file."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pic.access import can, ensure, is_system, person
from pic.audit import audit
from pic.documents import private_name, validate_upload
from pic.models import User
from pic.notifications.services import notify

from . import mentions, registry
from .models import Note, NoteAttachment

EDIT_WINDOW = datetime.timedelta(minutes=15)


def default_visibility(user: Any, obj: models.Model) -> str:
    """Interne for Centraide's people, shared for the table."""
    if can(user, "note.read_internal", registry.neighbourhood_of(obj)):
        return Note.Visibility.INTERNAL
    return Note.Visibility.SHARED


def mentionable(obj: models.Model, *, visibility: str) -> models.QuerySet:
    """Who may be mentioned: the people who will read the note."""
    return registry.readers(registry.neighbourhood_of(obj),
                            internal=visibility == Note.Visibility.INTERNAL)


def _mentioned(body: str, obj: models.Model, visibility: str, actor: Any) -> list[User]:
    readers = list(mentionable(obj, visibility=visibility))
    found, unknown = mentions.find(body, readers)
    if unknown:
        # Only among the people the writer may see: anyone else is as unknown as a typo (a
        # refusal naming them would tell who exists in another neighbourhood).
        others, _rest = mentions.find(
            " ".join("@" + name for name in unknown),
            (User.objects.all() if is_system(actor) else registry.people(actor))
            .filter(is_active=True).exclude(pk__in=[r.pk for r in readers]))
        if others:
            names = ", ".join(str(p) for p in others)
            if visibility == Note.Visibility.INTERNAL:
                message = _("%(names)s ne peut pas lire cette note interne : mention refusée. "
                            "Retirez la mention ou partagez la note avec le quartier si la "
                            "personne en est membre.")
            else:
                message = _("%(names)s n'a pas accès à ce dossier : mention refusée.")
            raise ValidationError({"body": message % {"names": names}})
    return found


def _followers(obj: models.Model, note: Note) -> set[int]:
    """Who follows the file: the neighbourhood's advisors and everyone who wrote a note on it,
    among those who may read this note."""
    authors = Note.objects.on(obj).values("author_id")
    readers = registry.readers(note.neighbourhood_id, internal=note.is_internal)
    followers = registry.followers(note.neighbourhood_id).values("pk")
    return set(readers.filter(models.Q(pk__in=authors) | models.Q(pk__in=followers))
               .values_list("pk", flat=True))


@transaction.atomic
def note_write(*, obj: models.Model, body: str, visibility: str, actor: User,
               attachments: Sequence[UploadedFile] = ()) -> Note:
    neighbourhood_id = registry.neighbourhood_of(obj)
    ensure(actor, "note.write", neighbourhood_id)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Écrivez la note.")})
    if visibility not in Note.Visibility.values:
        raise ValidationError({"visibility": _("Choisissez la visibilité de la note.")})
    if visibility == Note.Visibility.INTERNAL:
        ensure(actor, "note.read_internal", neighbourhood_id)
    mentioned = _mentioned(body, obj, visibility, actor)
    content_types = _checked(attachments)
    note = Note.objects.create(content_type_id=_content_type_id(obj), object_id=obj.pk,
                               neighbourhood_id=neighbourhood_id, author=person(actor),
                               visibility=visibility, body=body)
    note.mentions.set(mentioned)
    names = []
    for upload, content_type in zip(attachments, content_types, strict=True):
        names.append(private_name(upload))
        NoteAttachment.objects.create(note=note, file=upload, original_name=names[-1],
                                      content_type=content_type, size=upload.size,
                                      uploaded_by=person(actor))
    audit(actor, "note.written", obj, note=note.pk, visibility=visibility,
          mentions=[p.pk for p in mentioned], **({"attachments": names} if names else {}))
    notify("note.mention", mentioned, obj, actor=actor, event=f"note{note.pk}")
    followers = _followers(obj, note) - {p.pk for p in mentioned}
    notify("note.followed", followers, obj, actor=actor, event=f"note{note.pk}")
    return note


def _checked(attachments: Sequence[UploadedFile]) -> list[str]:
    """Each file checked by the one rule of documents (pic.documents); the content types to
    serve them with. A refusal names the file and keeps nothing."""
    content_types, refusals = [], []
    for upload in attachments:
        try:
            content_types.append(validate_upload(upload))
        except ValidationError as error:
            refusals.extend(error.messages)
    if refusals:
        raise ValidationError({"attachments": refusals})
    return content_types


def _content_type_id(obj: models.Model) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def editable(note: Note, user: Any, *, now: datetime.datetime | None = None) -> bool:
    """The author, within 15 minutes of writing it."""
    now = now or timezone.now()
    return note.author_id == getattr(user, "pk", None) and now - note.created_at <= EDIT_WINDOW


def ensure_editable(note: Note, actor: User) -> None:
    """PermissionDenied, with the reason, unless the actor may still edit the note."""
    if note.author_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Seule la personne qui a écrit la note peut la modifier."))
    if not editable(note, actor):
        raise PermissionDenied(_("Une note fait partie du dossier 15 minutes après avoir été "
                                 "écrite : elle ne peut plus être modifiée ni supprimée."))


@transaction.atomic
def note_edit(*, note: Note, body: str, actor: User) -> Note:
    note = Note.objects.select_for_update().get(pk=note.pk)
    ensure_editable(note, actor)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Écrivez la note.")})
    obj = note.content_type.get_object_for_this_type(pk=note.object_id)
    mentioned = _mentioned(body, obj, note.visibility, actor)
    before = note.body
    already = set(note.mentions.values_list("pk", flat=True))
    note.body = body
    note.edited_at = timezone.now()
    note.save(update_fields=["body", "edited_at"])
    new = [p for p in mentioned if p.pk not in already]
    note.mentions.set(mentioned)
    audit(actor, "note.edited", obj, note=note.pk, before=before)
    notify("note.mention", new, obj, actor=actor, event=f"note{note.pk}")
    return note


@transaction.atomic
def note_delete(*, note: Note, actor: User) -> None:
    note = Note.objects.select_for_update().get(pk=note.pk)
    ensure_editable(note, actor)
    obj = note.content_type.get_object_for_this_type(pk=note.object_id)
    files = [(a.file.storage, a.file.name) for a in note.attachments.all()]
    audit(actor, "note.deleted", obj, note=note.pk, before=note.body,
          attachments=[a.original_name for a in note.attachments.all()])
    note.delete()
    for storage, name in files:  # the stored files go once the deletion is committed
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
