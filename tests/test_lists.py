"""Every collection's list page (pic/lists.py): filters in the URL, sorting by its columns,
pagination, the number of results and « Exporter cette vue » (a CSV of exactly the filtered
rows), scoped to the reader, with a query count that does not grow with the rows."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import Committee, DecisionLetter, Meeting
from proposals.models import Initiative, Program, Proposal, Stage, Window
from reporting.models import Allocation, AllocationYear, CheckIn, Disbursement, Report
from tests import factories

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def program(db):
    program = Program.objects.create(name="PIC 2", slug="pic-2", starts_on=TODAY - 900 * DAY,
                                     ends_on=TODAY + 900 * DAY)
    Stage.objects.create(program=program, number=1, name="Planification",
                         normal_duration_years=1, max_duration_years=2,
                         min_yearly_amount=25000, max_yearly_amount=50000)
    Stage.objects.create(program=program, number=2, name="Déploiement",
                         normal_duration_years=3, max_duration_years=4,
                         min_yearly_amount=75000, max_yearly_amount=150000)
    return program


def make_files(neighbourhood, program, n, *, start=0, stage_number=1,
               status=Proposal.Status.RATIFIED):
    """`n` files of a neighbourhood, each with a proposal, an allocation, one year with its
    report, check-in and payment, a letter; report i is due i days ago (so some are late)."""
    stage = program.stages.get(number=stage_number)
    window = Window.objects.get_or_create(program=program, name="Dépôt d'hiver",
                                          defaults={"deadline": TODAY - 400 * DAY})[0]
    initiative = Initiative.objects.create(neighbourhood=neighbourhood, program=program,
                                           title="Initiative", desired_change="…")
    for i in range(start, start + n):
        proposal = Proposal.objects.create(
            neighbourhood=neighbourhood, initiative=initiative, stage=stage, window=window,
            title=f"{neighbourhood.name} {i:03d}", status=status)
        allocation = Allocation.objects.create(
            proposal=proposal, neighbourhood=neighbourhood, initiative=initiative, stage=stage,
            ratified_on=TODAY - 300 * DAY, starts_on=TODAY - 300 * DAY,
            ends_on=TODAY + 65 * DAY)
        year = AllocationYear.objects.create(allocation=allocation, year_number=1,
                                             starts_on=allocation.starts_on,
                                             ends_on=allocation.ends_on, amount=Decimal("40000"))
        Report.objects.create(allocation=allocation, allocation_year=year,
                              kind=Report.Kind.ANNUAL, due_on=TODAY - (i - 5) * DAY)
        CheckIn.objects.create(allocation_year=year, due_on=TODAY - (i - 5) * DAY)
        Disbursement.objects.create(allocation_year=year, amount=Decimal(1000 + i),
                                    paid_on=TODAY - i * DAY)
        DecisionLetter.objects.create(proposal=proposal, kind=DecisionLetter.Kind.ALLOCATION,
                                      file=f"letters/{proposal.pk}.pdf", sha256="0" * 64,
                                      sent_at=timezone.now())


def make_meetings(n, *, start=0):
    committee = factories.CommitteeFactory()
    for i in range(start, start + n):
        Meeting.objects.create(committee=committee, title=f"Rencontre {i:03d}",
                               held_on=TODAY - i * DAY)


def rows_of(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
    return len(captured)


LISTS = {
    # url name: (context name, what one row's CSV first column holds for file i)
    "proposals:proposal-list": "proposals",
    "reporting:allocation-list": "allocations",
    "reporting:report-list": "reports",
    "reporting:checkin-list": "checkins",
    "reporting:disbursement-list": "disbursements",
    "governance:letter-list": "letters",
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_each_list_runs_the_same_queries_at_10_and_100_rows(client, coordination, saint_michel,
                                                           program, name):
    client.force_login(coordination)
    make_files(saint_michel, program, 10)
    url = reverse(name) + "?neighbourhood=saint&sort=-" + ("title" if "proposal" in name
                                                             else "neighbourhood")
    small = count_queries(client, url)
    make_files(saint_michel, program, 90, start=10)
    assert count_queries(client, url) == small
    assert small <= 15


@pytest.mark.parametrize("name", ["governance:meeting-list", "neighbourhoods:neighbourhood-list"])
def test_meetings_and_neighbourhoods_run_the_same_queries_at_10_and_100_rows(
        client, coordination, name):
    client.force_login(coordination)
    make_meetings(10)
    for i in range(10):
        factories.NeighbourhoodFactory(name=f"Quartier {i:03d}")
    small = count_queries(client, reverse(name))
    make_meetings(90, start=10)
    for i in range(10, 100):
        factories.NeighbourhoodFactory(name=f"Quartier {i:03d}")
    assert count_queries(client, reverse(name)) == small
    assert small <= 15


def test_the_proposal_list_filters_sorts_and_counts(client, coordination, saint_michel, verdun,
                                                    program):
    client.force_login(coordination)
    make_files(saint_michel, program, 3)
    make_files(verdun, program, 2, stage_number=2, status=Proposal.Status.IN_ANALYSIS)
    url = reverse("proposals:proposal-list")

    response = client.get(url, {"stage": "2"})
    assert [p.title for p in response.context["proposals"]] == ["Verdun 001", "Verdun 000"]
    assert "2 résultats" in response.content.decode()

    response = client.get(url, {"status": "ratified", "sort": "title"})
    assert [p.title for p in response.context["proposals"]] == [
        "Saint-Michel 000", "Saint-Michel 001", "Saint-Michel 002"]
    response = client.get(url, {"status": "ratified", "sort": "-title"})
    assert response.context["proposals"][0].title == "Saint-Michel 002"
    # A sort outside the whitelist falls back to the default order, with no error.
    assert client.get(url, {"sort": "password"}).status_code == 200


def test_the_whole_programs_file_count_is_kept_and_follows_a_new_file(client, coordination,
                                                                      saint_michel, verdun,
                                                                      program, advisor_est):
    make_files(saint_michel, program, 3)
    make_files(verdun, program, 2)
    url = reverse("proposals:proposal-list")
    client.force_login(coordination)
    assert "5 résultats" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert "5 résultats" in response.content.decode()
    assert response.context["paginator"].num_pages == 1
    # kept between views (pic.figures): no COUNT of every file
    assert not [q for q in queries.captured_queries
                if 'COUNT(*)' in q["sql"] and '"proposals_proposal"' in q["sql"]]
    make_files(verdun, program, 1, start=2)  # a save forgets the kept figure
    assert "6 résultats" in client.get(url).content.decode()
    # a filter counts its own rows
    assert "3 résultats" in client.get(url, {"neighbourhood": "verdun"}).content.decode()
    # an advisor's count is theirs, counted with their scope
    client.force_login(advisor_est)
    visible = Proposal.objects.visible_to(advisor_est).count()
    assert visible < 6
    assert client.get(url).context["paginator"].count == visible


def test_the_neighbourhood_filter_is_a_text_field_that_ignores_accents(client, coordination,
                                                                        program):
    neighbourhood = factories.NeighbourhoodFactory(name="Côte-des-Neiges")
    make_files(neighbourhood, program, 1)
    make_files(factories.NeighbourhoodFactory(name="Verdun"), program, 1)
    client.force_login(coordination)
    response = client.get(reverse("reporting:report-list"), {"neighbourhood": "cote des neiges"})
    assert [r.allocation.neighbourhood for r in response.context["reports"]] == [neighbourhood]
    html = response.content.decode()
    assert '<input type="text" name="neighbourhood"' in html
    assert "<select name=\"neighbourhood\"" not in html
    # The suggestions of the datalist, as one types.
    suggestions = client.get(reverse("neighbourhoods:neighbourhood-suggestions"),
                             {"neighbourhood": "côte"}).content.decode()
    assert 'value="Côte-des-Neiges"' in suggestions
    assert "Verdun" not in suggestions


def test_the_report_list_filters_the_overdue_and_exports_exactly_them(client, advisor_est,
                                                                      saint_michel, program):
    make_files(saint_michel, program, 8)  # reports 6 and 7 are overdue (due 1 and 2 days ago)
    client.force_login(advisor_est)
    url = reverse("reporting:report-list")
    response = client.get(url, {"overdue": "on", "sort": "due"})
    assert [r.due_on for r in response.context["reports"]] == [TODAY - 2 * DAY, TODAY - DAY]

    export = client.get(url, {"overdue": "on", "sort": "due", "export": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    assert "attachment" in export["Content-Disposition"]
    rows = rows_of(export)
    assert rows[0][:3] == ["Rapport", "Quartier", "À remettre le"]
    assert [row[2] for row in rows[1:]] == [(TODAY - 2 * DAY).isoformat(),
                                            (TODAY - DAY).isoformat()]


def test_pages_hold_25_rows_and_the_export_holds_every_filtered_row(client, coordination,
                                                                    saint_michel, verdun,
                                                                    program):
    make_files(saint_michel, program, 30)
    make_files(verdun, program, 3)
    client.force_login(coordination)
    url = reverse("reporting:checkin-list")
    first = client.get(url, {"neighbourhood": "saint-michel"})
    assert len(first.context["checkins"]) == 25
    assert first.context["paginator"].count == 30
    html = first.content.decode()
    assert "30 résultats" in html
    assert "neighbourhood=saint-michel&amp;page=2" in html  # the filters stay in the page links
    second = client.get(url, {"neighbourhood": "saint-michel", "page": "2"})
    assert len(second.context["checkins"]) == 5
    rows = rows_of(client.get(url, {"neighbourhood": "saint-michel", "export": "csv"}))
    assert len(rows) == 31
    assert {row[0] for row in rows[1:]} == {"Saint-Michel"}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_list_shows_25_rows_a_page(client, coordination, saint_michel, program, name):
    """A page's cost follows its rows: every list holds the same 25."""
    make_files(saint_michel, program, 27)
    client.force_login(coordination)
    first = client.get(reverse(name))
    assert len(first.context[LISTS[name]]) == 25
    assert len(client.get(reverse(name), {"page": "2"}).context[LISTS[name]]) == 2


