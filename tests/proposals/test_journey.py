"""The initiative's journey: the final-report setting between stages, carry-forward from a
letter of intent, from the previous stage (with its reports' learnings) and the copy of a
proposal for a new initiative; the plan de quartier and the « changement prioritaire »."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from pic.access import SYSTEM
from proposals import plans, rules, services
from proposals.models import LetterOfIntent, NeighbourhoodPlan, Program, Proposal

from .conftest import hand_in_final_report, make_proposal, ratified

R = Program.NextStageRequires


def errors_of(proposal):
    proposal.refresh_from_db()
    return rules.submission_errors(proposal)


def next_stage_of(first, stages):
    return make_proposal(first.neighbourhood, stages[2], initiative=first.initiative, title="2")


# --- The final report before the next stage (a program setting) --------------------------------


def test_by_default_the_next_stage_waits_for_the_final_report_to_be_submitted(
        saint_michel, stages, open_window, program):
    assert program.next_stage_requires == R.FINAL_SUBMITTED
    first = ratified(saint_michel, stages[1])
    second = next_stage_of(first, stages)
    assert "rapport final de l'étape 1 doit être remis" in errors_of(second)["stage"][0]
    hand_in_final_report(first, status="submitted")
    assert "stage" not in errors_of(second)


def test_a_final_report_sent_back_for_changes_is_not_submitted(saint_michel, stages,
                                                                open_window):
    first = ratified(saint_michel, stages[1])
    hand_in_final_report(first, status="changes_requested")
    assert "stage" in errors_of(next_stage_of(first, stages))


def test_the_program_may_ask_for_the_final_report_accepted(saint_michel, stages, open_window,
                                                           program):
    program.next_stage_requires = R.FINAL_ACCEPTED
    program.save()
    first = ratified(saint_michel, stages[1])
    second = next_stage_of(first, stages)
    hand_in_final_report(first, status="submitted")
    assert "doit être accepté" in errors_of(second)["stage"][0]
    hand_in_final_report(first, status="accepted")
    assert "stage" not in errors_of(second)


def test_the_program_may_ask_for_nothing_more_than_the_ratification(saint_michel, stages,
                                                                   open_window, program):
    program.next_stage_requires = R.NOTHING
    program.save()
    first = ratified(saint_michel, stages[1])
    assert "stage" not in errors_of(next_stage_of(first, stages))


def test_the_program_settings_are_on_its_edit_page(client, coordination, program):
    client.force_login(coordination)
    page = client.get(reverse("proposals:program-update", args=[program.pk]))
    assert "allow_planning_to_intensification" in page.content.decode()
    assert "next_stage_requires" in page.content.decode()


# --- Carry-forward ------------------------------------------------------------------------------


def test_a_proposal_started_from_an_acknowledged_letter_is_linked_and_prefilled(
        saint_michel, stages, program, tq_saint_michel, advisor_est):
    letter = LetterOfIntent.objects.create(
        neighbourhood=saint_michel, program=program, desired_change="Loger dignement",
        target_stage=stages[2])
    with pytest.raises(ValidationError, match="accusé de réception"):
        services.proposal_create(initiative=None, stage=stages[2], title="Logement",
                                 letter_of_intent=letter, actor=tq_saint_michel)
    services.letter_of_intent_acknowledge(letter=letter, actor=advisor_est)
    letter = LetterOfIntent.objects.get(pk=letter.pk)
    proposal = services.proposal_create(initiative=None, stage=stages[2], title="Logement",
                                        letter_of_intent=letter, actor=tq_saint_michel)
    assert proposal.letter_of_intent == letter
    assert proposal.initiative.desired_change == "Loger dignement"
    assert proposal.carried["desired_change"]["source"].startswith(
        "Repris de la lettre d'intention")


def test_the_create_page_takes_the_letters_stage(client, saint_michel, stages, program,
                                                 tq_saint_michel):
    letter = LetterOfIntent.objects.create(
        neighbourhood=saint_michel, program=program, desired_change="Se nourrir",
        target_stage=stages[2], acknowledged_at=timezone.now())
    client.force_login(tq_saint_michel)
    page = client.get(reverse("proposals:proposal-create") + f"?lettre={letter.pk}")
    assert page.context["form"].initial["stage"] == stages[2].pk
    response = client.post(reverse("proposals:proposal-create"), {
        "stage": stages[2].pk, "title": "Alimentation", "letter_of_intent": letter.pk})
    proposal = Proposal.objects.get(title="Alimentation")
    assert response.status_code == 302
    assert proposal.letter_of_intent == letter


def _stage_one_with_reports(saint_michel, stages):
    first = make_proposal(saint_michel, stages[1], title="Planifier",
                          vision="Une vision sur une page", ci_influence="Nos stratégies",
                          edi="Notre ÉDI")
    first.refresh_from_db()
    # ratified() makes its own draft; reuse its workflow on this one
    from proposals import workflow
    from tests import factories

    from .conftest import make_contact

    make_contact(saint_michel)
    for step in ("submit", "start_analysis"):
        workflow.TRANSITION_FUNCTIONS[step](proposal=first, actor=SYSTEM)
    factories.committee_decide(first)
    factories.ratify(first)
    hand_in_final_report(first, strategic_learnings="Les résidents doivent décider ensemble.")
    return Proposal.objects.get(pk=first.pk)


def test_the_next_stage_starts_from_the_previous_proposal_and_its_reports(
        saint_michel, stages, open_window):
    first = _stage_one_with_reports(saint_michel, stages)
    second = services.proposal_create(initiative=first.initiative, stage=stages[2],
                                      title="Déployer", start_from=first, actor=SYSTEM)
    assert second.previous_proposal == first
    assert second.vision == "Une vision sur une page"
    assert second.ci_influence == "Nos stratégies"
    assert "Les résidents doivent décider ensemble." in second.previous_learnings
    shared = stages[2].prerequisites.get(label=stages[1].prerequisites.first().label)
    assert second.evidence.get(item=shared).text
    marks = second.carried
    assert marks["vision"]["source"] == "Repris de la proposition « Planifier » (étape 1)"
    assert marks["previous_learnings"]["source"] == "Repris du rapport final de l'étape 1"
    assert marks[rules.evidence_field(shared.pk)]["source"].startswith("Repris de")


def test_carried_fields_are_marked_on_the_edit_page_and_stay_editable(
        client, saint_michel, stages, open_window, tq_saint_michel):
    first = _stage_one_with_reports(saint_michel, stages)
    second = services.proposal_create(initiative=first.initiative, stage=stages[2],
                                      title="Déployer", start_from=first, actor=tq_saint_michel)
    client.force_login(tq_saint_michel)

    def section(slug):
        return client.get(reverse("proposals:proposal-edit-section",
                                  args=[second.pk, slug])).content.decode()

    assert "Repris du rapport final de l&#x27;étape 1" in section("parcours")
    assert "Repris de la proposition" in section("resume")
    assert "modifié depuis" not in section("resume")
    services.proposal_save_draft(proposal=second, actor=tq_saint_michel,
                                 data={"vision": "Une vision revue"})
    assert "modifié depuis" in section("resume")
    assert Proposal.objects.get(pk=second.pk).vision == "Une vision revue"


def test_a_copy_for_a_new_initiative_carries_the_texts_not_the_learnings(
        saint_michel, stages, open_window):
    first = _stage_one_with_reports(saint_michel, stages)
    other = services.initiative_create(neighbourhood=saint_michel, program=stages[1].program,
                                       title="Autre", desired_change="Autre", actor=SYSTEM)
    copy = services.proposal_create(initiative=other, stage=stages[1], title="Copie",
                                    start_from=first, actor=SYSTEM)
    assert copy.vision == "Une vision sur une page"
    assert copy.previous_learnings == ""
    assert "previous_learnings" not in copy.carried


def test_another_neighbourhoods_proposal_cannot_be_copied(saint_michel, verdun, stages):
    theirs = make_proposal(verdun, stages[1], title="Verdun")
    mine = services.initiative_create(neighbourhood=saint_michel, program=stages[1].program,
                                      title="Mienne", desired_change="…", actor=SYSTEM)
    with pytest.raises(ValidationError, match="pas celle du quartier"):
        services.proposal_create(initiative=mine, stage=stages[1], title="x",
                                 start_from=theirs, actor=SYSTEM)


# --- The plan de quartier ---------------------------------------------------------------------


def test_the_plan_de_quartier_is_recorded_and_shown_on_the_neighbourhood_file(
        client, saint_michel, tq_saint_michel):
    plan = plans.neighbourhood_plan_record(
        neighbourhood=saint_michel, title="Plan 2024-2029", status="adopted",
        adopted_on=timezone.localdate(), priorities=["Logement", "Alimentation", ""],
        actor=tq_saint_michel)
    assert [p.label for p in plan.priorities.all()] == ["Logement", "Alimentation"]
    client.force_login(tq_saint_michel)
    page = client.get(reverse("proposals:neighbourhood-file", args=[saint_michel.slug]))
    text = page.content.decode()
    assert "Plan 2024-2029" in text
    assert "Adopté" in text
    assert "Alimentation" in text


def test_an_adopted_plan_needs_its_date(saint_michel, tq_saint_michel):
    with pytest.raises(ValidationError) as refused:
        plans.neighbourhood_plan_record(
            neighbourhood=saint_michel, title="Plan", status="adopted", adopted_on=None,
            priorities=["Logement"], actor=tq_saint_michel)
    assert "adopted_on" in refused.value.error_dict


def test_another_table_cannot_record_the_plan(saint_michel, tq_verdun):
    with pytest.raises(PermissionDenied):
        plans.neighbourhood_plan_record(
            neighbourhood=saint_michel, title="Plan", status="being_adopted", adopted_on=None,
            priorities=["Logement"], actor=tq_verdun)


def test_updating_the_plan_keeps_the_priority_an_initiative_chose(saint_michel, stages,
                                                                  tq_saint_michel):
    plan = plans.neighbourhood_plan_record(
        neighbourhood=saint_michel, title="Plan", status="being_adopted", adopted_on=None,
        priorities=["Logement", "Alimentation"], actor=tq_saint_michel)
    housing = plan.priorities.get(label="Logement")
    initiative = services.initiative_create(
        neighbourhood=saint_michel, program=stages[1].program, title="Logement",
        desired_change="…", priority=housing, actor=tq_saint_michel)
    plans.neighbourhood_plan_record(
        neighbourhood=saint_michel, title="Plan", status="adopted",
        adopted_on=timezone.localdate(), priorities=["Mobilité", "Logement"],
        actor=tq_saint_michel)
    initiative.refresh_from_db()
    assert initiative.priority_id == housing.pk
    assert NeighbourhoodPlan.objects.get(neighbourhood=saint_michel).priorities.count() == 2


def test_the_changement_prioritaire_comes_from_the_neighbourhoods_own_plan(
        saint_michel, verdun, stages, tq_verdun):
    plan = plans.neighbourhood_plan_record(
        neighbourhood=saint_michel, title="Plan", status="being_adopted", adopted_on=None,
        priorities=["Logement"], actor=SYSTEM)
    with pytest.raises(ValidationError, match="pas celle du plan"):
        services.initiative_create(neighbourhood=verdun, program=stages[1].program,
                                   title="x", desired_change="…",
                                   priority=plan.priorities.get(), actor=tq_verdun)


def test_a_letter_already_started_links_to_its_proposal_instead_of_offering_to_start_again(
        client, saint_michel, stages, program, tq_saint_michel, advisor_est):
    letter = LetterOfIntent.objects.create(
        neighbourhood=saint_michel, program=program, desired_change="Se nourrir",
        target_stage=stages[1], acknowledged_at=timezone.now())
    start = f'{reverse("proposals:proposal-create")}?lettre={letter.pk}'
    file_url = reverse("proposals:neighbourhood-file", args=[saint_michel.slug])
    client.force_login(tq_saint_michel)
    assert start in client.get(file_url).content.decode()

    proposal = services.proposal_create(initiative=None, stage=stages[1], title="Alimentation",
                                        letter_of_intent=letter, actor=tq_saint_michel)
    body = client.get(file_url).content.decode()
    assert start not in body
    detail = reverse("proposals:proposal-detail", args=[proposal.pk])
    assert f'Proposition commencée\u00a0: <a href="{detail}">Alimentation</a>' in body

    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.WITHDRAWN)
    assert start in client.get(file_url).content.decode()  # withdrawn: the letter is free again
