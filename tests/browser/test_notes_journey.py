"""An advisor writes an internal note mentioning coordination; coordination is notified and
replies; the table never sees it; the table gets an email and an inbox entry when changes are
requested."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from pic.access import SYSTEM
from proposals import workflow
from proposals.demo import seed_program
from tests import factories
from tests.browser.test_followup import log_in
from tests.proposals.conftest import make_contact, make_proposal

pytestmark = pytest.mark.browser


@pytest.fixture
def in_analysis(settings, tmp_path, transactional_db):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _program, stages, _windows = seed_program()
    saint_michel = factories.NeighbourhoodFactory(name="Saint-Michel")
    member = factories.make_member(saint_michel, email="tq.saint-michel@example.org")
    advisor = factories.make_advisor(saint_michel, email="conseillere.est@example.org")
    coordination = factories.make_coordination(email="coordination@example.org")
    make_contact(saint_michel)
    proposal = make_proposal(saint_michel, stages[1], title="Sécurité alimentaire")
    workflow.proposal_submit(proposal=proposal, actor=SYSTEM)
    workflow.proposal_start_analysis(proposal=proposal, actor=SYSTEM)
    mail.outbox = []
    return {"proposal": proposal, "member": member, "advisor": advisor,
            "coordination": coordination}


def log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()


def test_an_internal_note_a_mention_a_reply_and_a_request_for_changes(page, in_analysis):
    page.on("dialog", lambda dialog: dialog.accept())
    proposal_url = reverse("proposals:proposal-detail", args=[in_analysis["proposal"].pk])

    # The advisor writes an internal note (the default for Centraide) mentioning coordination.
    log_in(page, in_analysis["advisor"].email)
    page.goto(proposal_url)
    assert page.get_by_label("Interne (Centraide seulement)").is_checked()
    page.get_by_label("Texte de la note").fill(
        "@coordination peux-tu valider le budget de l'an 2?")
    page.get_by_role("button", name="Ajouter la note").click()
    page.get_by_text("Votre note est ajoutée au dossier.").wait_for()
    assert page.locator(".note-internal", has_text="valider le budget").count() >= 1
    log_out(page)

    # Coordination sees the count in the header, opens the notification, replies.
    log_in(page, in_analysis["coordination"].email)
    inbox = page.locator(".inbox-link")
    inbox.locator(".count").wait_for()  # the count arrives once the page is shown (htmx)
    assert re.search(r"Notifications\s*1", inbox.inner_text())
    inbox.click()
    entry = page.locator(".notification.unread", has_text="vous mentionne dans une note")
    entry.get_by_role("button", name="Ouvrir").click()
    page.wait_for_url(re.compile(re.escape(proposal_url) + "$"))
    page.get_by_label("Texte de la note").fill("Validé : le montant reste dans la fourchette.")
    page.get_by_role("button", name="Ajouter la note").click()
    page.get_by_text("Votre note est ajoutée au dossier.").wait_for()
    assert "0" not in page.locator(".inbox-link").inner_text()  # read on opening
    log_out(page)

    # The table sees neither note, nor their trace in the timeline.
    log_in(page, in_analysis["member"].email)
    page.goto(proposal_url)
    body = page.locator("main").inner_text()
    assert "valider le budget" not in body
    assert "Validé : le montant" not in body
    assert "Historique du dossier" in body
    log_out(page)

    # The advisor asks for changes: the table gets an email and an inbox entry.
    log_in(page, in_analysis["advisor"].email)
    page.goto(proposal_url)
    assert page.locator(".note-internal", has_text="Validé : le montant").count() >= 1
    page.get_by_role("link", name="Demander des modifications").click()
    page.get_by_label("Modifications demandées").fill("Précisez le calendrier de l'an 1.")
    page.get_by_role("button", name="Demander les modifications").click()
    page.get_by_text("Modifications demandées au quartier.").wait_for()
    log_out(page)

    member = in_analysis["member"]
    emails = [m for m in mail.outbox if m.to == [member.email]]
    assert len(emails) == 1
    assert "demande des modifications" in emails[0].subject
    assert proposal_url in emails[0].body
    log_in(page, member.email)
    page.locator(".inbox-link").click()
    assert page.locator(".notification.unread",
                        has_text="demande des modifications").count() == 1