def test_a_list_shows_only_what_the_reader_may_see(client, tq_verdun, saint_michel, verdun,
                                                   program):
    make_files(saint_michel, program, 2)
    make_files(verdun, program, 1)
    client.force_login(tq_verdun)
    for name in ("reporting:disbursement-list", "reporting:report-list",
                 "governance:letter-list", "proposals:proposal-list"):
        response = client.get(reverse(name))
        assert "Saint-Michel" not in response.content.decode(), name
        rows = rows_of(client.get(reverse(name), {"export": "csv"}))
        assert len(rows) == 2, name
        assert "Saint-Michel" not in str(rows), name
    # Even when the reader types another neighbourhood's name.
    response = client.get(reverse("reporting:report-list"), {"neighbourhood": "saint-michel"})
    assert response.context["paginator"].count == 0


def test_the_meeting_list_filters_by_year_and_sorts_by_date(client, coordination):
    make_meetings(3)
    Meeting.objects.create(committee=Committee.objects.get(), title="Ancienne",
                           held_on=datetime.date(2022, 3, 1))
    client.force_login(coordination)
    url = reverse("governance:meeting-list")
    response = client.get(url, {"year": "2022"})
    assert [m.title for m in response.context["meetings"]] == ["Ancienne"]
    response = client.get(url, {"sort": "date"})
    assert response.context["meetings"][0].title == "Ancienne"
    rows = rows_of(client.get(url, {"year": "2022", "export": "csv"}))
    assert rows[1][2] == "Ancienne"
    assert len(rows) == 2


