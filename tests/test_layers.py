"""The architecture's rule: apps depend downward only (neighbourhoods ← proposals ← governance
← reporting, pic under all); and the one place where a lower layer hands work to a higher one
(ratification → allocation) goes through a registered listener."""

import ast
import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from pic.access import SYSTEM

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["pic", "neighbourhoods", "proposals", "governance", "reporting"]


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & set(LAYERS)


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_no_higher_layer(app):
    higher = set(LAYERS[LAYERS.index(app) + 1:])
    offenders = {}
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        if app == "pic" and path.name == "urls.py":
            continue  # pic/urls.py alone knows every app
        wrong = imported_apps(path) & higher
        if wrong:
            offenders[str(path.relative_to(ROOT))] = sorted(wrong)
    assert offenders == {}


@pytest.mark.django_db
def test_ratifying_a_decision_makes_its_allocation(coordination, saint_michel):
    from decimal import Decimal

    from governance import services as governance
    from governance.models import Committee
    from proposals import workflow
    from proposals.models import Initiative, Program, Proposal, ProposalYear, Stage, Window
    from reporting.models import Allocation
    from tests.factories import CommitteeFactory

    CommitteeFactory(kind=Committee.Kind.PARTENAIRES, name="Comité des partenaires")
    program = Program.objects.create(name="PIC 2", slug="pic-2",
                                     starts_on=datetime.date(2021, 1, 1),
                                     ends_on=datetime.date(2026, 12, 31))
    stage = Stage.objects.create(program=program, number=1, name="Planification",
                                 normal_duration_years=1, max_duration_years=2,
                                 min_yearly_amount=25000, max_yearly_amount=50000)
    window = Window.objects.create(program=program, name="Dépôt",
                                   deadline=timezone.localdate() - datetime.timedelta(days=30))
    initiative = Initiative.objects.create(neighbourhood=saint_michel, program=program,
                                           title="Sécurité alimentaire", desired_change="…")
    proposal = Proposal.objects.create(neighbourhood=saint_michel, initiative=initiative,
                                       stage=stage, window=window, title="Planifier",
                                       status=Proposal.Status.IN_ANALYSIS, duration_years=1)
    ProposalYear.objects.create(proposal=proposal, year_number=1, amount=Decimal("40000"))
    workflow.proposal_recommend(proposal=proposal, actor=SYSTEM)

    governance.ratification_record(proposal=proposal, ratified_on=timezone.localdate(),
                                   actor=coordination)

    allocation = Allocation.objects.get(proposal=proposal)
    assert [y.amount for y in allocation.years.all()] == [Decimal("40000")]
