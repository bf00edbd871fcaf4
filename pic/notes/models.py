"""Notes on a file (registered by the pic app). A note belongs to one object (a generic key)
and carries the neighbourhood of that object, so its visibility is one filter."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pic.documents import StoredDocument
from pic.storage import private_storage

from . import registry


class NoteQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NoteQuerySet":
        """Internal notes to Centraide's followers of the neighbourhood; shared notes to them
        and to the table's members; nobody else (committee members, partners) sees any."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        internal_ids, shared_ids = registry.scope(user)
        internal = Q(visibility=Note.Visibility.INTERNAL)
        shared = Q(visibility=Note.Visibility.SHARED)
        if internal_ids is not None:
            internal &= Q(neighbourhood_id__in=list(internal_ids))
        if shared_ids is not None:
            shared &= Q(neighbourhood_id__in=list(shared_ids))
        return self.filter(internal | shared)

    def on(self, obj: models.Model) -> "NoteQuerySet":
        return self.filter(content_type=ContentType.objects.get_for_model(obj),
                           object_id=obj.pk)


class Note(models.Model):
    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("Interne (Centraide seulement)")
        SHARED = "shared", _("Partagée avec le quartier")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    neighbourhood_id = models.PositiveBigIntegerField(_("quartier"), db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("auteur·rice"),
                               on_delete=models.PROTECT, related_name="notes")
    visibility = models.CharField(_("visibilité"), max_length=10, choices=Visibility.choices)
    body = models.TextField(_("note"))
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                      related_name="mentioned_in_notes",
                                      verbose_name=_("personnes mentionnées"))
    created_at = models.DateTimeField(_("écrite le"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("modifiée le"), null=True, blank=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="pic_note_file")]

    def __str__(self) -> str:
        return f"{self.author} — {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_internal(self) -> bool:
        return self.visibility == self.Visibility.INTERNAL


class NoteAttachment(StoredDocument):
    """A document attached to a note, stored privately, checked as every document is
    (pic.documents.validate_upload); read by whoever reads the note."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to="notes/%Y/%m/", max_length=255)

    class Meta:
        verbose_name = _("pièce jointe d'une note")
        verbose_name_plural = _("pièces jointes des notes")
        ordering = ["note", "uploaded_at", "pk"]