def test_the_neighbourhood_list_filters_by_advisor(client, coordination, saint_michel, verdun,
                                                   advisor_est):
    client.force_login(coordination)
    response = client.get(reverse("neighbourhoods:neighbourhood-list"),
                          {"advisor": advisor_est.pk})
    assert list(response.context["neighbourhoods"]) == [saint_michel]
    # A value that is not an advisor is shown as an error and filters nothing.
    response = client.get(reverse("neighbourhoods:neighbourhood-list"), {"advisor": "abc"})
    assert response.context["paginator"].count == 2


def test_the_neighbourhood_list_is_under_100_kb_at_1000_neighbourhoods(client, coordination):
    from neighbourhoods.models import Neighbourhood, Organisation

    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Table {i:04d}", category=Organisation.Category.COMMUNITY)
        for i in range(1000))
    Neighbourhood.objects.bulk_create(
        Neighbourhood(name=f"Quartier {i:04d}", slug=f"quartier-{i:04d}",
                      table_name=f"Table de quartier {i:04d}", organisation=o)
        for i, o in enumerate(organisations))
    client.force_login(coordination)
    for name in ("neighbourhoods:neighbourhood-list", "proposals:proposal-list"):
        response = client.get(reverse(name))
        assert len(response.content) < 100_000, name


