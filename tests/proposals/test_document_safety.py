"""The proposal page refuses a PDF with active content and an oversized request body."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.crafted_files import pdf_with_open_action_javascript, zip_bomb_docx


def test_a_javascript_pdf_is_refused_on_the_proposal_page(client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    response = client.post(reverse("proposals:proposal-edit", args=[draft.pk]), {
        "title": draft.title, "vision": "gardé",
        "file": SimpleUploadedFile("budget.pdf", pdf_with_open_action_javascript())})
    assert response.status_code == 400
    page = response.content.decode()
    assert "« budget.pdf » contient du contenu actif" in page
    assert not draft.documents.exists()
    draft.refresh_from_db()
    assert draft.vision == "gardé"  # what the person typed is kept


def test_a_zip_bomb_is_refused_on_the_proposal_page(client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    response = client.post(reverse("proposals:proposal-edit", args=[draft.pk]), {
        "title": draft.title, "file": SimpleUploadedFile("plan.docx", zip_bomb_docx())})
    assert response.status_code == 400
    assert "se décompresse en plus de" in response.content.decode()
    assert not draft.documents.exists()


class UnreadBody(io.RawIOBase):
    """A 60 MB request body that counts what the server reads of it."""

    def __init__(self, size: int):
        self.size, self.read_bytes = size, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        count = min(len(buffer), self.size - self.read_bytes)
        buffer[:count] = b"x" * count
        self.read_bytes += count
        return count


def test_a_60_mb_upload_is_refused_before_its_body_is_read(client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    size = 60 * 1024 * 1024
    body = UnreadBody(size)
    response = client.generic(
        "POST", reverse("proposals:proposal-edit", args=[draft.pk]), b"-",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(size), **{"wsgi.input": body})
    assert response.status_code == 413
    assert body.read_bytes == 0
    page = response.content.decode()
    assert "Envoi trop volumineux" in page
    assert "60,0\xa0Mio" in page
    assert not draft.documents.exists()


@pytest.mark.parametrize("language", ["en"])
def test_the_413_page_is_translated(client, tq_saint_michel, draft, language, settings):
    client.force_login(tq_saint_michel)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.generic(
        "POST", reverse("proposals:proposal-edit", args=[draft.pk]), b"-",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(60 * 1024 * 1024), **{"wsgi.input": UnreadBody(0)})
    assert response.status_code == 413
    assert "Upload too large" in response.content.decode()


def test_a_body_under_the_cap_is_read(client, tq_saint_michel, draft, settings):
    settings.PIC_REQUEST_MAX_BYTES = 10 * 1024 * 1024
    client.force_login(tq_saint_michel)
    response = client.post(reverse("proposals:proposal-edit", args=[draft.pk]),
                           {"title": draft.title, "vision": "lu"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.vision == "lu"
