"""The program's counts kept between views (pic.figures): read once, then from the cache until
a file, a decision or a report changes; kept for coordination staff only; a day's figure is
that day's."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pic import figures
from proposals.models import Proposal
from tests import factories

from .conftest import make_ratified
from .test_views import add_files

D = datetime.date


def _counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)
    return compute, calls


def test_a_figure_is_computed_once_then_kept_for_coordination(coordination):
    compute, calls = _counter()
    assert figures.read_for(coordination, {"n": compute})["n"] == 1
    assert figures.read_for(coordination, {"n": compute})["n"] == 1
    assert len(calls) == 1


def test_an_advisor_s_figures_are_never_kept(advisor_est):
    """What an advisor sees is theirs only: never the program-wide entry, never stored."""
    compute, calls = _counter()
    figures.read_for(advisor_est, {"n": compute})
    figures.read_for(advisor_est, {"n": compute})
    assert len(calls) == 2


def test_a_figure_of_a_day_is_computed_again_the_next_day(coordination):
    compute, calls = _counter()
    figures.read({"late": compute}, today=D(2024, 3, 1))
    figures.read({"late": compute}, today=D(2024, 3, 1))
    assert figures.read({"late": compute}, today=D(2024, 3, 2))["late"] == 2


def test_a_file_saved_forgets_the_figures_at_once_and_after_the_commit(coordination, stage):
    compute, calls = _counter()
    figures.read({"n": compute})
    make_ratified(factories.NeighbourhoodFactory(), stage)
    assert figures.read({"n": compute})["n"] == 2  # this transaction sees its own write
    # and the other processes once it commits (one callback, however many rows changed)
    forgetting = [f for _ids, f, *_ in connection.run_on_commit if f is figures._forget_now]
    assert len(forgetting) == 1


def _status_groupings(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in context.captured_queries
            if 'GROUP BY' in q["sql"] and '"proposals_proposal"."status"' in q["sql"]]


def test_the_coordination_home_counts_files_once_then_follows_a_new_file(
        client, coordination, stage):
    add_files(stage, 2)
    client.force_login(coordination)
    home = reverse("home")
    assert _status_groupings(client, home)  # counted on the first view
    assert not _status_groupings(client, home)  # then kept
    add_files(stage, 1)  # one more ratified file, through the services
    counts = {row["status"]: row["count"] for row in client.get(home).context["status_counts"]}
    assert counts["ratified"] == Proposal.objects.filter(status="ratified").count() == 3


def test_the_dashboard_s_tables_are_kept_until_a_report_changes(client, coordination, stage):
    add_files(stage, 2)
    client.force_login(coordination)
    url = reverse("reporting:dashboard")
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    assert not [q for q in context.captured_queries
                if 'SUM("reporting_allocationyear"."amount")' in q["sql"]]
    add_files(stage, 1)
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    assert [q for q in context.captured_queries
            if 'SUM("reporting_allocationyear"."amount")' in q["sql"]]
