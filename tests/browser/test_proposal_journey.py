"""A table de quartier's journey: log in, draft a proposal, see a rule refused, fix it, upload
a document, submit, see the receipt."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from neighbourhoods.models import Neighbourhood
from proposals import services
from proposals.demo import seed_program
from proposals.models import Contact, Proposal
from tests import factories

pytestmark = pytest.mark.browser

PASSWORD = factories.PASSWORD


@pytest.fixture
def journey(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    program, stages, _windows = seed_program()
    saint_michel = factories.NeighbourhoodFactory(name="Saint-Michel")
    coordinator = factories.make_member(saint_michel, email="tq.saint-michel@example.org")
    advisor = factories.make_advisor(saint_michel, email="conseillere.est@example.org")
    Contact.objects.create(neighbourhood=saint_michel, advisor=advisor, date="2025-01-10",
                           kind=Contact.Kind.PRE_SUBMISSION, summary="Échange avant le dépôt")
    initiative = services.initiative_create(
        neighbourhood=saint_michel, program=program, title="Sécurité alimentaire",
        desired_change="Les familles ont accès à une alimentation saine", actor=coordinator)
    return {"neighbourhood": saint_michel, "coordinator": coordinator, "advisor": advisor,
            "initiative": initiative, "stage": stages[1]}


def test_a_coordinator_drafts_fixes_and_submits_a_proposal(page, journey, tmp_path):
    page.on("dialog", lambda dialog: dialog.accept())
    base = page.base_url

    # Log in.
    page.goto(reverse("account_login"))
    form = page.locator("form", has=page.locator('input[name="login"]'))
    form.locator('input[name="login"]').fill(journey["coordinator"].email)
    form.locator('input[name="password"]').fill(PASSWORD)
    form.locator("button[type=submit], input[type=submit]").first.click()
    page.wait_for_url(base + reverse("home"))

    # Draft a proposal: initiative and stage 1.
    page.get_by_role("link", name="Propositions", exact=True).first.click()
    page.get_by_role("link", name="Nouvelle proposition").click()
    page.select_option("#id_initiative", str(journey["initiative"].pk))
    page.select_option("#id_stage", str(journey["stage"].pk))
    page.fill("#id_title", "Sécurité alimentaire — planification")
    page.get_by_role("button", name="Créer le brouillon").click()
    page.wait_for_url(re.compile(r".*/propositions/\d+/modifier/$"))

    # The task list: one page per section, each saved by its button.
    page.get_by_role("link", name="Résumé et changement visé").click()
    page.fill("#id_summary", "Mobiliser le quartier autour de l'alimentation.")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.wait_for_url(re.compile(r".*/modifier/conditions/$"))
    page.get_by_role("link", name="Retour à la liste des sections").click()
    page.get_by_role("link", name="Durée et budget").click()
    page.fill("#id_year_1", "20000")  # below the 25 000 $ minimum of stage 1
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.wait_for_url(re.compile(r".*/modifier/renforcement/$"))
    page.get_by_role("link", name="Retour à la liste des sections").click()
    page.get_by_role("link", name="Préalables de l'étape et preuves").click()
    page.wait_for_url(re.compile(r".*/modifier/prealables/$"))
    for item in journey["stage"].prerequisites.all():
        page.fill(f"#id_evidence_{item.pk}", "Adopté en assemblée le 12 mai 2021.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.locator(".message-success").wait_for()
    page.get_by_role("link", name="Retour à la liste des sections").click()
    page.get_by_role("link", name="Questions d'évaluation (apprentissage)").click()
    page.fill("#id_questions-0-question", "Les familles mangent-elles mieux?")
    page.get_by_role("button", name="Enregistrer, vérifier et déposer…").click()

    # « Vérifier et déposer » lists the refused rule; the button stays disabled, its reason
    # beside it; the error's link leads to the field on its section page.
    page.wait_for_url(re.compile(r".*/deposer/$"))
    assert "doit être entre" in page.locator("#rule-errors").inner_text()
    assert "Les familles mangent-elles mieux?" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Oui, déposer la proposition").is_disabled()
    assert page.locator("#confirm-blocked").is_visible()
    page.locator("#rule-errors a", has_text="doit être entre").click()
    page.wait_for_url(re.compile(r".*/modifier/budget/\?verifier=1#id_year_1$"))
    refused = page.locator(".rule-error", has_text="doit être entre")
    refused.first.wait_for()
    assert "25" in refused.first.inner_text()
    assert page.locator("#id_year_1").is_visible()
    proposal = Proposal.objects.get()
    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.summary == "Mobiliser le quartier autour de l'alimentation."  # not lost

    # Fix it, upload a document, check again and submit.
    pdf = tmp_path / "plan-de-quartier.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    page.fill("#id_year_1", "30000")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.wait_for_url(re.compile(r".*/modifier/renforcement/$"))
    page.get_by_role("link", name="Retour à la liste des sections").click()
    page.get_by_role("link", name="Préalables de l'étape et preuves").click()
    page.wait_for_url(re.compile(r".*/modifier/prealables/$"))
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.wait_for_url(re.compile(r".*/modifier/parcours/$"))
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.wait_for_url(re.compile(r".*/modifier/documents/$"))
    page.set_input_files("#id_file", str(pdf))
    with page.expect_navigation(url=re.compile(r".*/deposer/$")):
        page.get_by_role("button", name="Enregistrer, vérifier et déposer…").click()
    assert page.locator("#rule-errors").count() == 0
    page.get_by_role("button", name="Oui, déposer la proposition").click()

    # The receipt: a message on the page and an email to the table and its advisor.
    page.wait_for_url(re.compile(r".*/propositions/\d+/$"))
    assert "accusé de réception" in page.locator(".messages").inner_text()
    assert "Déposée" in page.locator("main").inner_text()
    assert "plan-de-quartier.pdf" in page.locator("main").inner_text()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    recipients = {r for m in mail.outbox for r in m.to}
    assert recipients == {journey["coordinator"].email, journey["advisor"].email}
    assert Neighbourhood.objects.count() == 1


def test_typed_text_survives_an_expired_session(page, journey):
    """The session ends while the coordinator types; after logging in again, the text is back
    in the form (kept in the browser) and saving it keeps it."""
    proposal = services.proposal_create(initiative=journey["initiative"],
                                        stage=journey["stage"], title="Brouillon",
                                        actor=journey["coordinator"])
    edit = reverse("proposals:proposal-edit-section", args=[proposal.pk, "resume"])

    def log_in():
        form = page.locator("form", has=page.locator('input[name="login"]'))
        form.locator('input[name="login"]').fill(journey["coordinator"].email)
        form.locator('input[name="password"]').fill(PASSWORD)
        form.locator("button[type=submit], input[type=submit]").first.click()

    page.goto(edit)
    log_in()
    page.wait_for_url(re.compile(r".*/modifier/resume/$"))
    page.fill("#id_vision", "Une longue vision tapée pendant une heure.")
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)  # the session expires
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_url(re.compile(r".*/accounts/login/.*next=.*"))
    log_in()
    page.wait_for_url(re.compile(r".*/modifier/resume/$"))
    assert page.input_value("#id_vision") == "Une longue vision tapée pendant une heure."
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.locator(".message-success").wait_for()
    proposal.refresh_from_db()
    assert proposal.vision == "Une longue vision tapée pendant une heure."
