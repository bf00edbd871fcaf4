"""What used to be inline JavaScript (now in static/js/pic.js, driven by data- attributes)
still works under the strict Content-Security-Policy: a removal asks first, and what is typed
in a proposal survives a reload before it is saved."""

import re

import pytest
from django.urls import reverse

from neighbourhoods.models import Membership
from proposals.demo import seed_program
from tests import factories
from tests.browser.test_followup import log_in
from tests.proposals.conftest import make_contact, make_proposal

pytestmark = pytest.mark.browser


def test_removing_a_person_asks_first_and_cancelling_keeps_them(page, transactional_db):
    saint_michel = factories.NeighbourhoodFactory(name="Saint-Michel")
    member = factories.make_member(saint_michel, email="tq.saint-michel@example.org")
    coordination = factories.make_coordination(email="coordination@example.org")
    questions = []
    answers = iter([False, True])  # cancel the first time, confirm the second

    def answer(dialog):
        questions.append(dialog.message)
        if next(answers):
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", answer)
    log_in(page, coordination.email)
    page.goto(reverse("neighbourhoods:neighbourhood-detail", args=[saint_michel.slug]))
    remove = page.get_by_role("button", name=re.compile("Retirer l'accès"))
    remove.click()
    page.wait_for_timeout(300)
    assert Membership.objects.get(user=member).ended_at is None
    remove.click()
    page.get_by_role("button", name=re.compile("Retirer l'accès")).wait_for(state="detached")
    assert Membership.objects.get(user=member).ended_at is not None
    assert len(questions) == 2
    assert questions[0].startswith("Retirer cette personne?")


def test_typed_text_is_put_back_after_a_reload(page, transactional_db):
    program, stages, _windows = seed_program()
    saint_michel = factories.NeighbourhoodFactory(name="Saint-Michel")
    member = factories.make_member(saint_michel, email="tq.saint-michel@example.org")
    make_contact(saint_michel)
    proposal = make_proposal(saint_michel, stages[1], complete=False, title="Nourrir")
    log_in(page, member.email)
    page.goto(reverse("proposals:proposal-edit-section", args=[proposal.pk, "resume"]))
    # The server cannot be reached (the autosave fails): the copy in the tab is the fallback.
    page.route("**/modifier/**", lambda route: route.abort() if route.request.method == "POST"
               else route.continue_())
    page.fill("#id_summary", "Tapé, pas encore enregistré")
    page.reload()
    assert page.input_value("#id_summary") == "Tapé, pas encore enregistré"
    assert page.get_by_role("status").filter(
        has_text="Nous avons remis ce que vous aviez tapé").is_visible()
