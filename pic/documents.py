"""Uploads: checked by content (magic bytes, through `filetype`), by size, and for what the
content may hide (PDF scripts and actions, Office zip bombs: `pic.files`)."""

import hashlib
import os
import uuid

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pic.files import check_pdf, check_zip

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# detected type -> (file name extensions accepted for it, content type served)
ACCEPTED = {
    "pdf": ({".pdf"}, "application/pdf"),
    "docx": ({".docx"}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ({".xlsx"}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ({".pptx"},
             "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "odt": ({".odt"}, "application/vnd.oasis.opendocument.text"),
    "ods": ({".ods"}, "application/vnd.oasis.opendocument.spreadsheet"),
    "odp": ({".odp"}, "application/vnd.oasis.opendocument.presentation"),
    # Old Office files share one OLE container; filetype names it after the first it matches.
    "doc": ({".doc", ".xls", ".ppt"}, "application/msword"),
    "xls": ({".doc", ".xls", ".ppt"}, "application/vnd.ms-excel"),
    "ppt": ({".doc", ".xls", ".ppt"}, "application/vnd.ms-powerpoint"),
    "png": ({".png"}, "image/png"),
    "jpg": ({".jpg", ".jpeg"}, "image/jpeg"),
}
# Office formats that are ZIP archives, opened and measured before they are accepted.
ZIPPED = {"docx", "xlsx", "pptx", "odt", "ods", "odp"}
ACCEPTED_HELP = gettext_lazy(
    "PDF, Word, Excel, PowerPoint, OpenDocument, PNG ou JPEG; 10 Mo au plus.")


def validate_upload(upload: UploadedFile) -> str:
    """Raise a clear ValidationError unless the file is an accepted kind, by its content, and
    at most 10 MB, with no active content (PDF) and no zip bomb (Office). Returns the content
    type to serve it with."""
    name = upload.name or ""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("« %(name)s » pèse %(size)s : la limite est de 10 Mo.")
            % {"name": name, "size": filesizeformat(upload.size)}, code="too_large")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.extension not in ACCEPTED:
        found = _(" (son contenu est celui d'un programme exécutable)") if (
            kind is not None and kind.extension in {"exe", "elf"}) or head[:2] == b"MZ" else ""
        raise ValidationError(
            _("« %(name)s » n'est pas un type de document accepté%(found)s. Types acceptés : "
              "%(accepted)s") % {"name": name, "found": found, "accepted": ACCEPTED_HELP},
            code="bad_type")
    extensions, content_type = ACCEPTED[kind.extension]
    extension = os.path.splitext(name)[1].lower()
    if extension not in extensions:
        raise ValidationError(
            _("Le nom de « %(name)s » ne correspond pas à son contenu (un fichier %(kind)s). "
              "Renommez-le avec la bonne extension.")
            % {"name": name, "kind": kind.extension.upper()}, code="bad_extension")
    if kind.extension == "pdf":
        check_pdf(upload, name=name)
    elif kind.extension in ZIPPED:
        check_zip(upload, name=name)
    return content_type


def private_name(upload: UploadedFile) -> str:
    """Store the upload under a random name (no typed name in the storage's paths); returns
    the name the person gave it, to show and to download it with."""
    original = os.path.basename(upload.name or "")[:255]
    upload.name = f"{uuid.uuid4().hex}{os.path.splitext(original)[1].lower()}"
    return original


def minutes_pdf_digest(upload: UploadedFile) -> str:
    """Minutes (a meeting's, a deliberation's) are a PDF, checked like any upload: its
    SHA-256, or a ValidationError that says why not."""
    if validate_upload(upload) != "application/pdf":
        raise ValidationError(_("Le procès-verbal doit être un PDF."), code="not_pdf")
    upload.seek(0)
    digest = hashlib.sha256(upload.read()).hexdigest()
    upload.seek(0)
    return digest


class StoredDocument(models.Model):
    """What every uploaded document keeps beside its private file (checked by content on upload,
    see validate_upload below); the concrete models add the file and what it belongs to."""

    original_name = models.CharField(gettext_lazy("nom du fichier"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField(gettext_lazy("taille (octets)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name
