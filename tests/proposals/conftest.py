"""Fixtures for the proposals tests: the PIC phase 2 program, an open window, files."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from pic.access import SYSTEM
from proposals import services, workflow
from proposals.demo import seed_program
from proposals.demo_dates import ANCHOR
from proposals.models import Contact, Proposal, Window
from tests import factories


@pytest.fixture
def program(db):
    """The real program: stages with their numbers, checklists, windows (one open today). The
    past windows on the guide's dates (15 October 2021, 1 February 2022…): the demo's program
    as seeded on its anchor day (proposals.demo_dates)."""
    with mock.patch("proposals.demo_dates.demo_today", return_value=ANCHOR):
        program, stages, windows = seed_program()
    program.stage_by_number = stages
    program.window_by_name = windows
    return program


@pytest.fixture
def stages(program):
    return program.stage_by_number


@pytest.fixture
def open_window(program):
    return Window.objects.get(program=program, name="Période de dépôt en cours")


def make_contact(neighbourhood, day=None):
    return Contact.objects.create(neighbourhood=neighbourhood, date=day or timezone.localdate(),
                                  kind=Contact.Kind.PRE_SUBMISSION, summary="Échange")


def make_proposal(neighbourhood, stage, *, actor=SYSTEM, amounts=None, complete=True,
                  initiative=None, title="Proposition", **data) -> Proposal:
    """A draft; `complete` fills everything the rules ask for."""
    if initiative is None:
        initiative = services.initiative_create(
            neighbourhood=neighbourhood, program=stage.program, title=f"Initiative {title}",
            desired_change="Un changement souhaité", actor=SYSTEM)
    proposal = services.proposal_create(initiative=initiative, stage=stage, title=title,
                                        actor=SYSTEM)
    if complete:
        if amounts is None:
            amounts = [stage.min_yearly_amount] * stage.normal_duration_years
        payload = {
            "summary": "Résumé", "duration_years": len(amounts),
            "years": {n: Decimal(a) for n, a in enumerate(amounts, start=1)},
            "evidence": {item.pk: "Démontré" for item in stage.prerequisites.all()},
            "questions": [{"question": "Qu'apprend-on?", "data_to_collect": "Sondage",
                           "target": "50 %"}],
        }
        payload.update(data)
        services.proposal_save_draft(proposal=proposal, actor=SYSTEM, data=payload)
    proposal.refresh_from_db()
    return proposal


def ratified(neighbourhood, stage, initiative=None, title="Ratifiée") -> Proposal:
    """A proposal through the whole workflow up to ratification (the system acts)."""
    proposal = make_proposal(neighbourhood, stage, initiative=initiative, title=title)
    make_contact(neighbourhood)
    for step in ("submit", "start_analysis"):
        workflow.TRANSITION_FUNCTIONS[step](proposal=proposal, actor=SYSTEM)
    factories.committee_decide(proposal)
    factories.ratify(proposal)
    return proposal


def hand_in_final_report(proposal, *, status="submitted", **texts) -> None:
    """The final report of the proposal's allocation, handed in (or `status`) with `texts`."""
    from reporting.models import Report

    Report.objects.filter(allocation__proposal=proposal, kind=Report.Kind.FINAL).update(
        status=status, **texts)


@pytest.fixture
def draft(saint_michel, stages, open_window, tq_saint_michel, advisor_est):
    """A complete stage 1 draft of Saint-Michel, ready to submit (contact recorded)."""
    make_contact(saint_michel)
    return make_proposal(saint_michel, stages[1])


@pytest.fixture
def verdun_draft(verdun, stages, open_window, tq_verdun):
    make_contact(verdun)
    return make_proposal(verdun, stages[1], title="Verdun")


def today_plus(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


__all__ = ["factories"]
