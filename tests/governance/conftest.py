"""Governance fixtures: a program with a stage, a proposal in analysis, the comité de gestion
with a chair, ordinary members and the CMTQ delegate."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from governance import services
from governance.models import Committee
from neighbourhoods.models import Organisation
from proposals.models import Initiative, PrerequisiteItem, Program, Proposal, ProposalYear, Stage
from proposals.models import Window as SubmissionWindow
from tests import factories


@pytest.fixture
def program(db):
    return Program.objects.create(name="PIC phase 2", slug="pic-2",
                                  starts_on=datetime.date(2021, 1, 1),
                                  ends_on=datetime.date(2026, 12, 31))


@pytest.fixture
def stage(program):
    stage = Stage.objects.create(
        program=program, number=2, name="Déploiement", normal_duration_years=3,
        max_duration_years=4, min_yearly_amount=Decimal("75000"),
        max_yearly_amount=Decimal("150000"), capacity_building_amount=Decimal("20000"))
    PrerequisiteItem.objects.create(stage=stage, position=1, label="Plan de quartier adopté")
    PrerequisiteItem.objects.create(stage=stage, position=2, label="Vision de changement")
    return stage


def make_proposal(neighbourhood, stage, *, status=Proposal.Status.IN_ANALYSIS,
                  deadline: datetime.date | None = None, title="Mobilisation Saint-Michel"):
    window = SubmissionWindow.objects.create(
        program=stage.program, name="Période",
        deadline=deadline or timezone.localdate() - datetime.timedelta(days=20))
    initiative = Initiative.objects.create(neighbourhood=neighbourhood, program=stage.program,
                                           title="Sécurité alimentaire",
                                           desired_change="Un quartier nourri")
    proposal = Proposal.objects.create(
        neighbourhood=neighbourhood, initiative=initiative, stage=stage, window=window,
        status=status, title=title, duration_years=3,
        capacity_building_amount=Decimal("15000"))
    for year, amount in ((1, "90000"), (2, "110000"), (3, "120000")):
        ProposalYear.objects.create(proposal=proposal, year_number=year, amount=Decimal(amount))
    return proposal


@pytest.fixture
def proposal(saint_michel, stage):
    return make_proposal(saint_michel, stage)


@pytest.fixture
def gestion(db):
    return factories.CommitteeFactory(kind=Committee.Kind.GESTION, name="Comité de gestion")


@pytest.fixture
def partenaires(db):
    return factories.CommitteeFactory(kind=Committee.Kind.PARTENAIRES,
                                      name="Comité des partenaires")


@pytest.fixture
def cmtq(db):
    return factories.OrganisationFactory(
        name="Coalition montréalaise des tables de quartier", short_name="CMTQ",
        category=Organisation.Category.COMMUNITY, recused_from_investment_decisions=True)


@pytest.fixture
def chair(gestion):
    seat = factories.make_committee_member(gestion, email="chair@example.org")
    seat.is_chair = True
    seat.save(update_fields=["is_chair"])
    return seat


@pytest.fixture
def member(gestion):
    return factories.make_committee_member(gestion, email="membre@example.org")


@pytest.fixture
def member2(gestion):
    return factories.make_committee_member(gestion, email="membre2@example.org")


@pytest.fixture
def cmtq_delegate(gestion, cmtq):
    return factories.make_committee_member(gestion, organisation=cmtq, email="cmtq@example.org")


@pytest.fixture
def meeting(gestion, coordination):
    return services.meeting_create(committee=gestion, title="Rencontre de novembre",
                                   held_on=timezone.localdate(), actor=coordination)


@pytest.fixture
def item(meeting, proposal, coordination, chair, member, member2, cmtq_delegate):
    return services.agenda_item_add(meeting=meeting, proposal=proposal, actor=coordination)
