"""Search in a browser: a table member types an unaccented word in the header's box and finds
their proposal, the word highlighted; the filter of the proposal list is a text field."""

import datetime

import pytest
from django.urls import reverse

from proposals.models import Initiative, Program, Proposal, Stage
from tests import factories
from tests.browser.test_followup import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def files(transactional_db):
    program = Program.objects.create(name="PIC phase 2", slug="pic-2",
                                     starts_on=datetime.date(2021, 1, 1),
                                     ends_on=datetime.date(2030, 12, 31))
    stage = Stage.objects.create(program=program, number=1, name="Planification",
                                 normal_duration_years=1, max_duration_years=2,
                                 min_yearly_amount=25000, max_yearly_amount=50000)
    found = {}
    for name in ("Côte-des-Neiges", "Verdun"):
        neighbourhood = factories.NeighbourhoodFactory(name=name)
        initiative = Initiative.objects.create(neighbourhood=neighbourhood, program=program,
                                               title="Initiative", desired_change="…")
        found[name] = Proposal.objects.create(
            neighbourhood=neighbourhood, initiative=initiative, stage=stage,
            title=f"Sécurité alimentaire à {name}", summary="Un marché solidaire.")
    member = factories.make_member(found["Côte-des-Neiges"].neighbourhood)
    return {"member": member, **found}


def test_a_search_finds_a_proposal_by_an_unaccented_word(page, files):
    log_in(page, files["member"].email)
    box = page.get_by_role("search").get_by_label("Rechercher")
    box.fill("securite")
    box.press("Enter")
    page.wait_for_url("**/recherche/?q=securite")
    results = page.locator("section.search-group", has=page.get_by_role(
        "heading", name="Propositions"))
    link = results.get_by_role("link", name="Sécurité alimentaire à Côte-des-Neiges")
    assert link.is_visible()
    assert results.locator("mark").first.inner_text() == "Sécurité"
    assert page.get_by_text("Verdun").count() == 0  # not theirs
    link.click()
    page.wait_for_url(page.base_url + reverse("proposals:proposal-detail",
                                              args=[files["Côte-des-Neiges"].pk]))


def test_the_neighbourhood_filter_suggests_names_as_one_types(page, files):
    advisor = factories.make_advisor(files["Côte-des-Neiges"].neighbourhood,
                                     files["Verdun"].neighbourhood)
    log_in(page, advisor.email)
    page.goto(reverse("proposals:proposal-list"))
    field = page.get_by_label("Quartier", exact=True)
    field.press_sequentially("cote")
    page.locator('#neighbourhood-suggestions option[value="Côte-des-Neiges"]').wait_for(
        state="attached")
    assert page.locator("#neighbourhood-suggestions option").count() == 1
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**neighbourhood=cote**")
    assert page.get_by_role("link", name="Sécurité alimentaire à Côte-des-Neiges").is_visible()
    assert page.get_by_role("link", name="Sécurité alimentaire à Verdun").count() == 0
