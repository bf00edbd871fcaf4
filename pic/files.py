"""Private files: served only from a view that has already checked who may read it; uploads
checked for what their content may hide (PDF scripts, zip bombs); request bodies capped."""

import io
import re
import zipfile
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def private_file_response(file, *, filename: str, content_type: str) -> FileResponse:
    """Download the stored file as an attachment, never cached, never sniffed; a file missing
    from storage is a 404, like a file the person may not see."""
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=filename,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Uploads: what a file's content may not hide ---------------------------------------------

# Names that make a PDF run something when opened or clicked: scripts, launching a program,
# actions fired by the viewer ("additional actions"). An /OpenAction is refused when it is an
# action (a dictionary); a destination (`[page /Fit]`, what many tools write) is harmless.
PDF_ACTIVE_NAMES = ("/JavaScript", "/JS", "/Launch", "/AA")
_PDF_ACTIVE_RE = re.compile(rb"/(?:JavaScript|JS|Launch|AA)(?![A-Za-z0-9#])")
_PDF_OPEN_ACTION_RE = re.compile(rb"/OpenAction\s*(?:<<|\d+\s+\d+\s+R)")
_PDF_STREAM_RE = re.compile(rb"(?<!end)stream\r?\n(.*?)endstream", re.DOTALL)
_PDF_IMAGE_RE = re.compile(rb"/Subtype\s*/Image")
# What may be inflated while looking inside a PDF's streams (a bomb stops the scan, not us).
_PDF_INFLATE_BUDGET = 64 * 1024 * 1024


def _pdf_active_in_bytes(data: bytes) -> bool:
    """The raw file and each of its Flate streams (object streams hide dictionaries there),
    images aside, up to 64 MB inflated (the object walk below reads object streams anyway)."""
    if _PDF_ACTIVE_RE.search(data) or _PDF_OPEN_ACTION_RE.search(data):
        return True
    budget = _PDF_INFLATE_BUDGET
    for match in _PDF_STREAM_RE.finditer(data):
        window = data[max(0, match.start() - 2000):match.start()]
        cut = window.rfind(b"obj")
        header = window[cut:] if cut >= 0 else window  # this stream's own dictionary
        if _PDF_IMAGE_RE.search(header) and b"/ObjStm" not in header:
            continue
        try:
            inflated = zlib.decompressobj().decompress(match.group(1), budget)
        except zlib.error:
            continue
        if _PDF_ACTIVE_RE.search(inflated) or _PDF_OPEN_ACTION_RE.search(inflated):
            return True
        budget -= len(inflated)
        if budget <= 0:
            break
    return False


def _pdf_active_in_objects(data: bytes) -> bool:
    """Every object pypdf can read (names decoded, `#4A` escapes included), through the
    cross-reference tables and the object streams. False when pypdf cannot read the file (the
    byte scan has then looked at it)."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        references = [(idnum, generation) for generation, table in reader.xref.items()
                      for idnum in table]
        references += [(idnum, 0) for idnum in reader.xref_objStm]
        roots = [reader.trailer]
        for idnum, generation in references:
            roots.append(reader.get_object(IndirectObject(idnum, generation, reader)))
    except Exception:  # noqa: BLE001 - an unreadable PDF: the byte scan decides
        return False

    def active(obj, depth: int = 0) -> bool:
        if depth > 50:
            return False
        if isinstance(obj, NameObject):
            return str(obj) in PDF_ACTIVE_NAMES
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                if str(key) in PDF_ACTIVE_NAMES:
                    return True
                if str(key) == "/OpenAction":
                    target = value.get_object() if isinstance(value, IndirectObject) else value
                    if isinstance(target, DictionaryObject):
                        return True
                if not isinstance(value, IndirectObject) and active(value, depth + 1):
                    return True
        elif isinstance(obj, ArrayObject):
            return any(not isinstance(item, IndirectObject) and active(item, depth + 1)
                       for item in obj)
        return False

    return any(active(obj) for obj in roots)


def check_pdf(fileobj, *, name: str) -> None:
    """Refuse a PDF that would run something: JavaScript, an opening action, a launched
    program, actions fired by the viewer; looked for in the raw bytes, in every decompressed
    stream and in every object pypdf reads."""
    fileobj.seek(0)
    data = fileobj.read()
    fileobj.seek(0)
    if _pdf_active_in_bytes(data) or _pdf_active_in_objects(data):
        raise ValidationError(
            _("« %(name)s » contient du contenu actif (JavaScript, action à l'ouverture ou "
              "lancement d'un programme) : ce PDF est refusé. Enregistrez-le de nouveau avec "
              "« Imprimer en PDF », puis déposez cette copie.") % {"name": name},
            code="pdf_active_content")


def check_zip(fileobj, *, name: str) -> None:
    """Refuse an Office file (docx, xlsx, odt… are ZIP archives) that is malformed, unpacks
    past PIC_UPLOAD_MAX_UNPACKED_BYTES, or packs a member more than
    PIC_UPLOAD_MAX_COMPRESSION_RATIO times (a zip bomb). Declared sizes are checked first;
    then every member is read, counted and its checksum verified, so a lying header is caught
    too."""
    limit = settings.PIC_UPLOAD_MAX_UNPACKED_BYTES
    ratio = settings.PIC_UPLOAD_MAX_COMPRESSION_RATIO
    malformed = ValidationError(
        _("« %(name)s » est un fichier Office endommagé (son archive ZIP est illisible).")
        % {"name": name}, code="zip_malformed")
    too_big = ValidationError(
        _("« %(name)s » se décompresse en plus de %(limit)s, la limite permise : ce fichier "
          "est refusé par prudence.") % {"name": name, "limit": filesizeformat(limit)},
        code="zip_too_big")
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
            if len(members) > 10_000:
                raise too_big
            if sum(member.file_size for member in members) > limit:
                raise too_big
            for member in members:
                if (member.file_size > 1024 * 1024
                        and member.file_size > ratio * max(member.compress_size, 1)):
                    raise ValidationError(
                        _("« %(name)s » est compressé de façon anormale (plus de %(ratio)s "
                          "fois) : il est refusé par prudence.")
                        % {"name": name, "ratio": ratio}, code="zip_ratio")
            unpacked = 0
            for member in members:
                with archive.open(member) as handle:
                    while chunk := handle.read(1024 * 1024):
                        unpacked += len(chunk)
                        if unpacked > limit:
                            raise too_big
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError,
            OSError, ValueError, RuntimeError, zlib.error) as error:  # encrypted: RuntimeError
        raise malformed from error
    finally:
        fileobj.seek(0)


# --- Requests: the body is capped before anything reads it -----------------------------------


class RequestBodyLimitMiddleware:
    """A request announcing a body larger than PIC_REQUEST_MAX_BYTES is answered 413 with a
    clear page before a byte of it is read (Django would otherwise stream the whole upload to
    disk, then the form would refuse it). Bodies without a length are not read by Django."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.PIC_REQUEST_MAX_BYTES:
            return render(request, "413.html", {
                "limit": filesizeformat(settings.PIC_REQUEST_MAX_BYTES),
                "size": filesizeformat(length)}, status=413)
        return self.get_response(request)
