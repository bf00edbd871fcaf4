"""A meeting, end to end in the browser: a member votes, the CMTQ delegate sees that they are
recused and cannot vote, the chair closes the item, staff ratify, the decision letter appears
in the neighbourhood's file."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import Committee, DecisionLetter
from neighbourhoods.models import Organisation
from proposals.models import Proposal
from tests import factories
from tests.factories import PASSWORD
from tests.governance.conftest import make_proposal

pytestmark = pytest.mark.browser


def login(page, email):
    page.context.clear_cookies()
    page.goto(reverse("account_login"))
    form = page.locator("form", has=page.locator('input[name="login"]'))
    form.locator('input[name="login"]').fill(email)
    form.locator('input[name="password"]').fill(PASSWORD)
    form.locator("button[type=submit], input[type=submit]").first.click()
    page.wait_for_url(page.base_url + reverse("home"))


@pytest.fixture
def story(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PIC_REQUIRE_STAFF_MFA = False
    from proposals.models import PrerequisiteItem, Program, Stage

    program = Program.objects.create(name="PIC phase 2", slug="pic-2",
                                     starts_on=timezone.localdate().replace(year=2021),
                                     ends_on=timezone.localdate().replace(year=2026))
    stage = Stage.objects.create(program=program, number=2, name="Déploiement",
                                 normal_duration_years=3, max_duration_years=4,
                                 min_yearly_amount=Decimal("75000"),
                                 max_yearly_amount=Decimal("150000"),
                                 capacity_building_amount=Decimal("20000"))
    PrerequisiteItem.objects.create(stage=stage, position=1, label="Plan de quartier adopté")
    neighbourhood = factories.NeighbourhoodFactory(name="Saint-Michel")
    tq = factories.make_member(neighbourhood, email="tq.saint-michel@example.org")
    coordination = factories.make_coordination(email="coordination@example.org")
    gestion = factories.CommitteeFactory(kind=Committee.Kind.GESTION, name="Comité de gestion")
    factories.CommitteeFactory(kind=Committee.Kind.PARTENAIRES, name="Comité des partenaires")
    cmtq = factories.OrganisationFactory(name="CMTQ", category=Organisation.Category.COMMUNITY,
                                         recused_from_investment_decisions=True)
    chair = factories.make_committee_member(gestion, email="presidence@example.org")
    chair.is_chair = True
    chair.save(update_fields=["is_chair"])
    member = factories.make_committee_member(gestion, email="membre@example.org")
    factories.make_committee_member(gestion, organisation=cmtq, email="cmtq@example.org")
    proposal = make_proposal(neighbourhood, stage, title="Mobilisation alimentaire")
    meeting = services.meeting_create(committee=gestion, title="Rencontre de novembre",
                                      held_on=timezone.localdate(), actor=coordination)
    item = services.agenda_item_add(meeting=meeting, proposal=proposal, actor=coordination)
    return {"item": item, "proposal": proposal, "tq": tq, "member": member, "chair": chair}


def test_meeting_vote_recusal_close_ratify_letter(page, story):
    item, proposal = story["item"], story["proposal"]
    item_url = reverse("governance:item-detail", args=[item.pk])

    # A member votes.
    login(page, "membre@example.org")
    page.goto(item_url)
    page.get_by_label("Pour").check()
    page.get_by_role("button", name="Voter").click()
    page.get_by_text("Votre vote est enregistré").wait_for()

    # The CMTQ delegate sees why they are recused, and no voting form.
    login(page, "cmtq@example.org")
    page.goto(item_url)
    notice = page.locator("#recusal-notice")
    assert "récusé·e de ce vote" in notice.inner_text()
    assert "se retire des décisions d'investissement" in notice.inner_text()
    assert page.get_by_role("button", name="Voter").count() == 0

    # The chair sees who has voted, votes, and closes the item.
    login(page, "presidence@example.org")
    page.goto(item_url)
    assert "Votes exprimés : 1 sur 2" in page.locator("#voters").inner_text()
    page.get_by_label("Pour").check()
    page.get_by_role("button", name="Voter").click()
    page.get_by_text("Votre vote est enregistré").wait_for()
    page.get_by_role("link", name="Fermer le vote…").click()
    # A confirmation page says what will happen; nothing is closed until « Oui ».
    page.get_by_text("Le résultat est définitif").wait_for()
    assert page.get_by_text("la proposition sera recommandée").is_visible()
    item.refresh_from_db()
    assert not item.is_closed
    page.get_by_role("button", name="Oui, fermer le vote").click()
    assert page.locator("#item-result").inner_text() == "Recommandée"
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.RECOMMENDED

    # Coordination staff record the ratification.
    login(page, "coordination@example.org")
    page.goto(reverse("governance:ratification-list"))
    page.get_by_label("Entérinée le").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Enregistrer l'entérinement…").click()
    page.get_by_text("La lettre de confirmation est produite « à envoyer »").wait_for()
    page.get_by_role("button", name="Oui, enregistrer l'entérinement").click()
    page.get_by_text("Décision entérinée").wait_for()

    # The letter waits « à envoyer »: coordination reads it and sends it.
    page.goto(reverse("governance:letter-list"))
    page.get_by_role("link", name="Relire et envoyer").click()
    page.get_by_role("link", name="Envoyer cette lettre").click()
    page.get_by_role("button", name="Oui, envoyer la lettre").click()
    page.get_by_text("La lettre part au quartier").wait_for()

    # The letter is in the neighbourhood's file.
    login(page, "tq.saint-michel@example.org")
    page.get_by_role("link", name="Lettres de décision").click()
    link = page.get_by_role("link", name=re.compile("Lettre de confirmation d'allocation"))
    link.wait_for()
    letter = DecisionLetter.objects.get(proposal=proposal)
    response = page.request.get(page.base_url + link.get_attribute("href"))
    assert response.status == 200
    assert response.body().startswith(b"%PDF")
    assert letter.emailed_at is not None
    # The table accepts the conditions (name, role and time recorded).
    page.goto(reverse("governance:letter-list"))
    page.get_by_role("link", name="J'accepte les conditions").click()
    page.get_by_role("button", name="J'accepte les conditions").click()
    page.get_by_text("Conditions acceptées par").wait_for()
    letter.refresh_from_db()
    assert letter.acknowledged_at is not None
    assert letter.acknowledged_role
