"""An accepted amendment queues its letter of acceptance « à envoyer », with the amended amounts
by year, on the letters page; coordination reads it and sends it like the others."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from governance import services
from governance.models import DecisionLetter, LetterTemplate
from pic.access import SYSTEM
from proposals.versions import version_freeze
from reporting.services import allocations
from reporting.services import amendments as amendment_services
from tests.reporting.conftest import make_ratified

pytestmark = pytest.mark.django_db


def _text(letter: DecisionLetter) -> str:
    with letter.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


@pytest.fixture
def accept(saint_michel, stage, coordination, tq_saint_michel, advisor_est,
           django_capture_on_commit_callbacks):
    """Amendment n° 1 of Saint-Michel's allocation (85 000, 100 000, 115 000 $), moving
    5 000 $ from year 3 to year 2, accepted by coordination; returns the allocation."""
    ratification = make_ratified(saint_michel, stage,
                                 analysis_amounts=("85000", "100000", "115000"))
    allocation = allocations.allocation_create_for_ratification(ratification=ratification,
                                                                actor=coordination)
    version_freeze(proposal=allocation.proposal, actor=SYSTEM, now=timezone.now())

    def accept_one(reason: str, years: dict):
        amendment = amendment_services.amendment_create(allocation=allocation,
                                                        actor=tq_saint_michel)
        amendment = amendment_services.amendment_save(
            amendment=amendment, actor=tq_saint_michel,
            data={"reason": reason, "action_plan": "Trois cuisines collectives.",
                  "years": years})
        with django_capture_on_commit_callbacks(execute=True):
            amendment = amendment_services.amendment_submit(amendment=amendment,
                                                            actor=tq_saint_michel)
            amendment = amendment_services.amendment_review(amendment=amendment,
                                                            actor=advisor_est)
        with django_capture_on_commit_callbacks(execute=True):
            return amendment_services.amendment_accept(amendment=amendment, actor=coordination)

    return allocation, accept_one


def test_an_accepted_amendment_queues_its_letter_with_the_amended_amounts(
        accept, coordination, client, mailoutbox, django_capture_on_commit_callbacks):
    allocation, accept_one = accept
    accept_one("Un volet pour les aîné·e·s.", {2: Decimal("105000"), 3: Decimal("110000")})
    letter = DecisionLetter.objects.get(kind=DecisionLetter.Kind.AMENDMENT)
    assert letter.amendment_number == 1
    assert letter.sent_at is None  # « à envoyer »: coordination reads it first
    text = _text(letter)
    assert "Objet : acceptation de la modification n° 1" in text
    assert "Ce qui change : Un volet pour les aîné·e·s." in text
    assert "Montant entériné Montant modifié" in text
    assert "Année 2 100 000 $ 105 000 $" in text
    assert "Année 3 115 000 $ 110 000 $" in text
    assert "Année 1 85 000 $ 85 000 $" in text
    assert "300 000 $ 300 000 $" in text
    assert len(PdfReader(io.BytesIO(letter.file.open("rb").read())).pages) == 1

    client.force_login(coordination)
    page = client.get(reverse("governance:letter-list")).content.decode()
    assert "Lettre d&#x27;acceptation de la modification n° 1" in page
    assert reverse("governance:letter-review", args=[letter.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(letter=letter, actor=coordination)
    letter.refresh_from_db()
    assert letter.emailed_at is not None
    assert mailoutbox[-1].attachments[0][0] == (
        f"lettre-modification-{allocation.proposal_id}-1-v1.pdf")


def test_each_accepted_amendment_has_its_own_letter_from_the_program_text(
        accept, coordination):
    allocation, accept_one = accept
    program = allocation.proposal.stage.program
    services.letter_template_save(
        program=program, kind=DecisionLetter.Kind.AMENDMENT, language="fr",
        subject="Objet : modification {{ modification_numero }} acceptée",
        body="Modification {{ modification_numero }} : {{ modification_changements }}\n\n"
             "{{ montants }}", actor=coordination)
    accept_one("D'abord ceci.", {2: Decimal("105000"), 3: Decimal("110000")})
    accept_one("Puis cela.", {1: Decimal("90000"), 2: Decimal("100000")})
    first, second = DecisionLetter.objects.filter(
        kind=DecisionLetter.Kind.AMENDMENT).order_by("amendment_number")
    assert (first.amendment_number, second.amendment_number) == (1, 2)
    assert "Modification 1 : D'abord ceci." in _text(first)
    assert "Modification 2 : Puis cela." in _text(second)
    # The second starts from the first's amounts (105 000 $ in year 2, 110 000 $ in year 3).
    assert "Année 2 105 000 $ 100 000 $" in _text(second)
    assert "Année 1 85 000 $ 90 000 $" in _text(second)
    assert LetterTemplate.objects.count() == 1
