"""The proposal as a task list (proposals/sections.py): each section's status, its own page,
the check-answers page before the submission, and the version check of draft saves."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from pic.access import SYSTEM
from pic.drafts import StaleDraft, version_of
from proposals import rules, sections, services
from proposals.forms import ProposalForm

from .conftest import make_contact, make_proposal

pytestmark = pytest.mark.django_db


def section_url(proposal, slug):
    return reverse("proposals:proposal-edit-section", args=[proposal.pk, slug])


def statuses(proposal):
    proposal.refresh_from_db()
    states = sections.proposal_sections(proposal, ProposalForm(proposal=proposal),
                                        rules.submission_errors(proposal))
    return {state.section.slug: state.status for state in states}


def test_every_field_of_the_form_sits_in_exactly_one_section(draft):
    form = ProposalForm(proposal=draft)
    named = [name for section in sections.PROPOSAL_SECTIONS for name in section.fields]
    assert len(named) == len(set(named))
    named += ProposalForm.JOURNEY_FIELDS  # drawn by the "journey" group
    evidence = {name for name, _item in form.evidence_names}
    fields = set(form.fields) - {"version"} - evidence - set(ProposalForm.JOURNEY_FIELDS)
    assert fields <= set(named), fields - set(named)


def test_a_new_draft_has_every_section_not_started(saint_michel, stages, open_window):
    proposal = make_proposal(saint_michel, stages[1], complete=False)
    got = statuses(proposal)
    assert got["conditions"] == got["edi"] == got["evaluation"] == sections.NOT_STARTED
    assert got["prealables"] == got["documents"] == sections.NOT_STARTED
    assert got["budget"] == sections.NOT_STARTED  # the default duration is not an answer


def test_a_section_is_in_progress_complete_or_with_errors(saint_michel, stages, open_window):
    proposal = make_proposal(saint_michel, stages[1], complete=False)
    services.proposal_save_draft(proposal=proposal, actor=SYSTEM,
                                 data={"ci_engagement": "Des assemblées"})
    assert statuses(proposal)["conditions"] == sections.IN_PROGRESS
    services.proposal_save_draft(proposal=proposal, actor=SYSTEM, data={
        name: "Écrit" for name in ("ci_aspirations", "ci_learning", "ci_influence",
                                   "ci_support")})
    assert statuses(proposal)["conditions"] == sections.COMPLETE
    services.proposal_save_draft(proposal=proposal, actor=SYSTEM, data={"years": {1: 10}})
    assert statuses(proposal)["budget"] == sections.ERRORS  # below the stage's minimum


def test_the_task_list_shows_each_status_and_the_progress(client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    page = client.get(reverse("proposals:proposal-edit", args=[draft.pk])).content.decode()
    for section in sections.PROPOSAL_SECTIONS:
        assert f'href="{section_url(draft, section.slug)}"' in page
    assert 'id="status-evaluation">Terminée<' in page
    assert 'id="status-conditions">Pas commencée<' in page
    assert "sections terminées sur 9" in page
    assert 'name="summary"' not in page  # the fields are on the sections' pages


def test_a_section_page_saves_its_own_fields_and_leaves_the_others(client, tq_saint_michel,
                                                                  draft):
    client.force_login(tq_saint_michel)
    response = client.post(section_url(draft, "edi"), {
        "edi": "Des femmes et des aînés au comité", "version": version_of(draft),
        "then": "next"})
    assert response.status_code == 302
    assert response["Location"] == section_url(draft, "evaluation")  # the next section
    draft.refresh_from_db()
    assert draft.edi == "Des femmes et des aînés au comité"
    assert draft.summary == "Résumé"  # not on this page: untouched
    assert draft.evaluation_questions.count() == 1


def test_a_save_from_a_stale_page_is_refused_and_keeps_what_was_typed(
        client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    stale = version_of(draft)
    client.post(section_url(draft, "resume"), {"summary": "Écrit dans l'autre onglet",
                                               "version": stale})
    response = client.post(section_url(draft, "resume"), {
        "summary": "Écrit dans le premier onglet", "version": stale})
    assert response.status_code == 409
    page = response.content.decode()
    assert "enregistré ailleurs" in page
    assert "Écrit dans le premier onglet" in page  # kept on the page
    draft.refresh_from_db()
    assert draft.summary == "Écrit dans l'autre onglet"  # the newer save stands
    newer = re.search(r'name="version" value="([^"]+)"', page).group(1)
    assert newer == version_of(draft)  # « Enregistrer » now replaces it, knowingly


def test_the_autosave_answers_json_and_a_stale_one_a_conflict(client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    stale = version_of(draft)
    saved = client.post(section_url(draft, "resume"), {"vision": "Une vision", "version": stale},
                        headers={"X-PIC-Autosave": "1"})
    assert saved.status_code == 200
    assert saved.json()["message"].startswith("Enregistré à ")
    draft.refresh_from_db()
    assert saved.json()["version"] == version_of(draft)
    conflict = client.post(section_url(draft, "resume"), {"vision": "Autre", "version": stale},
                           headers={"X-PIC-Autosave": "1"})
    assert conflict.status_code == 409
    assert "enregistré ailleurs" in conflict.json()["message"]
    draft.refresh_from_db()
    assert draft.vision == "Une vision"


def test_the_service_refuses_a_stale_version(draft, tq_saint_michel):
    old = (draft.updated_at - datetime.timedelta(seconds=5)).isoformat()
    with pytest.raises(StaleDraft):
        services.proposal_save_draft(proposal=draft, actor=tq_saint_michel,
                                     data={"summary": "x"}, version=old)


def test_the_check_page_shows_every_answer_with_a_change_link(client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    page = client.get(reverse("proposals:proposal-submit", args=[draft.pk])).content.decode()
    assert "Vérifier et déposer" in page
    assert "Qu&#x27;apprend-on?" in page or "Qu'apprend-on?" in page
    assert f'href="{section_url(draft, "resume")}#id_summary">Modifier' in page
    assert f'href="{section_url(draft, "budget")}#id_year_1">Modifier' in page
    button = re.search(r"<button[^>]*>Oui, déposer la proposition", page).group(0)
    assert "disabled" not in button  # nothing stops it


def test_the_submit_button_is_disabled_with_its_reason_while_a_rule_fails(
        client, tq_saint_michel, saint_michel, stages, open_window):
    make_contact(saint_michel)
    proposal = make_proposal(saint_michel, stages[1], amounts=["10"])
    client.force_login(tq_saint_michel)
    page = client.get(reverse("proposals:proposal-submit", args=[proposal.pk])).content.decode()
    button = re.search(r"<button[^>]*>Oui, déposer la proposition", page).group(0)
    assert "disabled" in button
    assert 'aria-describedby="confirm-blocked"' in button
    assert 'id="confirm-blocked"' in page
    # the error links to the field on its own section page, not to this page
    assert f'href="{section_url(proposal, "budget")}?verifier=1#id_year_1"' in page
    assert 'href="#id_year_1"' not in page
    # the server refuses all the same
    response = client.post(reverse("proposals:proposal-submit", args=[proposal.pk]))
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == "draft"


def test_the_error_link_lands_on_the_field_of_its_section_page(client, tq_saint_michel,
                                                               saint_michel, stages,
                                                               open_window):
    make_contact(saint_michel)
    proposal = make_proposal(saint_michel, stages[1], summary="")
    client.force_login(tq_saint_michel)
    page = client.get(reverse("proposals:proposal-submit", args=[proposal.pk])).content.decode()
    link = f"{section_url(proposal, 'resume')}?verifier=1#id_summary"
    assert f'href="{link}"' in page
    target = client.get(link.split("#")[0]).content.decode()
    assert 'id="id_summary"' in target
    assert "Rédigez le résumé de la proposition." in target


def test_the_duration_widget_allows_what_the_stage_allows(client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    page = client.get(section_url(draft, "budget")).content.decode()
    widget = re.search(r'<input[^>]*name="duration_years"[^>]*>', page).group(0)
    assert f'max="{draft.stage.max_duration_years}"' in widget
    assert 'min="1"' in widget
    assert "Durée normale : 1 an;" in page  # and the plural follows the number


def test_an_unknown_section_is_a_404(client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    assert client.get(section_url(draft, "nulle-part")).status_code == 404


def test_a_one_year_stage_says_an_not_ans(saint_michel, stages, open_window):
    proposal = make_proposal(saint_michel, stages[1], amounts=["30000", "30000"])
    with translation.override("fr"):
        message = rules.submission_errors(proposal)["duration_justification"][0]
    assert "(1 an)" in message
    assert "an(s)" not in message
