"""Uploads: PDFs with active content, Office zip bombs and oversized request bodies are refused
on every upload path (proposal documents, report documents, imports), with a clear message."""

import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from pic import files
from pic.files import check_pdf, check_zip
from proposals.demo import demo_pdf
from proposals.documents import validate_upload
from reporting import exports
from tests.crafted_files import (
    SMALL_DOCX,
    docx,
    pdf_with_destination_open_action,
    pdf_with_javascript_in_an_object_stream,
    pdf_with_open_action_javascript,
    pypdf_bytes,
    upload,
    zip_bomb_docx,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- PDFs -----------------------------------------------------------------------------------


def test_a_pdf_that_runs_javascript_when_opened_is_refused():
    data = pdf_with_open_action_javascript()
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload("budget.pdf", data))
    assert refused.value.code == "pdf_active_content"
    assert "« budget.pdf » contient du contenu actif" in refused.value.messages[0]


def test_javascript_hidden_in_a_compressed_object_stream_is_refused():
    data = pdf_with_javascript_in_an_object_stream()
    assert b"/JavaScript" not in data  # only compressed
    assert b"/OpenAction" not in data
    catalog = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert catalog["/OpenAction"]["/S"] == "/JavaScript"  # a real PDF, as a viewer reads it
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload("lettre.pdf", data))
    assert refused.value.code == "pdf_active_content"


def test_both_scans_find_javascript_in_an_object_stream():
    """The byte scan (decompressed streams) and the object walk (pypdf) each find it alone."""
    data = pdf_with_javascript_in_an_object_stream()
    assert files._pdf_active_in_bytes(data)
    assert files._pdf_active_in_objects(data)


def test_names_hidden_by_hex_escapes_are_decoded_and_refused():
    data = (pdf_with_open_action_javascript().replace(b"/OpenAction", b"/Open#41ction")
            .replace(b"/JavaScript", b"/Java#53cript").replace(b"/JS", b"/J#53"))
    assert not files._pdf_active_in_bytes(data)  # the raw bytes show none of the names
    with pytest.raises(ValidationError):
        check_pdf(io.BytesIO(data), name="x.pdf")


@pytest.mark.parametrize("name", ["/JS", "/Launch", "/AA", "/JavaScript"])
def test_every_active_name_is_refused(name):
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer._root_object[NameObject("/Extra")] = DictionaryObject(
        {NameObject(name): TextStringObject("x")})
    with pytest.raises(ValidationError):
        check_pdf(io.BytesIO(pypdf_bytes(writer)), name="x.pdf")


def test_ordinary_pdfs_are_accepted():
    """Our own WeasyPrint PDFs (object streams) and a PDF that opens at page 1."""
    assert validate_upload(upload("rapport.pdf", demo_pdf("Bilan", ["Texte"]))) == (
        "application/pdf")
    assert validate_upload(upload("plan.pdf", pdf_with_destination_open_action())) == (
        "application/pdf")


# --- Office files (ZIP) ---------------------------------------------------------------------


def test_a_zip_bomb_docx_is_refused():
    assert len(zip_bomb_docx()) < 1_200_000
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload("plan.docx", zip_bomb_docx()))
    assert refused.value.code == "zip_too_big"
    assert "se décompresse en plus de 100,0" in refused.value.messages[0]


def test_an_absurd_compression_ratio_is_refused_below_the_size_bound():
    data = docx({**SMALL_DOCX, "word/document.xml": b"\0" * (20 * 1024 * 1024)})
    assert len(data) < 100_000
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload("plan.docx", data))
    assert refused.value.code == "zip_ratio"


def test_a_lying_zip_header_is_caught_when_the_member_is_read(settings):
    """The central directory claims a small member; reading it reveals more."""
    settings.PIC_UPLOAD_MAX_UNPACKED_BYTES = 5 * 1024 * 1024
    data = bytearray(docx({"word/document.xml": b"a" * (8 * 1024 * 1024)}))
    central = data.rindex(b"PK\x01\x02")
    data[central + 24:central + 28] = (1000).to_bytes(4, "little")  # uncompressed size
    with pytest.raises(ValidationError) as refused:
        check_zip(io.BytesIO(bytes(data)), name="plan.docx")
    assert refused.value.code in {"zip_malformed", "zip_too_big"}


def test_a_malformed_office_file_is_refused():
    data = docx(SMALL_DOCX)
    truncated = data[: data.rindex(b"PK\x01\x02")]  # no central directory
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload("plan.docx", truncated))
    assert refused.value.code == "zip_malformed"
    assert "endommagé" in refused.value.messages[0]


def test_an_ordinary_docx_is_accepted():
    assert validate_upload(upload("plan.docx", docx(SMALL_DOCX))) == DOCX


def test_the_limits_are_settings(settings):
    settings.PIC_UPLOAD_MAX_UNPACKED_BYTES = 10
    with pytest.raises(ValidationError):
        check_zip(io.BytesIO(docx(SMALL_DOCX)), name="plan.docx")


def test_an_import_xlsx_zip_bomb_is_refused_before_it_is_parsed():
    with pytest.raises(ValidationError) as refused:
        exports.load_dataset(zip_bomb_docx(), "xlsx", name="people.xlsx")
    assert "« people.xlsx » se décompresse" in refused.value.message_dict["file"][0]


def test_an_archive_with_an_encrypted_member_is_refused_not_a_crash():
    data = bytearray(docx(SMALL_DOCX))
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            data[start + flag_at] |= 0x01  # the "encrypted" bit
            start += 4
    with pytest.raises(ValidationError) as refused:
        check_zip(io.BytesIO(bytes(data)), name="plan.docx")
    assert refused.value.code == "zip_malformed"
