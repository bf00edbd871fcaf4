"""The follow-up dashboard's overdue lists (ten rows, a link to the whole, paginated list), one
person's to-do computed for that person, and the daily run's queries (issue 10)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pic.access import SYSTEM
from proposals.models import Proposal
from reporting.models import CheckIn, ReminderSent, Report
from reporting.services import allocations, reminders
from reporting.todo import TODO_ROWS
from tests import factories
from tests.governance.conftest import make_proposal

from .conftest import make_draft_window, make_ratified
from .test_views import queries

OVERDUE_LISTS = ["reporting:overdue-decisions", "reporting:overdue-reports",
                 "reporting:overdue-checkins"]


def _allocate(neighbourhood, stage, n=0):
    """An allocation ratified in 2024: its first check-in and report are overdue."""
    return allocations.allocation_create_for_ratification(
        ratification=make_ratified(neighbourhood, stage, title=f"Allocation {n}"), actor=SYSTEM)


def _late_decision(neighbourhood, stage, n=0):
    return make_proposal(neighbourhood, stage, title=f"Décision {n}",
                         deadline=timezone.localdate() - datetime.timedelta(weeks=9, days=n))


def _add(stage, count):
    for n in range(count):
        neighbourhood = factories.NeighbourhoodFactory()
        _allocate(neighbourhood, stage, n)
        _late_decision(neighbourhood, stage, n)


def test_the_dashboard_shows_ten_of_each_overdue_list_and_links_to_the_whole_list(
        client, coordination, stage):
    _add(stage, 12)
    client.force_login(coordination)
    response = client.get(reverse("reporting:dashboard"))
    assert len(response.context["decisions_at_risk"]) == 10
    assert len(response.context["overdue_reports"]) == 10
    assert len(response.context["overdue_checkins"]) == 10
    page = response.content.decode()
    for name in OVERDUE_LISTS:
        assert f'href="{reverse(name)}"' in page
    # the oldest deadline first
    assert response.context["decisions_at_risk"][0].proposal.title == "Décision 11"

    overdue = Report.objects.filter(status=Report.Status.DRAFT,
                                    due_on__lt=timezone.localdate()).count()
    listed = client.get(reverse("reporting:overdue-reports"))
    assert listed.context["paginator"].count == overdue >= 12
    decisions = client.get(reverse("reporting:overdue-decisions"))
    assert [r.proposal.title for r in decisions.context["rows"]] == [
        f"Décision {n}" for n in range(11, -1, -1)]
    checkins = client.get(reverse("reporting:overdue-checkins"))
    assert checkins.context["paginator"].count == CheckIn.objects.filter(
        held_on__isnull=True, due_on__lt=timezone.localdate()).count()


def test_no_link_when_the_dashboard_shows_the_whole_list(client, coordination, stage):
    _add(stage, 1)
    client.force_login(coordination)
    page = client.get(reverse("reporting:dashboard")).content.decode()
    assert f'href="{reverse("reporting:overdue-decisions")}"' not in page
    assert "Décision 0" in page


def test_overdue_lists_are_paginated(client, coordination, saint_michel, stage):
    for n in range(55):
        _late_decision(saint_michel, stage, n)
    client.force_login(coordination)
    response = client.get(reverse("reporting:overdue-decisions"))
    assert len(response.context["rows"]) == 50
    assert "Page 1 sur 2" in response.content.decode()
    assert len(client.get(reverse("reporting:overdue-decisions") + "?page=2")
               .context["rows"]) == 5


def test_an_advisor_sees_only_the_overdue_files_they_follow(client, stage, saint_michel,
                                                             verdun):
    advisor = factories.make_advisor(saint_michel)
    _allocate(saint_michel, stage)
    other = _allocate(verdun, stage, 1)
    client.force_login(advisor)
    reports = client.get(reverse("reporting:overdue-reports")).context["rows"]
    assert reports
    assert other.pk not in {r.allocation_id for r in reports}


def test_the_dashboard_and_overdue_lists_run_the_same_queries_at_10_and_100_files(
        client, coordination, stage, django_capture_on_commit_callbacks):
    urls = [reverse("reporting:dashboard"), *(reverse(name) for name in OVERDUE_LISTS)]
    with django_capture_on_commit_callbacks(execute=True):  # the money figures forgotten
        _add(stage, 10)
    client.force_login(coordination)

    def counts():
        return [client.get(url) and queries(client, url) for url in urls]  # figures cached

    at_10 = counts()
    with django_capture_on_commit_callbacks(execute=True):
        _add(stage, 90)
    assert counts() == at_10
    assert max(at_10) <= 15


def test_the_to_do_holds_exactly_one_advisors_items(client, stage, saint_michel, verdun):
    mine = factories.make_advisor(saint_michel)
    theirs = factories.make_advisor(verdun)
    followed = _allocate(saint_michel, stage)
    _allocate(verdun, stage, 1)
    items = client.force_login(mine) or client.get(reverse("reporting:todo")).context["items"]
    assert items
    neighbourhoods = {
        (d.obj.allocation if isinstance(d.obj, Report) else d.obj.allocation_year.allocation)
        .neighbourhood_id for d in items}
    assert neighbourhoods == {saint_michel.pk}
    assert {d.kind for d in items} == {"report_overdue", "checkin_overdue"}
    assert {d.obj.pk for d in items if d.kind == "report_overdue"} == set(
        followed.reports.filter(due_on__lt=timezone.localdate()).values_list("pk", flat=True))
    # the same items the daily run gives that person
    today = timezone.localdate()
    assert sorted(items, key=lambda d: (d.due_on, d.kind, d.obj.pk)) == (
        reminders.due_items(today=today)[mine.pk])
    assert theirs.pk in reminders.due_items(today=today)


def test_the_to_do_runs_the_same_queries_at_10_and_100_files(client, stage):
    advisor = factories.make_advisor()
    from neighbourhoods import services

    def add(count):
        for n in range(count):
            neighbourhood = factories.NeighbourhoodFactory()
            services.advisor_assign(advisor=advisor, neighbourhood=neighbourhood, actor=SYSTEM)
            _allocate(neighbourhood, stage, n)

    add(10)
    client.force_login(advisor)
    url = reverse("reporting:todo")
    at_10 = queries(client, url)
    add(90)
    assert queries(client, url) == at_10
    # 100 overdue reports and check-ins: the soonest TODO_ROWS of each, and a link to the rest
    groups = client.get(url).context["groups"]
    assert [len(group.items) for group in groups] == [TODO_ROWS, TODO_ROWS]
    assert [group.more_url for group in groups] == [
        reverse("reporting:report-list"), reverse("reporting:checkin-list") + "?held=todo"]


def test_the_coordination_to_do_shows_the_soonest_of_each_list_whatever_the_program_size(
        client, coordination, stage):
    """Staff are reminded of every overdue check-in and decision: the page stays small and
    its queries the same, its groups bounded with a link to the whole list."""
    _add(stage, 3)
    client.force_login(coordination)
    url = reverse("reporting:todo")
    at_3 = queries(client, url)
    assert len(client.get(url).context["items"]) == 12  # 9 check-ins, 3 decisions: all
    _add(stage, 45)
    response = client.get(url)
    assert queries(client, url) == at_3
    assert len(response.content) < 20_000  # 40 rows (~14 KB), not 200
    checkins, decisions = response.context["groups"]
    assert (len(checkins.items), len(decisions.items)) == (TODO_ROWS, TODO_ROWS)
    assert decisions.more_url == reverse("reporting:overdue-decisions")
    page = response.content.decode()
    assert f'href="{decisions.more_url}"' in page
    # the oldest deadline first, as on the whole list
    assert decisions.items[0].obj.title == "Décision 44"
    assert [d.due_on for d in checkins.items] == sorted(d.due_on for d in checkins.items)


def test_the_daily_run_queries_do_not_grow_with_the_reminders(
        stage, saint_michel, tq_saint_michel, advisor_est, coordination,
        django_capture_on_commit_callbacks):
    """The same people (a member, an advisor, coordination staff), more reminders."""
    today = timezone.localdate()

    def run() -> int:
        ReminderSent.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=False), \
                CaptureQueriesContext(connection) as context:
            reminders.reminders_run(today=today)
        return len(context)

    _allocate(saint_michel, stage)
    _late_decision(saint_michel, stage)
    run()  # warms Django's content type cache
    few, recorded = run(), ReminderSent.objects.count()
    for n in range(1, 9):
        _allocate(saint_michel, stage, n)
        _late_decision(saint_michel, stage, n)
    assert run() == few
    assert ReminderSent.objects.count() >= 5 * recorded
    assert set(ReminderSent.objects.values_list("user_id", flat=True)) == {
        tq_saint_michel.pk, advisor_est.pk, coordination.pk}


def test_the_daily_run_records_each_reminder_once_and_queues_each_persons_digest_once(
        stage, saint_michel, tq_saint_michel, advisor_est, coordination,
        django_capture_on_commit_callbacks):
    from pic.models import OutboxMessage

    today = timezone.localdate()
    _allocate(saint_michel, stage)
    with django_capture_on_commit_callbacks(execute=False):
        first = reminders.reminders_run(today=today)
    recorded = ReminderSent.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        again = reminders.reminders_run(today=today)
    assert first == again == 3
    assert ReminderSent.objects.count() == recorded
    # one batch naming the three people, queued once
    [batch] = OutboxMessage.objects.filter(key__startswith="digest:")
    assert sorted(batch.args[0]) == sorted([tq_saint_michel.pk, advisor_est.pk,
                                            coordination.pk])
    assert callbacks == []  # nothing new to enqueue the second time
    assert Proposal.objects.exists()


def test_the_overdue_list_in_english(client, coordination, stage):
    from tests.factories import english

    _add(stage, 11)
    client.force_login(english(coordination))
    assert "See the whole list" in client.get(reverse("reporting:dashboard")).content.decode()
    page = client.get(reverse("reporting:overdue-decisions")).content.decode()
    assert "11 files" in page
    assert "Back to the follow-up dashboard" in page


def test_an_overdue_decision_reads_as_an_english_sentence(client, coordination, stage):
    """« to ratify by December 9, 2022 — deadline passed »: the English date, then a dash
    before the badge (issue 14)."""
    import re

    from tests.factories import english

    _late_decision(factories.NeighbourhoodFactory(), stage)
    client.force_login(english(coordination))
    page = client.get(reverse("reporting:overdue-decisions")).content.decode()
    assert re.search(r"to ratify by [A-Z][a-z]+ \d{1,2}, \d{4} — "
                     r'<span class="badge badge-err">deadline passed</span>', page), page


def test_the_to_do_runs_the_same_queries_with_and_without_a_window_closing(
        client, allocation, stage, saint_michel, tq_saint_michel, advisor_est):
    """Whether or not a window closes within the reminders' horizon (and whatever is due),
    the to-do page of a member and of an advisor runs the same queries."""
    from proposals.models import WindowExtension

    url = reverse("reporting:todo")
    people = [tq_saint_michel, advisor_est]
    before = [client.force_login(person) or queries(client, url) for person in people]
    today = timezone.localdate()
    window = make_draft_window(stage, saint_michel, today + datetime.timedelta(days=7))
    client.force_login(tq_saint_michel)
    [due] = [d for d in client.get(url).context["items"] if d.kind.startswith("window")]
    assert (due.kind, due.obj, due.due_on) == ("window_closing_7", window, window.deadline)
    # the neighbourhood's own, extended deadline (one day away) is the one it is reminded of
    WindowExtension.objects.create(window=window, neighbourhood=saint_michel, reason="Deuil",
                                   new_deadline=today + datetime.timedelta(days=1))
    [due] = [d for d in client.get(url).context["items"] if d.kind.startswith("window")]
    assert (due.kind, due.due_on) == ("window_closing_1", today + datetime.timedelta(days=1))
    assert [client.force_login(person) or queries(client, url) for person in people] == before


def test_a_report_and_a_check_in_keep_their_allocations_neighbourhood(stage, saint_michel):
    """What the to-do and the advisor's home filter and index by (reporting/models)."""
    allocation = _allocate(saint_michel, stage)
    assert set(Report.objects.filter(allocation=allocation)
               .values_list("neighbourhood", flat=True)) == {saint_michel.pk}
    assert set(CheckIn.objects.filter(allocation_year__allocation=allocation)
               .values_list("neighbourhood", flat=True)) == {saint_michel.pk}
    year = allocation.years.first()
    CheckIn.objects.filter(allocation_year=year).delete()
    # created without it (as a test or a shell would): filled from the allocation
    assert CheckIn.objects.create(allocation_year=year, due_on=year.starts_on
                                  ).neighbourhood_id == saint_michel.pk


