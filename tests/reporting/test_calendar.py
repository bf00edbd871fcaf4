"""The calendar of deadlines (reporting/deadlines.py): each person sees what concerns them, as
a month grid and a list; the private iCalendar feed serves the same events under a secret
address, and stops when the address is revoked."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pic import icalendar
from proposals.models import Initiative, Program, Proposal, Stage, Window
from reporting.models import Allocation, AllocationYear, CalendarFeed, Report

TODAY = timezone.localdate()
FIRST = TODAY.replace(day=1)
MID = FIRST + datetime.timedelta(days=14)  # the 15th of this month


@pytest.fixture
def world(saint_michel, verdun):
    program = Program.objects.create(name="PIC 2", slug="pic-2",
                                     starts_on=datetime.date(2021, 1, 1),
                                     ends_on=datetime.date(2030, 12, 31))
    stage = Stage.objects.create(program=program, number=1, name="Planification",
                                 normal_duration_years=1, max_duration_years=2,
                                 min_yearly_amount=25000, max_yearly_amount=50000)
    window = Window.objects.create(program=program, name="Dépôt de printemps", deadline=MID)
    reports = {}
    for neighbourhood in (saint_michel, verdun):
        initiative = Initiative.objects.create(neighbourhood=neighbourhood, program=program,
                                               title="Initiative", desired_change="…")
        proposal = Proposal.objects.create(neighbourhood=neighbourhood, initiative=initiative,
                                           stage=stage, window=window,
                                           title=f"Plan {neighbourhood.name}",
                                           status=Proposal.Status.RATIFIED)
        allocation = Allocation.objects.create(
            proposal=proposal, neighbourhood=neighbourhood, initiative=initiative, stage=stage,
            ratified_on=TODAY, starts_on=FIRST - datetime.timedelta(days=300),
            ends_on=FIRST + datetime.timedelta(days=400))
        year = AllocationYear.objects.create(allocation=allocation, year_number=1,
                                             starts_on=allocation.starts_on,
                                             ends_on=FIRST + datetime.timedelta(days=40),
                                             amount=Decimal("40000"))
        reports[neighbourhood.slug] = Report.objects.create(
            allocation=allocation, allocation_year=year, kind=Report.Kind.ANNUAL,
            due_on=FIRST + datetime.timedelta(days=19))
    return {"window": window, "reports": reports}


def path_of(address: str) -> str:
    return "/" + address.split("://", 1)[1].split("/", 1)[1]


def test_the_month_shows_a_window_and_the_own_report_due_date(client, world, tq_saint_michel):
    client.force_login(tq_saint_michel)
    response = client.get(reverse("reporting:calendar"))
    found = [(d.kind, d.day, d.title) for d in response.context["deadlines"]]
    assert ("window", MID, "Date limite : Dépôt de printemps") in found
    report = world["reports"]["saint-michel"]
    assert ("report", report.due_on, f"{report} (Saint-Michel)") in found
    html = response.content.decode()
    assert "Verdun" not in html  # another neighbourhood's report is not theirs
    assert 'class="calendar-legend"' in html
    assert "Échéances de" in html  # the list, for small screens and screen readers


def test_the_list_view_and_other_months(client, world, advisor_est):
    client.force_login(advisor_est)
    next_month = (FIRST + datetime.timedelta(days=32)).strftime("%Y-%m")
    response = client.get(reverse("reporting:calendar"), {"mois": next_month, "vue": "liste"})
    assert response.context["deadlines"] == []
    assert 'class="calendar-grid"' not in response.content.decode()
    for odd in ("0001-01", "9999-12", "pas-un-mois"):  # the current month instead
        assert client.get(reverse("reporting:calendar"), {"mois": odd}).context["first"] == FIRST
    this_month = client.get(reverse("reporting:calendar"), {"vue": "liste"})
    kinds = {d.kind for d in this_month.context["deadlines"]}
    assert {"window", "report"} <= kinds


def test_the_feed_serves_the_events_and_is_gone_once_revoked(client, world, tq_saint_michel):
    client.force_login(tq_saint_michel)
    page = client.post(reverse("reporting:calendar-feed"), {"action": "create"})
    address = page.context["address"]
    path = path_of(address)
    assert CalendarFeed.objects.get(user=tq_saint_michel).token_sha256 not in address

    client.logout()  # a calendar app has no session
    feed = client.get(path)
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    body = feed.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    report = world["reports"]["saint-michel"]
    assert f"UID:report-{report.pk}@pic" in body
    assert f"DTSTART;VALUE=DATE:{report.due_on:%Y%m%d}" in body
    assert "SUMMARY:Date limite : Dépôt de printemps" in body
    assert "Verdun" not in body

    client.force_login(tq_saint_michel)
    client.post(reverse("reporting:calendar-feed"), {"action": "revoke"})
    client.logout()
    assert client.get(path).status_code == 404
    assert client.get("/agenda/pas-un-jeton.ics").status_code == 404


def test_a_new_address_replaces_the_old_one(client, world, tq_saint_michel):
    client.force_login(tq_saint_michel)
    old = client.post(reverse("reporting:calendar-feed"), {"action": "create"}).context["address"]
    new = client.post(reverse("reporting:calendar-feed"), {"action": "create"}).context["address"]
    client.logout()
    assert client.get(path_of(old)).status_code == 404
    assert client.get(path_of(new)).status_code == 200


def test_ics_lines_are_escaped_and_folded_at_75_octets():
    event = icalendar.Event(uid="x-1", day=datetime.date(2026, 12, 15),
                            summary="Rapport; final, « Côte-des-Neiges »\nsuite " + "é" * 60)
    text = icalendar.calendar([event], name="PIC")
    assert "SUMMARY:Rapport\\; final\\, « Côte-des-Neiges »\\nsuite" in text.replace(
        "\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "DTEND;VALUE=DATE:20261216" in text


def test_the_calendar_runs_the_same_queries_with_more_deadlines(client, world, coordination,
                                                                advisor_est):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for user in (coordination, advisor_est):
        client.force_login(user)
        with CaptureQueriesContext(connection) as small:
            client.get(reverse("reporting:calendar"))
        window = world["window"]
        for i in range(10):
            Window.objects.create(program=window.program, name=f"Dépôt {user.pk}-{i}",
                                  deadline=FIRST + datetime.timedelta(days=i))
        with CaptureQueriesContext(connection) as large:
            client.get(reverse("reporting:calendar"))
        assert len(large) == len(small)
        assert len(large) <= 15
