"""The initiative's journey in the browser: a stage-2 proposal started from the stage-1 file
carries its learnings (marked « Repris de … »); after ratification, an amendment shows its
diff against the ratified version and is accepted by coordination."""

import re

import pytest
from django.urls import reverse

from proposals.demo import seed_program
from proposals.models import Proposal
from reporting.models import Allocation, Amendment
from reporting.services import amendments
from tests import factories
from tests.factories import PASSWORD
from tests.proposals.conftest import hand_in_final_report, make_contact, ratified

pytestmark = pytest.mark.browser

LEARNING = "Les résident·e·s décident ensemble des lieux des marchés solidaires."


def login(page, email):
    page.context.clear_cookies()
    page.goto(reverse("account_login"))
    form = page.locator("form", has=page.locator('input[name="login"]'))
    form.locator('input[name="login"]').fill(email)
    form.locator('input[name="password"]').fill(PASSWORD)
    form.locator("button[type=submit], input[type=submit]").first.click()
    page.wait_for_url(page.base_url + reverse("home"))


@pytest.fixture
def stage_one(settings, tmp_path):
    """Saint-Michel's stage-1 file: ratified, its final report handed in with its learnings."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PIC_REQUIRE_STAFF_MFA = False
    _program, stages, _windows = seed_program()
    saint_michel = factories.NeighbourhoodFactory(name="Saint-Michel")
    member = factories.make_member(saint_michel, email="tq.saint-michel@example.org")
    advisor = factories.make_advisor(saint_michel, email="conseillere.est@example.org")
    coordination = factories.make_coordination(email="coordination@example.org")
    make_contact(saint_michel)
    first = ratified(saint_michel, stages[1], title="Sécurité alimentaire — planification")
    hand_in_final_report(first, strategic_learnings=LEARNING)
    return {"first": first, "member": member, "advisor": advisor,
            "coordination": coordination, "stages": stages}


def test_a_stage_2_proposal_started_from_the_stage_1_file_carries_its_learnings(
        page, stage_one):
    login(page, stage_one["member"].email)
    page.goto(reverse("proposals:proposal-detail", args=[stage_one["first"].pk]))
    page.get_by_role("link", name="Proposer l'étape 2 pour cette initiative").click()
    assert page.locator("#id_start_from").input_value() == str(stage_one["first"].pk)
    assert page.locator("#id_stage").input_value() == str(stage_one["stages"][2].pk)
    page.fill("#id_title", "Sécurité alimentaire — déploiement")
    page.get_by_role("button", name="Créer le brouillon").click()
    page.wait_for_url(re.compile(r".*/propositions/\d+/modifier/$"))
    # The task list: the learnings are on the « Parcours de l'initiative » section's page.
    page.get_by_role("link", name="Parcours de l'initiative").click()
    page.wait_for_url(re.compile(r".*/propositions/\d+/modifier/parcours/$"))

    assert LEARNING in page.locator("#id_previous_learnings").input_value()
    field = page.locator(".field", has=page.locator("#id_previous_learnings"))
    assert "Repris du rapport final de l'étape 1" in field.inner_text()
    # Carried, and editable: the table adds to it and saves.
    page.fill("#id_previous_learnings", LEARNING + " Nous le réinvestissons à l'étape 2.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_url(re.compile(r".*/propositions/\d+/modifier/parcours/$"))
    assert "modifié depuis" in page.locator(
        ".field", has=page.locator("#id_previous_learnings")).inner_text()
    second = Proposal.objects.get(title="Sécurité alimentaire — déploiement")
    assert second.previous_proposal_id == stage_one["first"].pk
    assert second.previous_learnings.endswith("Nous le réinvestissons à l'étape 2.")


def test_an_amendment_shows_its_diff_and_is_accepted_by_coordination(page, stage_one):
    allocation = Allocation.objects.get(proposal=stage_one["first"])
    login(page, stage_one["member"].email)
    page.goto(reverse("reporting:allocation-detail", args=[allocation.pk]))
    page.get_by_role("button", name="Modifier la proposition et le plan d'action").click()
    page.wait_for_url(re.compile(r".*/modifications/\d+/modifier/$"))
    page.fill("#id_reason", "Après l'échange avec l'équipe : un volet pour les aîné·e·s.")
    page.fill("#id_action_plan", "Trois cuisines collectives pour les aîné·e·s cet automne.")
    page.fill("#id_vision", "Une vision qui inclut les aîné·e·s isolé·e·s")
    page.get_by_role("button", name="Enregistrer et déposer…").click()
    page.get_by_role("button", name="Oui, déposer la modification").click()
    page.wait_for_url(re.compile(r".*/modifications/\d+/$"))
    amendment = Amendment.objects.get(allocation=allocation)
    assert amendment.status == Amendment.Status.SUBMITTED
    amendments.amendment_review(amendment=amendment, actor=stage_one["advisor"])

    login(page, stage_one["coordination"].email)
    page.goto(reverse("reporting:amendment-detail", args=[amendment.pk]))
    diff = page.locator("table.diff")
    assert "Une vision qui inclut les aîné·e·s isolé·e·s" in diff.locator("ins").all_inner_texts()
    assert "Vision de changement" in diff.inner_text()
    page.get_by_role("link", name="Accepter…").click()
    page.get_by_role("button", name="Oui, accepter la modification").click()
    page.wait_for_url(re.compile(r".*/modifications/\d+/$"))
    assert "Acceptée" in page.locator("main").inner_text()
    assert Proposal.objects.get(pk=stage_one["first"].pk).vision == (
        "Une vision qui inclut les aîné·e·s isolé·e·s")