def test_a_list_page_reads_in_english(client, coordination, saint_michel, program):
    make_files(saint_michel, program, 2)
    coordination.language = "en"
    coordination.save(update_fields=["language"])
    client.force_login(coordination)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("reporting:report-list")).content.decode()
    assert "Export this view" in html
    assert "2 results" in html
    assert "Overdue only" in html


FILTERED = {
    # url name: (the filter that keeps Saint-Michel's rows only, the CSV column of the name)
    "proposals:proposal-list": ({"neighbourhood": "saint-michel"}, 1),
    "reporting:allocation-list": ({"neighbourhood": "Saint-Mi"}, 0),
    "reporting:report-list": ({"neighbourhood": "saint-michel", "kind": "annual"}, 1),
    "reporting:checkin-list": ({"neighbourhood": "saint michel"}, 0),
    "reporting:disbursement-list": ({"neighbourhood": "saint-michel"}, 1),
    "governance:letter-list": ({"neighbourhood": "saint-michel", "kind": "allocation"}, 0),
    "neighbourhoods:neighbourhood-list": ({"neighbourhood": "saint"}, 0),
}


@pytest.mark.parametrize("name", sorted(FILTERED))
def test_every_list_exports_exactly_its_filtered_rows_and_sorts_by_each_column(
        client, coordination, saint_michel, verdun, program, name):
    make_files(saint_michel, program, 4)
    make_files(verdun, program, 3)
    client.force_login(coordination)
    params, column = FILTERED[name]
    page = client.get(reverse(name), params)
    shown = page.context["paginator"].count
    rows = rows_of(client.get(reverse(name), {**params, "export": "csv"}))[1:]
    assert len(rows) == shown == (1 if "neighbourhood-list" in name else 4)
    assert {row[column].split(" — ")[0] for row in rows} == {"Saint-Michel"}
    everything = client.get(reverse(name)).context["paginator"].count
    assert everything > shown  # the filter did filter
    for heading in page.context["headings"]:
        if heading["sortable"]:
            for sort in (heading["key"], "-" + heading["key"]):
                response = client.get(reverse(name), {"sort": sort})
                assert response.status_code == 200, sort
                assert response.context["sort"] == sort


@pytest.mark.parametrize("name", ["home", "reporting:dashboard", "governance:ratification-list",
                                  "reporting:overdue-decisions", "reporting:overdue-reports",
                                  "reporting:overdue-checkins"])
def test_the_watch_lists_read_the_same_queries_at_8_and_28_late_files(client, coordination,
                                                                      saint_michel, program,
                                                                      name):
    """Their rows read only the columns they show (`only()`): a column a row shows but the
    read left out would cost one query a row. Each size is viewed once first: the program's
    figures are kept then (pic.figures), as on any later view."""
    client.force_login(coordination)
    make_files(saint_michel, program, 8, status=Proposal.Status.RECOMMENDED)
    count_queries(client, reverse(name))
    small = count_queries(client, reverse(name))
    make_files(saint_michel, program, 20, start=8, status=Proposal.Status.RECOMMENDED)
    count_queries(client, reverse(name))
    assert count_queries(client, reverse(name)) == small