def test_the_to_do_reads_its_own_soonest_rows_not_the_programs(stage, saint_michel, verdun):
    """Another neighbourhood's files due just as soon (and read first by id) take none of the
    rows the page reads: the person's neighbourhoods are filtered in SQL, before the bound."""
    mine = factories.make_advisor(saint_michel)
    factories.make_advisor(verdun)
    for n in range(3):
        _allocate(verdun, stage, n)
    followed = _allocate(saint_michel, stage, 9)
    today = timezone.localdate()
    items = reminders.todo_for(user=mine, today=today, limit=1)
    assert {d.kind for d in items} == {"report_overdue", "checkin_overdue"}
    assert {d.obj.neighbourhood_id for d in items} == {saint_michel.pk}
    first_report = followed.reports.filter(due_on__lt=today).order_by("due_on", "pk").first()
    assert first_report.pk in {d.obj.pk for d in items}


def test_each_persons_to_do_is_their_share_of_the_daily_run(stage, saint_michel, verdun,
                                                             tq_saint_michel, tq_verdun,
                                                             coordination):
    """The to-do computed for one person in SQL holds exactly that person's items of the
    program-wide daily run: a member's, an advisor's (their neighbourhood only) and the
    coordination's (every overdue check-in and decision), the soonest first."""
    today = datetime.date(2025, 5, 23)  # a report due in 7 days, check-ins and reports late
    advisor = factories.make_advisor(saint_michel)
    factories.make_advisor(verdun)
    for neighbourhood in (saint_michel, verdun):
        _allocate(neighbourhood, stage)
        make_proposal(neighbourhood, stage, title="Décision",
                      deadline=today - datetime.timedelta(weeks=9))
    make_draft_window(stage, saint_michel, today + datetime.timedelta(days=7))
    everyone = reminders.due_items(today=today)
    for person in (tq_saint_michel, tq_verdun, advisor, coordination):
        mine = reminders.todo_for(user=person, today=today)
        assert mine == everyone[person.pk], person
        assert reminders.todo_for(user=person, today=today, limit=1)[:1] == mine[:1]
    assert {d.kind.split("_")[0] for d in everyone[tq_saint_michel.pk]} == {"report",
                                                                           "window"}
    assert {d.obj.neighbourhood_id for d in everyone[advisor.pk]} == {saint_michel.pk}
    assert {d.kind for d in everyone[coordination.pk]} == {"checkin_overdue",
                                                          "decision_overdue"}
