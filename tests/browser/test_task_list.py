"""The proposal's task list in a browser: the sections and their status, the draft that saves
itself (« Enregistré à … »), the conflict a stale second tab gets, and the same save without
JavaScript."""

import re

import pytest
from django.urls import reverse

from proposals.demo import seed_program
from proposals.models import Proposal
from tests import factories
from tests.proposals.conftest import make_contact, make_proposal

pytestmark = pytest.mark.browser


@pytest.fixture
def world():
    _program, stages, _windows = seed_program()
    saint_michel = factories.NeighbourhoodFactory(name="Saint-Michel")
    member = factories.make_member(saint_michel, email="tq.saint-michel@example.org")
    make_contact(saint_michel)
    proposal = make_proposal(saint_michel, stages[1], complete=False, title="Nourrir")
    return {"member": member, "proposal": proposal}


def log_in(page, email):
    page.goto(reverse("account_login"))
    form = page.locator("form", has=page.locator('input[name="login"]'))
    form.locator('input[name="login"]').fill(email)
    form.locator('input[name="password"]').fill(factories.PASSWORD)
    form.locator("button[type=submit]").first.click()
    page.wait_for_url(page.base_url + reverse("home"))


def section(proposal, slug):
    return reverse("proposals:proposal-edit-section", args=[proposal.pk, slug])


def test_the_task_list_leads_to_each_section_and_shows_its_status(page, world):
    proposal = world["proposal"]
    log_in(page, world["member"].email)
    page.goto(reverse("proposals:proposal-edit", args=[proposal.pk]))
    assert page.locator("#status-edi").inner_text() == "Pas commencée"
    page.get_by_role("link", name="Équité, diversité et inclusion (ÉDI)").click()
    page.fill("#id_edi", "Le comité compte des familles nouvellement arrivées.")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.wait_for_url(re.compile(r".*/modifier/evaluation/$"))
    page.get_by_role("link", name="Retour à la liste des sections").click()
    assert page.locator("#status-edi").inner_text() == "Terminée"
    assert "1 section terminée sur 9" in page.locator(".task-progress").inner_text()


def test_the_draft_saves_itself_and_a_stale_tab_gets_the_conflict(page, world):
    proposal = world["proposal"]
    log_in(page, world["member"].email)
    page.goto(section(proposal, "resume"))
    other = page.context.new_page()  # a second tab on the same page
    other.goto(page.base_url + section(proposal, "resume"))

    other.fill("#id_vision", "La vision écrite dans le second onglet")
    other.locator("[data-autosave-status]", has_text="Enregistré à").wait_for()
    assert re.search(r"Enregistré à \d+\s?h", other.locator("[data-autosave-status]").inner_text())
    proposal.refresh_from_db()
    assert proposal.vision == "La vision écrite dans le second onglet"

    page.fill("#id_vision", "La vision du premier onglet, resté ouvert")
    conflict = page.locator("[data-autosave-status]", has_text="enregistré ailleurs")
    conflict.wait_for()
    assert conflict.get_attribute("role") == "alert"
    assert page.input_value("#id_vision") == "La vision du premier onglet, resté ouvert"
    proposal.refresh_from_db()
    assert proposal.vision == "La vision écrite dans le second onglet"  # never overwritten
    other.close()


def test_without_javascript_the_button_saves_the_section(browser, live_server, world):
    context = browser.new_context(base_url=live_server.url, locale="fr-CA",
                                  java_script_enabled=False)
    page = context.new_page()
    page.base_url = live_server.url
    try:
        log_in(page, world["member"].email)
        page.goto(section(world["proposal"], "resume"))
        page.fill("#id_summary", "Écrit sans JavaScript")
        page.get_by_role("button", name="Enregistrer", exact=True).click()
        page.locator(".message-success", has_text="Enregistré à").wait_for()
        assert page.input_value("#id_summary") == "Écrit sans JavaScript"
        assert Proposal.objects.get(pk=world["proposal"].pk).summary == "Écrit sans JavaScript"
    finally:
        context.close()


def test_the_error_summary_is_focused_and_its_link_lands_on_the_field(page, world):
    proposal = world["proposal"]
    log_in(page, world["member"].email)
    page.goto(section(proposal, "budget"))
    page.fill("#id_year_1", "beaucoup")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert page.evaluate("() => document.activeElement.id") == "error-summary"
    summary.get_by_role("link").first.click()
    assert page.evaluate("() => location.hash") == "#id_year_1"
    assert page.input_value("#id_year_1") == "beaucoup"  # what was typed stays
