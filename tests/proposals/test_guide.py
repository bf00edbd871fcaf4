"""The guide's vocabulary in the proposal (proposals/guide.py): the ÉDI axes, capacity building
(the program's external partners, the split of its amount, the needs by theme), the evaluation
questions' aims, the « Repères du guide », and the program pages that keep the lists."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pic.access import SYSTEM
from proposals import rules, services
from proposals.guide import EvaluationAim
from proposals.models import ExternalPartner, IndicatorDefinition, Program

from .conftest import make_proposal

pytestmark = pytest.mark.django_db


def section_url(proposal, slug):
    return reverse("proposals:proposal-edit-section", args=[proposal.pk, slug])


@pytest.fixture
def dynamo(program):
    """The program's list (seed_program puts Dynamo in it)."""
    return ExternalPartner.objects.get_or_create(program=program, name="Dynamo")[0]


def test_the_split_must_total_the_capacity_building_amount():
    errors = rules.capacity_split_errors(total=Decimal("5000"), external=Decimal("3000"),
                                         internal=Decimal("1000"), other=Decimal("500"))
    [message] = errors[rules.CAPACITY_SPLIT]
    assert "4\u202f500" in message
    assert "5\u202f000" in message
    assert rules.capacity_split_errors(total=Decimal("5000"), external=Decimal("3000"),
                                       internal=Decimal("1000"), other=Decimal("1000")) == {}
    # no split typed yet: nothing to check
    assert rules.capacity_split_errors(total=Decimal("5000"), external=Decimal("0"),
                                       internal=Decimal("0"), other=Decimal("0")) == {}


def test_a_split_that_does_not_add_up_blocks_the_submission_with_a_link_to_its_field(
        draft, stages):
    services.proposal_save_draft(proposal=draft, actor=SYSTEM, data={
        "capacity_building_amount": Decimal("5000"),
        "capacity_external_amount": Decimal("4000"), "capacity_internal_amount": Decimal("0"),
        "capacity_other_amount": Decimal("0")})
    draft.refresh_from_db()
    errors = rules.submission_errors(draft)
    assert rules.CAPACITY_SPLIT in errors
    services.proposal_save_draft(proposal=draft, actor=SYSTEM,
                                 data={"capacity_other_amount": Decimal("1000")})
    draft.refresh_from_db()
    assert rules.CAPACITY_SPLIT not in rules.submission_errors(draft)


def test_the_capacity_section_saves_partners_split_and_needs(client, draft, tq_saint_michel,
                                                             dynamo, program):
    other_program = Program.objects.create(name="Autre", slug="autre", starts_on="2021-01-01",
                                           ends_on="2030-12-31")
    foreign = ExternalPartner.objects.create(program=other_program, name="Ailleurs")
    client.force_login(tq_saint_michel)
    page = client.get(section_url(draft, "renforcement")).content.decode()
    assert "Dynamo" in page
    assert "Ailleurs" not in page
    assert "Repères du guide" in page
    assert "La pérennisation" in page
    response = client.post(section_url(draft, "renforcement"), {
        "capacity_partners": [dynamo.pk], "capacity_external_amount": "3 000",
        "capacity_internal_amount": "1000", "capacity_other_amount": "1000",
        "capacity_needs": ["edi", "sustainability"], "capacity_needs_detail": "Former le CA",
        "then": "stay"})
    assert response.status_code in (200, 302)
    draft.refresh_from_db()
    assert list(draft.capacity_partners.all()) == [dynamo]
    assert draft.capacity_external_amount == Decimal("3000")
    assert draft.capacity_needs == ["edi", "sustainability"]
    # a partner of another program is never chosen, whatever is posted
    services.proposal_save_draft(proposal=draft, actor=SYSTEM,
                                 data={"capacity_partners": [foreign.pk]})
    assert list(draft.capacity_partners.all()) == []


def test_edi_axes_are_a_checklist_and_unticking_all_clears_them(client, draft, tq_saint_michel):
    client.force_login(tq_saint_michel)
    client.post(section_url(draft, "edi"), {"edi": "Notre démarche",
                                            "edi_axes": ["representation", "capacity"],
                                            "then": "stay"})
    draft.refresh_from_db()
    assert draft.edi_axes == ["capacity", "representation"]  # in the guide's order
    page = client.get(section_url(draft, "edi")).content.decode()
    assert "Représentativité et inclusion" in page
    client.post(section_url(draft, "edi"), {"edi": "Notre démarche", "then": "stay"})
    draft.refresh_from_db()
    assert draft.edi_axes == []


def test_an_evaluation_question_has_one_of_the_guides_three_aims(client, draft,
                                                                 tq_saint_michel):
    client.force_login(tq_saint_michel)
    page = client.get(section_url(draft, "evaluation")).content.decode()
    assert "Contribuer aux changements systémiques" in page
    client.post(section_url(draft, "evaluation"), {
        "questions-TOTAL_FORMS": "1", "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "20",
        "questions-0-question": "Les citoyens participent-ils ?",
        "questions-0-aim": EvaluationAim.PEOPLE, "then": "stay"})
    [question] = draft.evaluation_questions.all()
    assert question.aim == EvaluationAim.PEOPLE


def test_the_conditions_page_gives_the_guides_landmarks(client, draft, tq_saint_michel):
    client.force_login(tq_saint_michel)
    page = client.get(section_url(draft, "conditions")).content.decode()
    assert "Repères du guide" in page
    assert "Mobiliser les acteurs locaux, dont les premiers concernés" in page
    values = client.get(section_url(draft, "resume")).content.decode()
    assert "La justice sociale" in values
    assert "bottom-up" in values


def test_coordination_keeps_the_partners_and_the_indicator_catalogue(client, coordination,
                                                                      program,
                                                                      tq_saint_michel):
    client.force_login(coordination)
    url = reverse("proposals:external-partner-create", args=[program.pk])
    assert client.post(url, {"name": "Groupe de recherche", "position": 0,
                             "active": "on"}).status_code == 302
    url = reverse("proposals:indicator-definition-create", args=[program.pk])
    assert client.post(url, {"name": "Personnes rejointes", "unit": "personnes",
                             "kind": "count", "aim": "people",
                             "active": "on"}).status_code == 302
    page = client.get(reverse("proposals:program")).content.decode()
    assert "Dynamo" in page
    assert "Personnes rejointes" in page
    assert IndicatorDefinition.objects.get(name="Personnes rejointes").aim == "people"
    client.force_login(tq_saint_michel)
    response = client.post(reverse("proposals:external-partner-create", args=[program.pk]),
                           {"name": "Intrus", "position": 0})
    assert response.status_code == 403
    assert not ExternalPartner.objects.filter(name="Intrus").exists()


def test_the_section_page_queries_do_not_grow_with_partners(client, draft, tq_saint_michel,
                                                            program):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(tq_saint_michel)
    url = section_url(draft, "renforcement")
    client.get(url)
    ExternalPartner.objects.create(program=program, name="Partenaire A")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(4):
        ExternalPartner.objects.create(program=program, name=f"Groupe de recherche {n}")
    draft.capacity_partners.set(ExternalPartner.objects.all())
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    assert len(five) == len(one)


def test_make_proposal_still_complete_without_a_split(stages, saint_michel, open_window):
    proposal = make_proposal(saint_michel, stages[1], capacity_building_amount=Decimal("1000"))
    assert rules.CAPACITY_SPLIT not in rules.submission_errors(proposal)
