"""In a real browser: coordination goes from the letters to « Modèles de lettres », edits the
French refusal letter, is told which placeholder does not exist (its text kept), fixes it and
saves; the list then says who changed the text."""

import datetime

import pytest
from django.urls import reverse

from governance.models import DecisionLetter, LetterTemplate
from tests import factories

from .test_meeting import login

pytestmark = pytest.mark.browser


@pytest.fixture
def coordination(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PIC_REQUIRE_STAFF_MFA = False
    from proposals.models import Program

    Program.objects.create(name="PIC phase 2", slug="pic-2",
                           starts_on=datetime.date(2021, 1, 1),
                           ends_on=datetime.date(2030, 12, 31))
    return factories.make_coordination(email="coordination@example.org",
                                       full_name="Lise Coordination")


def test_coordination_edits_a_letter_text_and_is_told_of_an_unknown_placeholder(
        page, coordination):
    login(page, coordination.email)
    page.goto(reverse("governance:letter-list"))
    page.get_by_role("link", name="Modèles de lettres, en-tête et signataire").click()
    page.get_by_role("link", name="Modifier — Lettre de refus (Français)").click()
    body = page.get_by_label("Texte de la lettre")
    assert "n'a pas retenu la proposition du quartier {{ quartier }}" in body.input_value()
    assert page.get_by_text("{{ motifs }}", exact=True).is_visible()  # the list beside it
    body.fill("{{ salutation }}\n\nNous regrettons, {{ nom_quartier }}.\n\n{{ motifs }}")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Ces champs de fusion n'existent pas : {{ nom_quartier }}").first.wait_for()
    assert "{{ nom_quartier }}" in page.get_by_label("Texte de la lettre").input_value()
    assert not LetterTemplate.objects.exists()

    page.get_by_label("Texte de la lettre").fill(
        "{{ salutation }}\n\nNous regrettons, {{ quartier }}.\n\n{{ motifs }}")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Modèle de lettre enregistré").wait_for()
    assert page.get_by_text("par Lise Coordination").is_visible()
    stored = LetterTemplate.objects.get()
    assert (stored.kind, stored.language) == (DecisionLetter.Kind.REFUSAL, "fr")
    assert "Nous regrettons, {{ quartier }}." in stored.body
