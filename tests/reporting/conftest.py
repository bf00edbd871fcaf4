"""Follow-up fixtures: a program with a stage, a ratified proposal with its analysis, and the
allocation made from it."""

import datetime
from decimal import Decimal

import pytest

from governance.models import Analysis, AnalysisYear, Committee, Ratification
from proposals.models import (
    EvaluationQuestion,
    Initiative,
    Program,
    Proposal,
    ProposalYear,
    Stage,
    Window,
)
from reporting.services import allocations
from tests import factories


@pytest.fixture
def program(db):
    return Program.objects.create(name="PIC phase 2", slug="pic-2",
                                  starts_on=datetime.date(2021, 1, 1),
                                  ends_on=datetime.date(2030, 12, 31))


@pytest.fixture
def stage(program):
    return Stage.objects.create(
        program=program, number=2, name="Déploiement", normal_duration_years=3,
        max_duration_years=4, min_yearly_amount=Decimal("75000"),
        max_yearly_amount=Decimal("150000"), capacity_building_amount=Decimal("20000"))


@pytest.fixture
def stage1(program):
    return Stage.objects.create(
        program=program, number=1, name="Planification", normal_duration_years=1,
        max_duration_years=2, min_yearly_amount=Decimal("25000"),
        max_yearly_amount=Decimal("50000"), capacity_building_amount=Decimal("5000"))


def make_draft_window(stage, neighbourhood, deadline):
    """A window of `stage`'s program closing on `deadline`, accepting `stage`, and
    `neighbourhood` holding a draft for it."""
    window = Window.objects.create(program=stage.program, name="Dépôt du printemps",
                                   deadline=deadline)
    window.stages.add(stage)
    initiative = Initiative.objects.create(neighbourhood=neighbourhood, program=stage.program,
                                           title="Nouvelle", desired_change="Changement")
    Proposal.objects.create(neighbourhood=neighbourhood, initiative=initiative, stage=stage,
                            title="Brouillon")
    return window


def make_ratified(neighbourhood, stage, *, amounts=("90000", "110000", "120000"),
                  analysis_amounts=None, capacity="15000", analysis_capacity="12000",
                  ratified_on=datetime.date(2024, 3, 14), title=None,
                  with_analysis=True, deadline=None) -> Ratification:
    """A proposal as governance leaves it: ratified, with its analysis and ratification."""
    window = Window.objects.create(program=stage.program, name="Période",
                                   deadline=deadline or ratified_on - datetime.timedelta(days=30))
    initiative = Initiative.objects.create(neighbourhood=neighbourhood, program=stage.program,
                                           title=f"Initiative {neighbourhood}",
                                           desired_change="Un quartier nourri")
    proposal = Proposal.objects.create(
        neighbourhood=neighbourhood, initiative=initiative, stage=stage, window=window,
        status=Proposal.Status.RATIFIED, title=title or f"Mobilisation {neighbourhood}",
        duration_years=len(amounts), capacity_building_amount=Decimal(capacity))
    for number, amount in enumerate(amounts, start=1):
        ProposalYear.objects.create(proposal=proposal, year_number=number, amount=Decimal(amount))
    EvaluationQuestion.objects.create(proposal=proposal, question="Qui participe?",
                                      data_to_collect="Présences", target="200 personnes")
    if with_analysis:
        analysis = Analysis.objects.create(proposal=proposal,
                                           capacity_building_amount=Decimal(analysis_capacity))
        for number, amount in enumerate(analysis_amounts or amounts, start=1):
            AnalysisYear.objects.create(analysis=analysis, year_number=number,
                                        amount=Decimal(amount))
    committee = factories.CommitteeFactory(kind=Committee.Kind.PARTENAIRES,
                                           name="Comité des partenaires")
    return Ratification.objects.create(proposal=proposal, committee=committee,
                                       ratified_on=ratified_on)


@pytest.fixture
def ratification(saint_michel, stage):
    return make_ratified(saint_michel, stage, analysis_amounts=("85000", "100000", "115000"))


@pytest.fixture
def allocation(ratification, coordination):
    return allocations.allocation_create_for_ratification(ratification=ratification,
                                                          actor=coordination)


__all__ = ["make_ratified"]


@pytest.fixture
def send_import(client, django_capture_on_commit_callbacks):
    """Send a file on the import page as the person logged in, let the worker's dry run run,
    and follow to the job's page: (the upload's response, the job's page or the form again)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    def send(kind: str, content: bytes, name: str = "import.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reporting:import"), {
                "kind": kind, "file": SimpleUploadedFile(name, content)})
        if response.status_code != 302:
            return response, response
        return response, client.get(response["Location"])

    return send
