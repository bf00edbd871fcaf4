"""The main journeys with the keyboard alone: submit a proposal, vote, ratify, submit a report.
Every action is reached with Tab and done with Enter or Space; the focused element is always
visibly marked (:focus-visible, an outline); after each action the focus is on the page's
message, or on the error summary when something must be corrected."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import services as governance_services
from governance.models import Committee, Vote
from pic.access import SYSTEM
from proposals import services
from proposals.demo import seed_program
from proposals.models import (
    Contact,
    EvaluationQuestion,
    PrerequisiteEvidence,
    Proposal,
    ProposalYear,
)
from proposals.rules import submission_errors
from proposals.states import RATIFIED_STATES
from reporting.models import Report
from reporting.services import allocations
from tests import factories
from tests.factories import PASSWORD
from tests.governance.conftest import make_proposal
from tests.reporting.conftest import make_ratified

pytestmark = pytest.mark.browser

MAX_TABS = 120


def log_in(page, email):
    page.context.clear_cookies()
    page.goto(reverse("account_login"))
    form = page.locator("form", has=page.locator('input[name="login"]'))
    form.locator('input[name="login"]').fill(email)
    form.locator('input[name="password"]').fill(PASSWORD)
    form.locator("button[type=submit], input[type=submit]").first.press("Enter")
    page.wait_for_url(page.base_url + reverse("home"))


def tab_to(page, locator) -> None:
    """Press Tab until `locator` has the focus; each element on the way shows its focus."""
    target = locator.element_handle()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focus = page.evaluate("""() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {visible: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
                    what: el.outerHTML.slice(0, 80)};
        }""")
        assert focus["visible"], f"focus not visible on {focus['what']}"
        if page.evaluate("el => document.activeElement === el", target):
            return
    raise AssertionError(f"{locator} not reached with {MAX_TABS} presses of Tab")


def press(page, key="Enter") -> None:
    """Press the key on the focused button and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)


def assert_focus_on_outcome(page, selector=".messages") -> str:
    """The focus is in the message (or error summary) the page starts with; its text."""
    page.wait_for_load_state("domcontentloaded")
    page.wait_for_function(f"() => document.activeElement.closest({selector!r}) !== null")
    return page.locator(selector).first.inner_text()


@pytest.fixture
def world(settings, tmp_path, transactional_db):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PIC_REQUIRE_STAFF_MFA = False
    return {}


def test_a_coordinator_submits_a_proposal_with_the_keyboard(page, world):
    program, stages, _windows = seed_program()
    neighbourhood = factories.NeighbourhoodFactory(name="Saint-Michel")
    coordinator = factories.make_member(neighbourhood, email="tq.saint-michel@example.org")
    advisor = factories.make_advisor(neighbourhood, email="conseillere.est@example.org")
    Contact.objects.create(neighbourhood=neighbourhood, advisor=advisor, date="2025-01-10",
                           kind=Contact.Kind.PRE_SUBMISSION, summary="Échange avant le dépôt")
    initiative = services.initiative_create(
        neighbourhood=neighbourhood, program=program, title="Sécurité alimentaire",
        desired_change="Les familles mangent mieux", actor=coordinator)
    stage = stages[1]
    proposal = services.proposal_create(initiative=initiative, stage=stage,
                                        title="Planification", actor=coordinator)
    Proposal.objects.filter(pk=proposal.pk).update(summary="Mobiliser le quartier.")
    ProposalYear.objects.update_or_create(proposal=proposal, year_number=1,
                                          defaults={"amount": stage.min_yearly_amount})
    for item in stage.prerequisites.all():
        PrerequisiteEvidence.objects.update_or_create(proposal=proposal, item=item,
                                                      defaults={"text": "Adopté en 2021."})
    EvaluationQuestion.objects.create(proposal=proposal, question="Qui participe?",
                                      data_to_collect="Présences", target="200 personnes")
    proposal.refresh_from_db()
    assert not submission_errors(proposal)  # the draft is complete: only the keyboard is tried

    log_in(page, coordinator.email)
    page.goto(reverse("proposals:proposal-submit", args=[proposal.pk]))
    tab_to(page, page.get_by_role("button", name="Oui, déposer la proposition"))
    press(page)
    page.wait_for_url(re.compile(r".*/propositions/\d+/$"))
    assert "accusé de réception" in assert_focus_on_outcome(page)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def deployment_stage():
    """Stage 2 of a program running 2021–2030, with one prerequisite."""
    from proposals.models import PrerequisiteItem, Program, Stage

    program = Program.objects.create(name="PIC phase 2", slug="pic-2",
                                     starts_on=datetime.date(2021, 1, 1),
                                     ends_on=datetime.date(2030, 12, 31))
    stage = Stage.objects.create(program=program, number=2, name="Déploiement",
                                 normal_duration_years=3, max_duration_years=4,
                                 min_yearly_amount=Decimal("75000"),
                                 max_yearly_amount=Decimal("150000"),
                                 capacity_building_amount=Decimal("20000"))
    PrerequisiteItem.objects.create(stage=stage, position=1, label="Plan de quartier adopté")
    return stage


