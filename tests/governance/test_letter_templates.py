"""« Modèles de lettres »: coordination edits a letter's text in the app (placeholders
checked, rendered sandboxed), previews it against a recent file, uploads the letterhead's logo
and the signatory's signature (checked by content); an accepted amendment queues its letter."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from governance.letters import letter_html, letter_render
from governance.models import DecisionLetter, Letterhead, LetterSignatory, LetterTemplate
from pic.models import AuditEvent
from tests import factories
from tests.governance.test_letter_content import PNG, _pages, four_years  # noqa: F401

pytestmark = pytest.mark.django_db

ALLOCATION = DecisionLetter.Kind.ALLOCATION
NEW_BODY = ("{{ salutation }}\n\nUn texte tout neuf pour {{ table }} ({{ quartier }}), "
            "suivi par {{ conseiller }}.\n\n{{ montants }}\n\nÀ bientôt.")


def _edit_url(program, kind=ALLOCATION, language="fr"):
    return reverse("governance:letter-template-edit", args=[program.pk, kind, language])


def _text(pdf: bytes) -> str:
    return " ".join(_pages(pdf))


def _jpeg() -> bytes:
    """A real JPEG (another image than the logo's PNG)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 12), (20, 20, 120)).save(out, format="JPEG")
    return out.getvalue()


def test_a_staff_edit_of_the_french_allocation_text_changes_the_letter(
        four_years, coordination, client):  # noqa: F811
    proposal, _coordinator = four_years
    program = proposal.stage.program
    client.force_login(coordination)
    page = client.get(_edit_url(program)).content.decode()
    assert "Nous avons le plaisir de confirmer" in page  # today's text, to edit
    assert "{{ coordonnateur }}" in page  # the list beside the editor
    assert "{{ montants }}" in page
    response = client.post(_edit_url(program), {
        "subject": "Objet : votre allocation — {{ titre }}", "body": NEW_BODY,
        "proposal": proposal.pk, "save": "1"})
    assert response.status_code == 302
    text = _text(letter_render(proposal, ALLOCATION)[0])
    assert "Un texte tout neuf pour" in text
    assert "(Saint-Michel), suivi par" in text
    assert "Objet : votre allocation — Mobilisation Saint-Michel" in text
    assert "Bonjour Josée Tremblay" in text
    assert "105 000" in text  # the amounts block
    assert "Nous avons le plaisir" not in text
    assert "Bilan à mi-parcours" not in text  # no {{ conditions }} in the new text
    client.post(_edit_url(program), {"subject": "Objet : deuxième — {{ titre }}",
                                     "body": "Deuxième texte.", "save": "1"})
    events = list(AuditEvent.objects.filter(verb="letter_template.saved").order_by("pk"))
    assert [e.actor_id for e in events] == [coordination.pk, coordination.pk]
    assert events[0].details["previous"] == {}
    assert events[1].details["previous"]["body"] == NEW_BODY  # the replaced text is kept
    # The English letter still has the shipped text.
    english = letter_render(proposal, ALLOCATION, language="en")[0]
    assert "Deuxième texte" not in _text(english)


def test_an_unknown_placeholder_is_refused_and_the_typed_text_kept(
        four_years, coordination, client):  # noqa: F811
    proposal, _coordinator = four_years
    client.force_login(coordination)
    body = "Bonjour {{ nom_du_quartier }} et {{ request }},\n\n{{ montants }}"
    response = client.post(_edit_url(proposal.stage.program),
                           {"subject": "Objet {{ montants }}", "body": body, "save": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "{{ nom_du_quartier }}, {{ request }}" in page  # named in the error
    assert "Bonjour {{ nom_du_quartier }} et {{ request }}," in page  # what was typed
    # No block in the subject.
    assert "Un bloc ne va pas dans l&#x27;objet : {{ montants }}." in page
    assert not LetterTemplate.objects.exists()


def test_template_code_and_markup_in_a_text_come_out_as_inert_text(four_years):  # noqa: F811
    proposal, _coordinator = four_years
    body = ("{% load static %}{% include 'base.html' %} {{ request }} {{ settings.SECRET_KEY }}"
            "\n\n<script>alert(1)</script> <b>gras</b> {{ quartier }}")
    text = ("Objet <i>x</i>", body)
    html = letter_html(proposal, ALLOCATION, text=text)
    for markup in ("<script>", "<b>gras", "<i>x"):
        assert markup not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;gras&lt;/b&gt; Saint-Michel" in html
    pdf_text = _text(letter_render(proposal, ALLOCATION, text=text)[0])
    assert "{% load static %}{% include 'base.html' %} {{ request }}" in pdf_text
    assert "{{ settings.SECRET_KEY }}" in pdf_text
    assert "<script>alert(1)</script> <b>gras</b> Saint-Michel" in pdf_text


@pytest.mark.parametrize("who", ["member", "advisor", "committee"])
def test_only_coordination_opens_the_editors(four_years, who, advisor_est, client):  # noqa: F811
    proposal, coordinator = four_years
    user = {"member": coordinator, "advisor": advisor_est,
            "committee": factories.make_committee_member().user}[who]
    program = proposal.stage.program
    client.force_login(user)
    urls = [_edit_url(program), reverse("governance:letter-template-list"),
            reverse("governance:letterhead-edit"),
            reverse("governance:letter-signatory-edit", args=[program.pk])]
    for url in urls:
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url, {"subject": "x", "body": "y", "name": "z",
                                 "preview": "1"}).status_code in (403, 404), url
    assert not LetterTemplate.objects.exists()
    assert not Letterhead.objects.exists()
    assert LetterSignatory.objects.get().name == "Marie-Ève Gagnon"


def test_the_preview_renders_the_unsaved_text_for_a_recent_file(
        four_years, coordination, client):  # noqa: F811
    proposal, _coordinator = four_years
    client.force_login(coordination)
    response = client.post(_edit_url(proposal.stage.program), {
        "subject": "Objet : essai", "body": "Aperçu pour {{ coordonnateur }}.",
        "proposal": proposal.pk, "preview": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Aperçu pour Josée Tremblay." in _text(response.content)
    assert not LetterTemplate.objects.exists()  # nothing saved


def test_a_logo_that_is_a_renamed_text_file_is_refused(coordination, client):
    client.force_login(coordination)
    fake = SimpleUploadedFile("logo.png", b"just some text, not an image\n",
                              content_type="image/png")
    response = client.post(reverse("governance:letterhead-edit"),
                           {"name": "Centraide", "address": "1 rue X", "logo": fake})
    assert response.status_code == 400
    assert "n&#x27;est pas un type de document accepté" in response.content.decode()
    assert not Letterhead.objects.exists()


def test_the_letterhead_and_signatory_uploaded_in_the_app_are_in_the_pdf(
        four_years, coordination, client):  # noqa: F811
    proposal, _coordinator = four_years
    program = proposal.stage.program
    LetterSignatory.objects.all().delete()
    client.force_login(coordination)
    response = client.post(reverse("governance:letterhead-edit"), {
        "name": "Centraide du Grand Montréal", "address": "1 place Ville-Marie\nMontréal QC",
        "logo": SimpleUploadedFile("logo.png", PNG, content_type="image/png")})
    assert response.status_code == 302
    pdf = letter_render(proposal, ALLOCATION)[0]
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1  # the logo, no signature
    assert "1 place Ville-Marie · Montréal QC" in _text(pdf)
    assert "Sherbrooke" not in _text(pdf)  # the settings' address is the fallback only
    response = client.post(reverse("governance:letter-signatory-edit", args=[program.pk]), {
        "name": "Anne Signataire", "title": "Directrice du PIC",
        "signature": SimpleUploadedFile("sig.jpg", _jpeg(), content_type="image/jpeg")})
    assert response.status_code == 302
    pdf = letter_render(proposal, ALLOCATION)[0]
    text = _text(pdf)
    assert "Anne Signataire" in text
    assert "Directrice du PIC" in text
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 2  # logo and signature
    assert AuditEvent.objects.filter(verb="letter_signatory.saved",
                                     actor=coordination).exists()
    # A signature that is not an image is refused, the one in place kept.
    response = client.post(reverse("governance:letter-signatory-edit", args=[program.pk]), {
        "name": "Anne Signataire", "signature": SimpleUploadedFile(
            "sig.jpg", b"%PDF-1.4 not a jpeg", content_type="image/jpeg")})
    assert response.status_code == 400
    assert LetterSignatory.objects.get().signature.name.endswith(".jpg")


def test_the_shipped_english_text_is_the_catalogues(four_years):  # noqa: F811
    proposal, _coordinator = four_years
    text = _text(letter_render(proposal, ALLOCATION, language="en")[0])
    assert "Subject: allocation confirmation — Mobilisation Saint-Michel" in text
    assert "We are pleased to confirm to" in text
    assert "Nous avons le plaisir" not in text


def test_the_list_shows_each_text_and_restoring_the_original_is_confirmed(
        four_years, coordination, client):  # noqa: F811
    proposal, _coordinator = four_years
    program = proposal.stage.program
    client.force_login(coordination)
    client.post(_edit_url(program), {"subject": "Objet : court", "body": "Court.",
                                     "save": "1"})
    page = client.get(reverse("governance:letter-template-list")).content.decode()
    assert page.count("Texte d'origine") == 5  # 3 kinds × 2 languages, one edited
    assert "Modifié le" in page
    assert _edit_url(program, DecisionLetter.Kind.AMENDMENT, "en") in page
    reset = reverse("governance:letter-template-reset", args=[program.pk, ALLOCATION, "fr"])
    assert "Oui, rétablir le texte d&#x27;origine" in client.get(reset).content.decode()
    assert LetterTemplate.objects.exists()
    client.post(reset)
    assert not LetterTemplate.objects.exists()
    assert AuditEvent.objects.get(verb="letter_template.reset").details["previous"] == {
        "subject": "Objet : court", "body": "Court."}
    assert "Nous avons le plaisir" in _text(letter_render(proposal, ALLOCATION)[0])
