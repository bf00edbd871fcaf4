"""Notes on a file (pic.notes): who reads internal and shared notes, @mentions limited to the
readers, the author's 15 minutes, escaped text, and the proposal page's constant query count."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from pic.models import AuditEvent, Note, Notification
from pic.notes import services
from pic.notes.models import Note as NoteModel
from pic.notes.services import default_visibility
from tests import factories

INTERNAL, SHARED = NoteModel.Visibility.INTERNAL, NoteModel.Visibility.SHARED


@pytest.fixture
def committee_member(db):
    return factories.make_committee_member(factories.CommitteeFactory()).user


def visible(user, proposal):
    return set(Note.objects.visible_to(user).on(proposal).values_list("body", flat=True))


def test_an_internal_note_is_read_by_centraide_only(draft, advisor_est, coordination,
                                                   tq_saint_michel, committee_member):
    services.note_write(obj=draft, body="Budget fragile", visibility=INTERNAL,
                        actor=advisor_est)
    services.note_write(obj=draft, body="Merci pour le dépôt", visibility=SHARED,
                        actor=advisor_est)
    assert visible(advisor_est, draft) == {"Budget fragile", "Merci pour le dépôt"}
    assert visible(coordination, draft) == {"Budget fragile", "Merci pour le dépôt"}
    assert visible(tq_saint_michel, draft) == {"Merci pour le dépôt"}
    assert visible(committee_member, draft) == set()


def test_another_neighbourhood_reads_no_note(draft, advisor_est, tq_verdun):
    services.note_write(obj=draft, body="Partagée", visibility=SHARED, actor=advisor_est)
    assert visible(tq_verdun, draft) == set()
    with pytest.raises(PermissionDenied):
        services.note_write(obj=draft, body="Intrusion", visibility=SHARED, actor=tq_verdun)


def test_the_table_replies_in_shared_notes_and_cannot_write_internal_ones(
        draft, tq_saint_michel):
    services.note_write(obj=draft, body="Voici la précision", visibility=SHARED,
                        actor=tq_saint_michel)
    with pytest.raises(PermissionDenied):
        services.note_write(obj=draft, body="Secret", visibility=INTERNAL,
                            actor=tq_saint_michel)


def test_defaults_internal_for_centraide_shared_for_the_table(draft, advisor_est,
                                                            tq_saint_michel):
    assert default_visibility(advisor_est, draft) == INTERNAL
    assert default_visibility(tq_saint_michel, draft) == SHARED


def test_a_mention_notifies_the_person_by_email(draft, advisor_est, coordination,
                                                django_capture_on_commit_callbacks):
    handle = coordination.email.split("@")[0]
    with django_capture_on_commit_callbacks(execute=True):
        note = services.note_write(obj=draft, body=f"@{handle} peux-tu regarder le budget?",
                                   visibility=INTERNAL, actor=advisor_est)
    assert list(note.mentions.all()) == [coordination]
    notification = Notification.objects.get(recipient=coordination)
    assert notification.kind == "note.mention"
    assert notification.url == reverse("proposals:proposal-detail", args=[draft.pk])
    assert [m.to for m in mail.outbox] == [[coordination.email]]


def test_a_mention_by_full_name_works_too(draft, advisor_est, coordination):
    coordination.full_name = "Martine Gagnon"
    coordination.save()
    note = services.note_write(obj=draft, body="Merci @Martine Gagnon, c'est noté.",
                               visibility=INTERNAL, actor=advisor_est)
    assert list(note.mentions.all()) == [coordination]


def test_an_email_address_in_the_text_is_no_mention(draft, advisor_est, coordination):
    note = services.note_write(obj=draft, body=f"Écrire à {coordination.email}",
                               visibility=INTERNAL, actor=advisor_est)
    assert not note.mentions.exists()


def test_mentioning_the_table_in_an_internal_note_is_refused(draft, advisor_est,
                                                             tq_saint_michel):
    handle = tq_saint_michel.email.split("@")[0]
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        services.note_write(obj=draft, body=f"@{handle} à voir", visibility=INTERNAL,
                            actor=advisor_est)
    assert "ne peut pas lire cette note interne" in str(refused.value)
    assert not Note.objects.exists()
    assert not Notification.objects.exists()


def test_mentioning_someone_outside_the_file_is_refused_and_the_text_kept(
        client, draft, coordination, tq_verdun):
    client.force_login(coordination)  # who sees every person, so may be told who reads not
    handle = tq_verdun.email.split("@")[0]
    url = reverse("notes:note-create", args=[_content_type(draft), draft.pk])
    response = client.post(url, {"body": f"Voir avec @{handle} demain", "visibility": SHARED})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"{tq_verdun} n&#x27;a pas accès à ce dossier : mention refusée" in page
    assert f"Voir avec @{handle} demain" in page
    assert not Note.objects.exists()


def test_a_mention_of_someone_of_another_neighbourhood_reveals_nothing(
        client, verdun_draft, tq_verdun, tq_saint_michel):
    """The Verdun table cannot learn, by @mentioning a handle, who exists in Saint-Michel: the
    handle is treated as any unknown word (no refusal naming the person, no mention)."""
    client.force_login(tq_verdun)
    handle = tq_saint_michel.email.split("@")[0]
    url = reverse("notes:note-create", args=[_content_type(verdun_draft), verdun_draft.pk])
    response = client.post(url, {"body": f"Voir avec @{handle}", "visibility": SHARED},
                           follow=True)
    assert response.redirect_chain  # written, as with a typo, not refused
    assert str(tq_saint_michel) not in response.content.decode()
    note = Note.objects.get()
    assert not note.mentions.exists()
    assert not Notification.objects.filter(recipient=tq_saint_michel).exists()


def test_writing_a_note_from_the_page(client, draft, advisor_est):
    client.force_login(advisor_est)
    url = reverse("notes:note-create", args=[_content_type(draft), draft.pk])
    response = client.post(url, {"body": "Analyse à prévoir", "visibility": INTERNAL})
    assert response.status_code == 302
    assert response["Location"].endswith("#notes")
    page = client.get(reverse("proposals:proposal-detail", args=[draft.pk])).content.decode()
    assert "Analyse à prévoir" in page


def test_a_committee_member_cannot_post_a_note(client, draft, committee_member):
    client.force_login(committee_member)
    url = reverse("notes:note-create", args=[_content_type(draft), draft.pk])
    assert client.post(url, {"body": "x", "visibility": SHARED}).status_code == 404


def test_the_table_s_note_tells_the_advisor(draft, tq_saint_michel, advisor_est):
    services.note_write(obj=draft, body="Nous avons une question", visibility=SHARED,
                        actor=tq_saint_michel)
    assert Notification.objects.get(recipient=advisor_est).kind == "note.followed"


def test_the_author_edits_within_15_minutes_then_the_note_is_the_record(
        draft, advisor_est, coordination):
    note = services.note_write(obj=draft, body="Premier jet", visibility=INTERNAL,
                               actor=advisor_est)
    with pytest.raises(PermissionDenied):
        services.note_edit(note=note, body="Pas la mienne", actor=coordination)
    services.note_edit(note=note, body="Version corrigée", actor=advisor_est)
    note.refresh_from_db()
    assert note.body == "Version corrigée"
    assert note.edited_at is not None
    NoteModel.objects.filter(pk=note.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=16))
    with pytest.raises(PermissionDenied, match="15 minutes"):
        services.note_edit(note=note, body="Trop tard", actor=advisor_est)
    with pytest.raises(PermissionDenied, match="15 minutes"):
        services.note_delete(note=note, actor=advisor_est)
    assert Note.objects.filter(pk=note.pk).exists()
    verbs = list(AuditEvent.objects.for_object(draft).filter(verb__startswith="note.")
                 .order_by("pk").values_list("verb", flat=True))
    assert verbs == ["note.written", "note.edited"]


def test_the_author_deletes_within_15_minutes_after_confirming(client, draft, advisor_est):
    note = services.note_write(obj=draft, body="Erreur", visibility=INTERNAL,
                               actor=advisor_est)
    client.force_login(advisor_est)
    url = reverse("notes:note-delete", args=[note.pk])
    assert "Voulez-vous vraiment" in client.get(url).content.decode()
    client.post(url)
    assert not Note.objects.exists()
    assert AuditEvent.objects.filter(verb="note.deleted").exists()


def test_note_text_is_escaped_with_its_line_breaks_and_links(client, draft, advisor_est):
    services.note_write(obj=draft, body="<script>alert(1)</script>\nVoir https://example.org",
                        visibility=INTERNAL, actor=advisor_est)
    client.force_login(advisor_est)
    page = client.get(reverse("proposals:proposal-detail", args=[draft.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>" in page
    assert '<a href="https://example.org" rel="nofollow">https://example.org</a>' in page


def _content_type(obj) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def _notes(proposal, author, count):
    for n in range(count):
        Note.objects.create(content_type_id=_content_type(proposal), object_id=proposal.pk,
                            neighbourhood_id=proposal.neighbourhood_id, author=author,
                            visibility=INTERNAL if n % 2 else SHARED, body=f"Note {n}")


@pytest.mark.parametrize("who", ["advisor_est", "tq_saint_michel"])
def test_the_proposal_page_makes_as_many_queries_with_100_notes_as_with_10(
        client, draft, advisor_est, tq_saint_michel, who, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login({"advisor_est": advisor_est, "tq_saint_michel": tq_saint_michel}[who])
    url = reverse("proposals:proposal-detail", args=[draft.pk])
    _notes(draft, advisor_est, 10)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _notes(draft, advisor_est, 90)
    with django_assert_max_num_queries(len(small)):
        page = client.get(url).content.decode()
    assert page.count('class="note') >= 50


def test_the_mention_list_names_who_reads_the_file_and_only_them(
        client, draft, advisor_est, coordination, tq_saint_michel, tq_verdun):
    client.force_login(advisor_est)
    url = reverse("notes:mentionable", args=[_content_type(draft), draft.pk])
    page = client.get(url).content.decode()
    assert "@coordination" in page
    assert f"@{tq_saint_michel.email.split('@')[0]}" in page
    assert "(notes partagées seulement)" in page  # the table: shared notes only
    assert tq_verdun.email.split("@")[0] not in page
    client.force_login(tq_verdun)
    assert client.get(url).status_code == 404
