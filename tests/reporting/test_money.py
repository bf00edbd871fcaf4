"""Money as a funder keeps it: the budget by line and by year, the ratified budget and the
report's statement started from it, the payment schedule, funders' contributions, the envelope
figures, the 360Giving funders and the end-of-program warning."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from neighbourhoods.models import StaffRole
from neighbourhoods.services import staff_role_grant
from pic.access import SYSTEM
from pic.models import AuditEvent
from proposals import rules
from proposals.budget import budget_categories, proposal_budget_save
from proposals.models import Initiative, Proposal, ProposalBudgetLine, ProposalYear
from reporting import exports
from reporting.models import Disbursement, FinancialLine, Instalment, Report
from reporting.selectors import envelope_by_year, envelope_figures
from reporting.services import allocations, payments, reports
from tests import factories

from .conftest import make_ratified

D = Decimal
TEXTS = {"activities": "Ateliers", "learnings": "Appris", "edi": "Inclusion"}


def _category(program, code):
    return next(c for c in budget_categories(program) if c.code == code)


@pytest.fixture
def draft(saint_michel, stage):
    initiative = Initiative.objects.create(neighbourhood=saint_michel, program=stage.program,
                                           title="Cuisine collective", desired_change="…")
    proposal = Proposal.objects.create(neighbourhood=saint_michel, initiative=initiative,
                                       stage=stage, title="Cuisine collective", duration_years=2)
    ProposalYear.objects.create(proposal=proposal, year_number=1, amount=D("90000"))
    ProposalYear.objects.create(proposal=proposal, year_number=2, amount=D("100000"))
    return proposal


def test_budget_lines_must_total_the_yearly_request(draft, tq_saint_michel):
    salaries = _category(draft.stage.program, "salaries")
    activities = _category(draft.stage.program, "activities")
    with pytest.raises(ValidationError) as refused:
        proposal_budget_save(proposal=draft, actor=tq_saint_michel, lines={
            (salaries.pk, 1): D("60000"), (activities.pk, 1): D("10000"),
            (salaries.pk, 2): D("70000"), (activities.pk, 2): D("30000")})
    message = " ".join(refused.value.messages)
    assert "Année 1" in message
    assert "70" in message
    assert "90" in message
    assert "Année 2" not in message  # year 2 totals its request
    assert not ProposalBudgetLine.objects.exists()
    proposal_budget_save(proposal=draft, actor=tq_saint_michel, lines={
        (salaries.pk, 1): D("60000"), (activities.pk, 1): D("30000"),
        (salaries.pk, 2): D("70000"), (activities.pk, 2): D("30000")})
    assert ProposalBudgetLine.objects.filter(proposal=draft).count() == 4
    assert rules.BUDGET not in rules.submission_errors(draft, check_window=False)
    # the yearly request changes afterwards: the proposal cannot be submitted unbalanced
    ProposalYear.objects.filter(proposal=draft, year_number=2).update(amount=D("110000"))
    errors = rules.submission_errors(draft, check_window=False)
    assert any("Année 2" in m for m in errors[rules.BUDGET])


def test_the_budget_page_keeps_what_was_typed_when_unbalanced(client, draft, tq_saint_michel):
    from django.urls import reverse

    salaries = _category(draft.stage.program, "salaries")
    client.force_login(tq_saint_michel)
    url = reverse("proposals:proposal-budget", args=[draft.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {f"line_{salaries.pk}_1": "12345", f"line_{salaries.pk}_2": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="12345"' in page
    assert "Année 1" in page
    assert "les lignes du budget totalisent" in page


def _ratified_with_budget(neighbourhood, stage, **kwargs):
    ratification = make_ratified(neighbourhood, stage, **kwargs)
    proposal = ratification.proposal
    salaries = _category(stage.program, "salaries")
    activities = _category(stage.program, "activities")
    for year in proposal.years.all():
        ProposalBudgetLine.objects.create(proposal=proposal, year_number=year.year_number,
                                          category=salaries, amount=year.amount * 2 / 3)
        ProposalBudgetLine.objects.create(proposal=proposal, year_number=year.year_number,
                                          category=activities, amount=year.amount / 3)
    return ratification


def test_the_allocation_keeps_the_ratified_budget_brought_to_the_decided_amount(
        saint_michel, stage, coordination):
    ratification = _ratified_with_budget(saint_michel, stage, amounts=("90000",),
                                         analysis_amounts=("85000",))
    allocation = allocations.allocation_create_for_ratification(ratification=ratification,
                                                                actor=coordination)
    year = allocation.years.get()
    budget = {line.category.code: line.amount for line in year.budget_lines.all()}
    assert budget == {"salaries": D("56666.67"), "activities": D("28333.33")}
    assert sum(budget.values()) == D("85000")
    # the annual report's statement starts from it (and the final report's, for the stage)
    statement = {line.category: (line.budget, line.actual) for line in year.report.lines.all()}
    assert statement == {"salaries": (D("56666.67"), D("0")),
                         "activities": (D("28333.33"), D("0"))}
    final = allocation.reports.get(kind=Report.Kind.FINAL)
    assert final.lines.get(category="salaries").budget == D("56666.67")


@pytest.fixture
def budgeted(saint_michel, stage, coordination):
    ratification = _ratified_with_budget(saint_michel, stage, amounts=("90000", "90000"))
    return allocations.allocation_create_for_ratification(ratification=ratification,
                                                          actor=coordination)


def test_report_lines_over_the_threshold_require_an_explanation(budgeted, tq_saint_michel):
    report = budgeted.years.get(year_number=1).report
    reports.report_save_draft(report=report, actor=tq_saint_michel, texts=TEXTS, lines={
        "salaries": (D("1"), D("68000")),      # +13 % of 60 000: to explain; budget not typed
        "activities": (None, D("28000"))})     # −6,7 % of 30 000: within 10 %
    assert report.lines.get(category="salaries").budget == D("60000")
    with pytest.raises(ValidationError) as refused:
        reports.report_submit(report=report, actor=tq_saint_michel)
    lines = refused.value.error_dict["lines"]
    assert len(lines) == 1
    assert "Salaires et honoraires" in lines[0].messages[0]
    reports.report_save_draft(report=report, actor=tq_saint_michel, texts={}, lines={
        "salaries": (None, D("68000"), "Une animatrice embauchée plus tôt")})
    reports.report_submit(report=report, actor=tq_saint_michel)
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_the_threshold_is_a_program_setting(budgeted, tq_saint_michel, coordination):
    allocations.reporting_config_save(program=budgeted.stage.program, actor=coordination,
                                      variance_threshold_percent=20)
    report = budgeted.years.get(year_number=1).report
    reports.report_save_draft(report=report, actor=tq_saint_michel, texts=TEXTS, lines={
        "salaries": (None, D("68000")), "activities": (None, D("30000"))})
    reports.report_submit(report=report, actor=tq_saint_michel)  # 13 % < 20 %: no explanation


def test_the_schedule_is_made_with_the_allocation_from_the_program_setting(
        saint_michel, verdun, stage, coordination, allocation):
    assert list(allocation.years.get(year_number=1).instalments.values_list(
        "number", "planned_on", "amount", "status")) == [
        (1, datetime.date(2024, 4, 1), D("42500"), "planned"),
        (2, datetime.date(2024, 10, 1), D("42500"), "planned")]
    allocations.reporting_config_save(program=stage.program, actor=coordination,
                                      instalment_months="0, 4, 8")
    other = allocations.allocation_create_for_ratification(
        ratification=make_ratified(verdun, stage, amounts=("100000",)), actor=coordination)
    assert list(other.years.get().instalments.values_list("planned_on", "amount")) == [
        (datetime.date(2024, 4, 1), D("33333.34")), (datetime.date(2024, 8, 1), D("33333.33")),
        (datetime.date(2024, 12, 1), D("33333.33"))]
    with pytest.raises(ValidationError):
        allocations.reporting_config_save(program=stage.program, actor=coordination,
                                          instalment_months="0,13")


def test_release_is_refused_until_the_previous_report_is_accepted(allocation, coordination):
    first = allocation.years.get(year_number=1).instalments.get(number=1)
    second_year = allocation.years.get(year_number=2).instalments.get(number=1)
    payments.instalment_release(instalment=first, actor=coordination)  # year 1: no condition
    with pytest.raises(ValidationError) as refused:
        payments.instalment_release(instalment=second_year, actor=coordination)
    assert "rapport annuel de l'année 1" in " ".join(refused.value.messages)
    second_year.refresh_from_db()
    assert second_year.status == Instalment.Status.PLANNED
    # paying needs a release first
    with pytest.raises(ValidationError):
        payments.instalment_pay(instalment=second_year, actor=coordination,
                                paid_on=datetime.date(2025, 4, 2))
    Report.objects.filter(allocation_year__allocation=allocation,
                          allocation_year__year_number=1).update(status=Report.Status.ACCEPTED)
    payments.instalment_release(instalment=second_year, actor=coordination)
    paid = payments.instalment_pay(instalment=second_year, actor=coordination,
                                   paid_on=datetime.date(2025, 4, 2))
    assert paid.status == Instalment.Status.PAID
    assert paid.disbursement.amount == D("50000")
    assert Disbursement.objects.get().instalment == paid
    assert AuditEvent.objects.filter(verb="instalment.pay").count() == 1


def test_an_exception_to_the_condition_needs_its_reason(allocation, coordination):
    instalment = allocation.years.get(year_number=2).instalments.get(number=1)
    released = payments.instalment_release(instalment=instalment, actor=coordination,
                                           override_reason="Rapport reçu, analyse en cours")
    paid = payments.instalment_pay(instalment=released, actor=coordination,
                                   paid_on=datetime.date(2025, 4, 2))
    assert paid.disbursement.override_reason == "Rapport reçu, analyse en cours"


def test_coordination_changes_an_instalment_with_a_reason(allocation, coordination,
                                                         tq_saint_michel):
    instalment = allocation.years.get(year_number=1).instalments.get(number=2)
    with pytest.raises(ValidationError) as refused:
        payments.instalment_change(instalment=instalment, actor=coordination,
                                   planned_on=datetime.date(2024, 11, 1), amount=D("50000"),
                                   reason="")
    assert {"reason", "amount"} <= set(refused.value.error_dict)  # 42 500 + 50 000 > 85 000
    payments.instalment_change(instalment=instalment, actor=coordination,
                               planned_on=datetime.date(2024, 11, 1), amount=D("40000"),
                               reason="La table a demandé un report")
    event = AuditEvent.objects.get(verb="instalment.changed")
    assert event.details["reason"] == "La table a demandé un report"
    assert event.details["before"] == {"planned_on": "2024-10-01", "amount": "42500.00"}
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        payments.instalment_change(instalment=instalment, actor=tq_saint_michel,
                                   planned_on=datetime.date(2024, 11, 1), amount=D("1"),
                                   reason="…")


@pytest.fixture
def funders(db):
    return {
        "chagnon": factories.OrganisationFactory(
            name="Fondation Lucie et André Chagnon", category="philanthropic"),
        "ville": factories.OrganisationFactory(name="Ville de Montréal",
                                               category="institutional"),
        "dynamo": factories.OrganisationFactory(name="Dynamo", category="external"),
    }


def _contribute(program, funders, actor):
    allocations.contribution_set(program=program, year=2024, funder=funders["chagnon"],
                                 kind="cash", amount=D("600000"), actor=actor)
    allocations.contribution_set(program=program, year=2024, funder=funders["ville"],
                                 kind="cash", amount=D("300000"), actor=actor)
    allocations.contribution_set(program=program, year=2024, funder=funders["dynamo"],
                                 kind="in_kind", amount=D("100000"), actor=actor)


def test_envelope_figures_per_year_and_funder(allocation, coordination, funders, stage):
    _contribute(stage.program, funders, coordination)
    with pytest.raises(ValidationError):  # the envelope is the sum of its sources
        allocations.envelope_set(program=stage.program, year=2024, amount=D("1"),
                                 actor=coordination)
    first = allocation.years.get(year_number=1).instalments.get(number=1)
    payments.instalment_pay(instalment=payments.instalment_release(
        instalment=first, actor=coordination), actor=coordination,
        paid_on=datetime.date(2024, 4, 15))
    figures = {row.year: row for row in envelope_figures(program=stage.program)}
    y2024 = figures[2024]
    assert (y2024.envelope, y2024.committed, y2024.scheduled, y2024.paid, y2024.available) == (
        D("1000000"), D("85000"), D("85000"), D("42500"), D("915000"))
    assert (y2024.cash, y2024.in_kind) == (D("900000"), D("100000"))
    chagnon = next(f for f in y2024.funders if f.funder == funders["chagnon"])
    assert (chagnon.amount, chagnon.committed, chagnon.scheduled, chagnon.paid,
            chagnon.available) == (D("600000"), D("51000"), D("51000"), D("25500"),
                                   D("549000"))
    y2025 = figures[2025]
    assert (y2025.envelope, y2025.committed, y2025.scheduled, y2025.paid) == (
        None, D("100000"), D("100000"), D("0"))
    # removing every contribution of a year removes its envelope
    for funder, kind in (("chagnon", "cash"), ("ville", "cash"), ("dynamo", "in_kind")):
        allocations.contribution_set(program=stage.program, year=2024, funder=funders[funder],
                                     kind=kind, amount=D("0"), actor=coordination)
    assert {row.year: row for row in envelope_figures(program=stage.program)}[2024].envelope \
        is None


def test_the_envelope_page_shows_the_figures(client, allocation, coordination, funders, stage,
                                             django_assert_max_num_queries):
    _contribute(stage.program, funders, coordination)
    client.force_login(coordination)
    from django.urls import reverse

    with django_assert_max_num_queries(15):
        page = client.get(reverse("reporting:envelopes")).content.decode()
    assert "Fondation Lucie et André Chagnon" in page
    assert "En nature" in page
    assert 'data-figure="committed">85' in page


def test_360giving_names_the_funders(allocation, coordination, funders, stage):
    _contribute(stage.program, funders, coordination)
    grant = json.loads(exports.giving_json(user=coordination))["grants"][0]
    assert [f["name"] for f in grant["fundingOrganization"]] == [
        "Fondation Lucie et André Chagnon", "Ville de Montréal", "Dynamo"]
    assert grant["fundingOrganization"][0]["id"].endswith("-org-fondation-lucie-et-andre-chagnon")
    header, row = exports.giving_csv(user=coordination).decode().splitlines()[:2]
    assert "Funding Org:1:Name" in header
    assert "Funding Org:2:Name" in header
    assert "Ville de Montréal" in row


def test_360giving_names_the_operator_without_contributions(allocation, coordination,
                                                            settings):
    grant = json.loads(exports.giving_json(user=coordination))["grants"][0]
    assert grant["fundingOrganization"] == [{"id": settings.PIC_360G_FUNDER_ID,
                                             "name": settings.PIC_360G_FUNDER_NAME}]


def test_a_ratification_past_the_program_end_is_warned(saint_michel, stage, coordination):
    stage.program.ends_on = datetime.date(2026, 12, 31)
    stage.program.save()
    allocations.envelope_set(program=stage.program, year=2026, amount=D("1"), actor=coordination)
    ratification = make_ratified(saint_michel, stage)
    warnings = allocations.allocation_warnings(proposal=ratification.proposal,
                                               ratified_on=datetime.date(2026, 12, 10))
    assert len(warnings) == 2
    assert "au-delà de la fin du programme" in warnings[0]
    assert "3 années commencent après la fin du programme" in warnings[0]
    assert "2027, 2028, 2029" in warnings[1]
    assert allocations.allocation_warnings(proposal=ratification.proposal,
                                           ratified_on=datetime.date(2023, 11, 10)) == [
        "Aucune enveloppe n'est fixée pour 2023, 2024, 2025."]


def test_default_categories_and_a_retired_one(stage, coordination):
    categories = budget_categories(stage.program)
    assert [c.code for c in categories] == list(FinancialLine.Category.values)
    categories[0].active = False
    categories[0].save()
    assert categories[0] not in budget_categories(stage.program)
    assert categories[0] in budget_categories(stage.program, with_retired=True)


def test_spending_outside_the_ratified_budget_has_no_budget_and_is_explained(
        budgeted, tq_saint_michel):
    report = budgeted.years.get(year_number=1).report
    reports.report_save_draft(report=report, actor=tq_saint_michel, texts=TEXTS, lines={
        "salaries": (None, D("60000")), "activities": (None, D("30000")),
        "other": (D("5000"), D("800"))})  # a typed budget is not the ratified one
    assert report.lines.get(category="other").budget == D("0")
    with pytest.raises(ValidationError) as refused:
        reports.report_submit(report=report, actor=tq_saint_michel)
    assert "Autres" in refused.value.error_dict["lines"][0].messages[0]


def test_the_homes_and_the_envelope_page_read_the_same_figures(allocation, coordination,
                                                               funders, stage):
    """One rule for committed, scheduled and paid: the homes' one-query rows
    (envelope_by_year) are the envelope page's figures without the funders."""
    _contribute(stage.program, funders, coordination)
    first = allocation.years.get(year_number=1).instalments.get(number=1)
    payments.instalment_pay(instalment=payments.instalment_release(
        instalment=first, actor=coordination), actor=coordination,
        paid_on=datetime.date(2024, 4, 15))

    def figures(rows):
        return [(r.year, r.envelope, r.committed, r.scheduled, r.paid, r.available)
                for r in rows]

    assert figures(envelope_by_year(program=stage.program)) == figures(
        envelope_figures(program=stage.program))


def test_the_portfolio_charts_the_committed_amounts_by_funder(client, allocation, coordination,
                                                               funders, stage):
    _contribute(stage.program, funders, coordination)  # 60 %, 30 %, 10 % of 2024's envelope
    partner = factories.UserFactory(email="partenaire.test@example.org")
    staff_role_grant(user=partner, role=StaffRole.Role.PARTNER, actor=SYSTEM)
    client.force_login(partner)
    page = client.get(reverse("home")).content.decode()
    chart = page.split('aria-labelledby="chart-funder-caption"', 1)[1].split("</figure>")[0]
    assert "Montants engagés par bailleur de fonds" in chart
    # 2024 commits 85 000 $: Chagnon's share 51 000 $, the Ville's 25 500 $, Dynamo's 8 500 $
    assert chart.index("Fondation") < chart.index("Ville de Montréal") < chart.index("Dynamo")
    assert "51\u202f000" in chart
    assert "8\u202f500" in chart
