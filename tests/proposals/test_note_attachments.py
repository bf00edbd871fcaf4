"""Documents attached to a note (pic.notes): checked by the one rule of documents
(pic.documents.validate_upload), listed under the note, served only to who reads the note,
gone with the note within the author's 15 minutes, audited."""

from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pic.models import AuditEvent, Note, NoteAttachment
from pic.notes import services
from pic.notes.models import Note as NoteModel

INTERNAL, SHARED = NoteModel.Visibility.INTERNAL, NoteModel.Visibility.SHARED
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def png(name: str = "plan-du-local.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def create_url(obj) -> str:
    return reverse("notes:note-create",
                   args=[ContentType.objects.get_for_model(obj).pk, obj.pk])


def download(attachment) -> str:
    return reverse("notes:attachment-download", args=[attachment.pk])


def test_a_note_carries_its_documents_listed_with_a_download_link(client, draft, advisor_est):
    client.force_login(advisor_est)
    response = client.post(create_url(draft), {
        "body": "Voir le plan du local", "visibility": SHARED,
        "attachments": [png(), png("facade.png")]})
    assert response.status_code == 302
    note = Note.objects.get()
    assert sorted(a.original_name for a in note.attachments.all()) == [
        "facade.png", "plan-du-local.png"]
    attachment = note.attachments.get(original_name="facade.png")
    assert (attachment.content_type, attachment.size) == ("image/png", len(PNG))
    assert "facade" not in attachment.file.name  # stored under a random name, as documents
    assert attachment.file.name.endswith(".png")
    page = client.get(reverse("proposals:proposal-detail", args=[draft.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert f'href="{download(attachment)}">facade.png</a>' in page
    event = AuditEvent.objects.get(verb="note.written")
    assert sorted(event.details["attachments"]) == ["facade.png", "plan-du-local.png"]


def test_a_disguised_file_is_refused_beside_the_field_and_the_text_kept(
        client, draft, advisor_est):
    client.force_login(advisor_est)
    disguised = SimpleUploadedFile("budget.pdf", b"MZ\x90\x00" + b"\x00" * 200,
                                   content_type="application/pdf")
    response = client.post(create_url(draft), {
        "body": "Budget révisé ci-joint", "visibility": INTERNAL,
        "attachments": [png(), disguised]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Budget révisé ci-joint</textarea>" in page
    assert "« budget.pdf » n&#x27;est pas un type de document accepté" in page
    assert "programme exécutable" in page
    assert not Note.objects.exists()
    assert not NoteAttachment.objects.exists()


@pytest.mark.parametrize(("visibility", "reader", "status"), [
    (INTERNAL, "advisor_est", 200),
    (INTERNAL, "coordination", 200),
    (INTERNAL, "tq_saint_michel", 404),
    (SHARED, "tq_saint_michel", 200),
    (SHARED, "tq_verdun", 404),
])
def test_an_attachment_is_served_to_who_reads_the_note_only(
        request, client, draft, advisor_est, visibility, reader, status):
    note = services.note_write(obj=draft, body="Pièce", visibility=visibility,
                               attachments=[png()], actor=advisor_est)
    client.force_login(request.getfixturevalue(reader))
    response = client.get(download(note.attachments.get()))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PNG
        assert response["Content-Type"] == "image/png"
        assert 'attachment; filename="plan-du-local.png"' in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"


def test_the_table_does_not_see_an_internal_attachment_on_the_page(
        client, draft, advisor_est, tq_saint_michel):
    note = services.note_write(obj=draft, body="Interne", visibility=INTERNAL,
                               attachments=[png("analyse.png")], actor=advisor_est)
    client.force_login(tq_saint_michel)
    page = client.get(reverse("proposals:proposal-detail", args=[draft.pk])).content.decode()
    assert download(note.attachments.get()) not in page
    assert "analyse.png" not in page


def test_deleting_the_note_deletes_its_documents_and_their_files(
        client, draft, advisor_est, django_capture_on_commit_callbacks):
    note = services.note_write(obj=draft, body="Erreur de pièce", visibility=INTERNAL,
                               attachments=[png()], actor=advisor_est)
    path = Path(note.attachments.get().file.path)
    assert path.exists()
    client.force_login(advisor_est)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notes:note-delete", args=[note.pk]))
    assert not NoteAttachment.objects.exists()
    assert not path.exists()
    event = AuditEvent.objects.get(verb="note.deleted")
    assert event.details["attachments"] == ["plan-du-local.png"]


def test_the_attachment_field_and_model_read_in_english():
    from django.utils import translation

    from pic.notes.forms import NoteForm

    with translation.override("en"):
        assert str(NoteForm.base_fields["attachments"].label) == "Attachments"
        assert str(NoteAttachment._meta.verbose_name) == "note attachment"
