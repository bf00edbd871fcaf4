"""The allocation letter as a table receives it: one page up to four years, addressed to the
coordinator by name, with the payment schedule, the reports' due dates, the letterhead and the
signatory."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from governance import services
from governance.letters import letter_render
from governance.models import DecisionLetter, LetterSignatory
from reporting.models import Allocation, Instalment
from tests import factories

pytestmark = pytest.mark.django_db

# The smallest valid PNG (1×1).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def _pages(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join((page.extract_text() or "").replace("\u202f", " ").replace("\xa0", " ")
                     .split()) for page in reader.pages]


@pytest.fixture
def four_years(proposal, advisor_est, coordination, partenaires, program,
               django_capture_on_commit_callbacks):
    proposal.duration_years = 4
    proposal.save(update_fields=["duration_years"])
    services.analysis_save(
        proposal=proposal, actor=advisor_est, needs_and_context="",
        conditions="Bilan à mi-parcours avec l'équipe",
        capacity_building_amount=Decimal("12000"), prerequisites={},
        yearly_amounts={1: Decimal("80000"), 2: Decimal("95000"), 3: Decimal("100000"),
                        4: Decimal("105000")})
    factories.committee_decide(proposal)
    coordinator = factories.make_member(proposal.neighbourhood, full_name="Josée Tremblay",
                                        email="josee@example.org")
    LetterSignatory.objects.create(program=program, name="Marie-Ève Gagnon",
                                   title="Directrice, Impact collectif",
                                   signature=ContentFile(PNG, name="signature.png"))
    with django_capture_on_commit_callbacks(execute=True):
        services.ratification_record(proposal=proposal, actor=coordination,
                                     ratified_on=timezone.localdate())
    proposal.refresh_from_db()
    return proposal, coordinator


def test_a_four_year_allocation_letter_fits_on_one_page_with_everything(four_years):
    proposal, _coordinator = four_years
    allocation = Allocation.objects.get(proposal=proposal)
    instalments = list(Instalment.objects.filter(allocation_year__allocation=allocation))
    assert allocation.years.count() == 4
    assert len(instalments) >= 4
    pdf, _language = letter_render(proposal, DecisionLetter.Kind.ALLOCATION)
    pages = _pages(pdf)
    assert len(pages) == 1
    text = pages[0]
    assert "Josée Tremblay" in text
    assert "Bonjour Josée Tremblay" in text
    assert "Madame, Monsieur" not in text
    for amount in ("80 000", "95 000", "100 000", "105 000", "380 000", "12 000"):
        assert amount in text
    assert "Calendrier des versements" in text
    for instalment in instalments:
        assert f"{instalment.amount:,.0f}".replace(",", " ") in text
    assert "Rapport annuel à remettre le" in text
    assert "rapport final d'étape est à remettre le" in text
    assert "Marie-Ève Gagnon" in text
    assert "Directrice, Impact collectif" in text
    assert "Centraide du Grand Montréal" in text
    assert "Sherbrooke" in text
    assert f"Dossier {proposal.pk}" in text
    assert "Bilan à mi-parcours" in text


def test_the_signature_image_is_in_the_pdf(four_years):
    proposal, _coordinator = four_years
    pdf, _language = letter_render(proposal, DecisionLetter.Kind.ALLOCATION)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(page.images) >= 1


def test_without_a_known_coordinator_the_letter_says_madame_monsieur(
        four_years, settings):
    proposal, coordinator = four_years
    coordinator.memberships.update(ended_at=timezone.now())
    LetterSignatory.objects.all().delete()
    settings.PIC_LETTER_SIGNATORY_NAME = "Luc Côté"
    pdf, _language = letter_render(proposal, DecisionLetter.Kind.ALLOCATION)
    text = " ".join(_pages(pdf))
    assert "Madame, Monsieur" in text
    assert "Luc Côté" in text


def test_a_long_conditions_text_continues_on_a_second_page_with_content(four_years):
    proposal, _coordinator = four_years
    analysis = proposal.analysis if hasattr(proposal, "analysis") else None
    from governance.models import Analysis

    analysis = Analysis.objects.get(proposal=proposal)
    analysis.conditions = "\n".join(f"Condition numéro {n} : un suivi trimestriel détaillé."
                                    for n in range(1, 40))
    analysis.save(update_fields=["conditions"])
    pdf, _language = letter_render(proposal, DecisionLetter.Kind.ALLOCATION)
    pages = _pages(pdf)
    assert len(pages) == 2
    # The last page holds the letter's end, not only the footer.
    assert "Condition numéro 39" in pages[1]
    assert "Marie-Ève Gagnon" in pages[1]


def _instalment(proposal, year_number):
    return (Instalment.objects.filter(allocation_year__allocation__proposal=proposal,
                                      allocation_year__year_number=year_number)
            .order_by("number").first())


def test_no_payment_before_the_letter_is_accepted_then_the_previous_report(
        four_years, coordination, advisor_est, client, django_capture_on_commit_callbacks):
    from django.core.exceptions import PermissionDenied

    from reporting.services import payments

    proposal, coordinator = four_years
    letter = DecisionLetter.objects.get(proposal=proposal)
    first = _instalment(proposal, 1)
    with pytest.raises(ValidationError, match="accepté les conditions"):
        payments.instalment_release(instalment=first, actor=coordination)
    with pytest.raises(ValidationError):  # not received yet: nothing to accept
        services.letter_acknowledge(letter=letter, actor=coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(letter=letter, actor=coordination)
    with pytest.raises(PermissionDenied):
        services.letter_acknowledge(letter=letter, actor=advisor_est)
    client.force_login(coordinator)
    url = reverse("governance:letter-acknowledge", args=[letter.pk])
    assert "J&#x27;accepte les conditions" in client.get(url).content.decode()
    client.post(url)
    letter.refresh_from_db()
    assert letter.acknowledged_name == "Josée Tremblay"
    assert letter.acknowledged_role == "Coordination de la table"
    assert letter.acknowledged_at is not None
    page = client.get(reverse("reporting:allocation-detail",
                              args=[proposal.allocation.pk])).content.decode()
    assert "acceptées par Josée Tremblay (Coordination de la table)" in page

    first = payments.instalment_release(instalment=first, actor=coordination)
    first = payments.instalment_pay(instalment=first, actor=coordination)
    assert first.status == Instalment.Status.PAID
    # The next year's money still waits for the year-1 report, accepted.
    with pytest.raises(ValidationError, match="rapport annuel"):
        payments.instalment_release(instalment=_instalment(proposal, 2), actor=coordination)


def test_coordination_corrects_the_conditions_then_sends_several_letters(
        four_years, coordination, client, mailoutbox, django_capture_on_commit_callbacks):
    proposal, coordinator = four_years
    letter = DecisionLetter.objects.get(proposal=proposal)
    client.force_login(coordination)
    review = client.get(reverse("governance:letter-review", args=[letter.pk])).content.decode()
    assert "Bilan à mi-parcours avec l&#x27;équipe" in review  # the analysis's text, editable
    response = client.post(reverse("governance:letter-conditions", args=[letter.pk]),
                           {"conditions": "Rencontre de démarrage <b>avant</b> mars"})
    corrected = DecisionLetter.objects.get(proposal=proposal, version=2)
    assert response.url == reverse("governance:letter-review", args=[corrected.pk])
    with corrected.file.open("rb") as handle:
        text = " ".join(_pages(handle.read()))
    assert "Rencontre de démarrage <b>avant</b> mars" in text  # typed text, escaped
    assert "Bilan à mi-parcours" not in text
    # The older version may not go out.
    with pytest.raises(ValidationError):
        services.letter_send(letter=letter, actor=coordination)

    bulk = reverse("governance:letter-bulk-send")
    confirm = client.get(bulk, {"letter": [corrected.pk]}).content.decode()
    assert "Oui, envoyer ces lettres" in confirm
    assert proposal.title in confirm
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(bulk, {"letter": [corrected.pk]})
    corrected.refresh_from_db()
    assert corrected.sent_at is not None
    assert corrected.emailed_at is not None
    assert len(mailoutbox) == 1
    assert "josee@example.org" in mailoutbox[0].to


def test_the_letter_states_the_amounts_the_allocation_takes(proposal, advisor_est):
    """An analysis with no yearly amounts: the requested years, and the analysis's
    capacity-building amount, as the allocation made at ratification (decided_amounts)."""
    from governance.models import Analysis
    from reporting.services.allocations import decided_amounts

    proposal.capacity_building_amount = Decimal("9000")
    proposal.save(update_fields=["capacity_building_amount"])
    Analysis.objects.create(proposal=proposal, author=advisor_est,
                            capacity_building_amount=Decimal("7000"))
    assert decided_amounts(proposal)[1] == Decimal("7000")
    pdf, _language = letter_render(proposal, DecisionLetter.Kind.ALLOCATION)
    text = " ".join(_pages(pdf))
    assert "7 000" in text
    assert "9 000" not in text
