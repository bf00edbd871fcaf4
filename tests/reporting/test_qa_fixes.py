"""QA findings on follow-up: who gets the dashboard, the indicators roll-up, and reminders
for neighbourhoods whose window deadline was extended."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from neighbourhoods import services as neighbourhood_services
from neighbourhoods.models import StaffRole
from pic.access import SYSTEM
from proposals.models import WindowExtension
from reporting.dashboards import indicator_rollup
from reporting.models import Report
from reporting.services import reminders, reports
from tests import factories

from .conftest import make_draft_window

D = datetime.date
TODAY = D(2025, 5, 23)


# --- /suivi/ is for people who follow files -----------------------------------------------


def test_a_committee_only_member_gets_403_on_the_followup_dashboard(client, db):
    seat = factories.make_committee_member(email="gestion.chagnon@example.org")
    client.force_login(seat.user)
    assert client.get(reverse("reporting:dashboard")).status_code == 403


def test_a_partner_gets_403_on_the_followup_dashboard(client, db):
    partner = factories.UserFactory()
    neighbourhood_services.staff_role_grant(user=partner, role=StaffRole.Role.PARTNER,
                                            actor=SYSTEM)
    client.force_login(partner)
    assert client.get(reverse("reporting:dashboard")).status_code == 403


@pytest.mark.parametrize("who", ["coordination", "advisor_est", "tq_saint_michel"])
def test_people_who_follow_files_get_the_followup_dashboard(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("reporting:dashboard")).status_code == 200


# --- Indicators roll-up -------------------------------------------------------------------


def _indicator(allocation, target):
    question = allocation.proposal.evaluation_questions.get()
    return reports.indicator_add(question=question, name="Personnes", unit="pers.",
                                 target=Decimal(target), actor=SYSTEM)


def test_a_final_report_counts_in_the_stage_last_year_never_in_no_year(
        allocation, coordination, tq_saint_michel):
    indicator = _indicator(allocation, "50")
    final = allocation.reports.get(kind=Report.Kind.FINAL)
    assert final.allocation_year is None
    reports.report_save_draft(report=final, actor=tq_saint_michel, texts={},
                              indicator_values={indicator.pk: Decimal("40")})
    rows = indicator_rollup(user=coordination)
    assert [r["year"] for r in rows] == [allocation.ends_on.year]
    assert all(r["year"] is not None for r in rows)


def test_an_indicator_target_counts_once_a_year_however_many_reports(
        allocation, coordination, tq_saint_michel):
    indicator = _indicator(allocation, "50")
    last_year = allocation.years.order_by("-year_number").first()
    final = allocation.reports.get(kind=Report.Kind.FINAL)
    assert last_year.ends_on.year == allocation.ends_on.year  # both count that year
    for report in (last_year.report, final):
        reports.report_save_draft(report=report, actor=tq_saint_michel, texts={},
                                  indicator_values={indicator.pk: Decimal("40")})
    [row] = indicator_rollup(user=coordination)
    assert (row["total"], row["target"], row["neighbourhoods"]) == (Decimal("80"),
                                                                    Decimal("50"), 1)


# --- Window reminders with an extension ----------------------------------------------------


@pytest.fixture
def draft_window(stage, saint_michel, tq_saint_michel):
    """A window closing in 7 days, and Saint-Michel holding a draft for a stage it accepts."""
    return make_draft_window(stage, saint_michel, TODAY + datetime.timedelta(days=7))


def _extend(window, neighbourhood, new_deadline):
    return WindowExtension.objects.create(window=window, neighbourhood=neighbourhood,
                                          new_deadline=new_deadline, reason="Deuil")


def test_an_extended_neighbourhood_is_reminded_of_its_own_deadline(
        draft_window, saint_michel, tq_saint_michel):
    new_deadline = TODAY + datetime.timedelta(days=30)
    _extend(draft_window, saint_michel, new_deadline)
    # Seven days before the window's deadline: nothing (theirs is a month away).
    assert tq_saint_michel.pk not in reminders.due_items(today=TODAY)
    # Once the window's deadline has passed, 14, 7 and 1 days before their own.
    for days in (14, 7, 1):
        today = new_deadline - datetime.timedelta(days=days)
        [due] = reminders.due_items(today=today)[tq_saint_michel.pk]
        assert (due.kind, due.obj, due.due_on) == (f"window_closing_{days}", draft_window,
                                                   new_deadline)
        assert "prolongée" in due.text


def test_other_neighbourhoods_keep_the_window_deadline(draft_window, saint_michel, verdun,
                                                       tq_saint_michel, stage):
    _extend(draft_window, verdun, TODAY + datetime.timedelta(days=30))
    [due] = reminders.due_items(today=TODAY)[tq_saint_michel.pk]
    assert (due.kind, due.due_on) == ("window_closing_7", draft_window.deadline)