@pytest.fixture
def committee_item(world):
    coordination = factories.make_coordination(email="coordination@example.org")
    stage = deployment_stage()
    neighbourhood = factories.NeighbourhoodFactory(name="Saint-Michel")
    gestion = factories.CommitteeFactory(kind=Committee.Kind.GESTION, name="Comité de gestion")
    factories.CommitteeFactory(kind=Committee.Kind.PARTENAIRES, name="Comité des partenaires")
    member = factories.make_committee_member(gestion, email="membre@example.org")
    meeting = governance_services.meeting_create(
        committee=gestion, title="Rencontre", held_on=timezone.localdate(), actor=coordination)
    proposal = make_proposal(neighbourhood, stage, title="Mobilisation alimentaire")
    item = governance_services.agenda_item_add(meeting=meeting, proposal=proposal,
                                               actor=coordination)
    governance_services.attendance_set(meeting=meeting, present=[member], actor=coordination)
    return {"item": item, "member": member, "coordination": coordination,
            "stage": stage, "neighbourhood": neighbourhood}


def test_a_member_votes_with_the_keyboard(page, committee_item):
    item, member = committee_item["item"], committee_item["member"]
    log_in(page, member.user.email)
    page.goto(reverse("governance:item-detail", args=[item.pk]))
    choice = page.locator("input[type=radio][name=choice]").first
    tab_to(page, choice)
    page.keyboard.press("Space")
    assert choice.is_checked()
    tab_to(page, page.get_by_role("button", name="Voter"))
    press(page)
    assert_focus_on_outcome(page)
    assert Vote.objects.filter(item=item, member=member).exists()


def test_coordination_ratifies_with_the_keyboard_and_lands_on_the_error_first(page,
                                                                             committee_item):
    proposal = make_proposal(committee_item["neighbourhood"], committee_item["stage"],
                             title="À entériner")
    factories.committee_decide(proposal)
    log_in(page, committee_item["coordination"].email)
    url = reverse("governance:ratification-record", args=[proposal.pk])
    # Without a date: the error summary takes the focus, and its link leads to the field.
    page.goto(url)
    tab_to(page, page.get_by_role("button", name="Oui, enregistrer l'entérinement"))
    press(page)
    assert "date" in assert_focus_on_outcome(page, ".form-errors").lower()
    # With the date the ratification list proposes (?ratified_on=…): recorded.
    page.goto(f"{url}?ratified_on={timezone.localdate().isoformat()}")
    tab_to(page, page.get_by_role("button", name="Oui, enregistrer l'entérinement"))
    press(page)
    assert "entérinée" in assert_focus_on_outcome(page).lower()
    proposal.refresh_from_db()
    assert proposal.status in RATIFIED_STATES  # ratified, its letter sent on


def test_the_table_submits_its_report_with_the_keyboard(page, world):
    stage = deployment_stage()
    neighbourhood = factories.NeighbourhoodFactory(name="Saint-Michel")
    member = factories.make_member(neighbourhood, email="tq.saint-michel@example.org")
    factories.make_advisor(neighbourhood, email="conseillere.est@example.org")
    allocation = allocations.allocation_create_for_ratification(
        ratification=make_ratified(neighbourhood, stage), actor=SYSTEM)
    report = allocation.years.get(year_number=1).report
    log_in(page, member.email)
    page.goto(reverse("reporting:report-edit", args=[report.pk]))
    # Typed with the keyboard, field after field, then sent.
    for label, text in (("Activités réalisées", "Cuisines collectives"),
                        ("Apprentissages", "Passer par les écoles"),
                        ("Équité, diversité et inclusion (ÉDI)", "Interprétation offerte")):
        tab_to(page, page.get_by_label(label, exact=True))
        page.keyboard.type(text)
    for label, amount in (("Salaires et honoraires — budget", "50000"),
                          ("Salaires et honoraires — réel", "52500"),
                          ("Activités et mobilisation — budget", "30000"),
                          ("Activités et mobilisation — réel", "24000")):
        tab_to(page, page.get_by_label(label))
        page.keyboard.type(amount)
    # 20 % under budget: beyond the program's threshold (10 %), so it is explained.
    tab_to(page, page.get_by_label("Activités et mobilisation — explication de l'écart"))
    page.keyboard.type("Deux ateliers reportés à l'automne")
    tab_to(page, page.get_by_role("button", name="Enregistrer, vérifier et remettre…"))
    press(page)
    assert_focus_on_outcome(page)  # the draft is saved, then « Vérifier et remettre »
    assert page.url.endswith("/remettre/")
    tab_to(page, page.get_by_role("button", name="Oui, remettre le rapport"))
    press(page)
    text = assert_focus_on_outcome(page)
    assert "Le rapport est remis" in text
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED, text
