"""Reports in the guide's words (what was done per condition, ÉDI axes, « pérennisation » at
stages 2 and 3, capacity building in the annual report) and indicators from the program's
catalogue, which add up across neighbourhoods in the roll-up."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pic.access import SYSTEM
from proposals.models import IndicatorDefinition
from reporting.dashboards import indicator_rollup
from reporting.forms import IndicatorForm, ReportTextForm
from reporting.services import allocations, reports
from tests import factories

from .conftest import make_ratified

pytestmark = pytest.mark.django_db


def test_an_annual_report_of_stage_2_asks_the_guides_questions(client, allocation,
                                                               tq_saint_michel):
    report = allocation.years.first().report
    client.force_login(tq_saint_michel)
    url = reverse("reporting:report-edit", args=[report.pk])
    page = client.get(url).content.decode()
    for name in ("ci_engagement", "ci_support", "sustainability", "capacity_building",
                 "edi_axes"):
        assert f'name="{name}"' in page
    assert "Repères du guide" in page
    reports.report_save_draft(report=report, actor=tq_saint_michel, texts={
        "ci_engagement": "Comité de citoyens", "sustainability": "Financement de la Ville",
        "capacity_building": "Accompagnement Dynamo", "edi_axes": ["systems", "bogus",
                                                                   "capacity"]})
    report.refresh_from_db()
    assert report.ci_engagement == "Comité de citoyens"
    assert report.sustainability == "Financement de la Ville"
    assert report.edi_axes == ["capacity", "systems"]


def test_a_stage_1_report_has_no_sustainability_question_and_a_final_report_no_capacity(
        saint_michel, stage1, coordination, allocation):
    stage1_allocation = allocations.allocation_create_for_ratification(
        ratification=make_ratified(factories.NeighbourhoodFactory(), stage1,
                                   amounts=("30000",), analysis_capacity="0", capacity="0"),
        actor=SYSTEM)
    form = ReportTextForm(instance=stage1_allocation.years.first().report)
    assert "sustainability" not in form.fields
    assert "capacity_building" in form.fields
    final = allocation.reports.get(kind="final")
    assert "capacity_building" not in ReportTextForm(instance=final).fields
    assert "sustainability" in ReportTextForm(instance=final).fields


def test_catalogue_indicators_add_up_across_neighbourhoods_whatever_their_names(
        allocation, stage, coordination, tq_saint_michel):
    people = IndicatorDefinition.objects.create(program=stage.program, name="Personnes rejointes",
                                                unit="personnes")
    rate = IndicatorDefinition.objects.create(program=stage.program, name="Taux de diplomation",
                                              unit="%", kind=IndicatorDefinition.Kind.PERCENT)
    other = allocations.allocation_create_for_ratification(
        ratification=make_ratified(factories.NeighbourhoodFactory(), stage), actor=SYSTEM)
    for alloc, name, count, pct in ((allocation, "Participants", "30", "60"),
                                    (other, "Résident·e·s rejoint·e·s", "12", "80")):
        question = alloc.proposal.evaluation_questions.get()
        counted = reports.indicator_add(question=question, definition=people, name=name,
                                        actor=SYSTEM)
        percent = reports.indicator_add(question=question, definition=rate, actor=SYSTEM)
        assert percent.unit == "%"
        reports.report_save_draft(report=alloc.years.first().report, actor=SYSTEM, texts={},
                                  indicator_values={counted.pk: Decimal(count),
                                                    percent.pk: Decimal(pct)})
    rows = {r["indicator__name"]: r for r in indicator_rollup(user=coordination)}
    assert rows["Personnes rejointes"]["total"] == Decimal("42")
    assert rows["Personnes rejointes"]["neighbourhoods"] == 2
    assert rows["Taux de diplomation"]["total"] == Decimal("70")  # averaged, never added


def test_an_indicator_is_from_the_catalogue_or_free_with_a_name_and_unit(allocation, stage):
    entry = IndicatorDefinition.objects.create(program=stage.program, name="Ménages",
                                               unit="ménages")
    question = allocation.proposal.evaluation_questions.get()
    form = IndicatorForm({"question": question.pk}, proposal=allocation.proposal)
    assert not form.is_valid()
    assert "catalogue" in " ".join(form.non_field_errors())
    assert IndicatorForm({"question": question.pk, "definition": entry.pk},
                         proposal=allocation.proposal).is_valid()
    assert IndicatorForm({"question": question.pk, "name": "Ateliers", "unit": "ateliers"},
                         proposal=allocation.proposal).is_valid()
    free = reports.indicator_add(question=question, name="Ateliers", unit="ateliers",
                                 actor=SYSTEM)
    assert free.definition is None
