"""The coordination home's and the follow-up dashboard's first-ten lists (issue 10: flat with
the data): each row reads as before, in the same order (the oldest first), and the lists read
only the columns they show, never a file's, report's or check-in's long texts."""

import datetime

from django.db import connection
from django.db.models import TextField
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pic.access import SYSTEM
from proposals.models import Proposal
from reporting.models import CheckIn, Report
from reporting.services import allocations
from tests import factories
from tests.governance.conftest import make_proposal

from .conftest import make_ratified
from .test_overdue_and_todo import _add as add_late_files

D = datetime.date


def _long_text_columns() -> list[str]:
    """Every long text of a file, a report and a check-in, as the SQL names its column."""
    columns = [f'"proposals_proposal"."{Proposal._meta.get_field(f).column}"'
               for f in Proposal.LONG_TEXT]
    for model in (Report, CheckIn):
        columns += [f'"{model._meta.db_table}"."{f.column}"' for f in model._meta.fields
                    if isinstance(f, TextField)]
    return columns


def test_the_letters_to_send_come_oldest_ratification_first(client, coordination, stage):
    for ratified_on, name in ((D(2024, 5, 2), "Mai"), (D(2024, 3, 1), "Mars"),
                              (D(2024, 4, 9), "Avril")):
        make_ratified(factories.NeighbourhoodFactory(name=name), stage, ratified_on=ratified_on,
                      title=f"Dossier de {name}")
    client.force_login(coordination)
    html = client.get(reverse("home")).content.decode()
    letters = html[html.index('id="lettres-titre"'):]
    letters = letters[:letters.index("</section>")]
    assert letters.index("Mars — Dossier de Mars") < letters.index("Avril — Dossier de Avril") \
        < letters.index("Mai — Dossier de Mai")
    assert "(entérinée le 1er mars 2024)" in letters


def test_the_lists_read_no_long_text_and_their_rows_read_as_before(
        client, coordination, stage, saint_michel):
    ratification = make_ratified(saint_michel, stage, title="Mobilisation alimentaire")
    allocations.allocation_create_for_ratification(ratification=ratification, actor=SYSTEM)
    make_proposal(saint_michel, stage, title="Limite passée",
                  deadline=timezone.localdate() - datetime.timedelta(weeks=9))
    client.force_login(coordination)
    urls = [reverse("home"), reverse("reporting:dashboard"),
            reverse("reporting:overdue-decisions"), reverse("reporting:overdue-reports"),
            reverse("reporting:overdue-checkins")]
    with CaptureQueriesContext(connection) as context:
        pages = [client.get(url).content.decode() for url in urls]
    home, dashboard, decisions, reports, checkins = pages
    read = "\n".join(q["sql"] for q in context.captured_queries)
    assert [column for column in _long_text_columns() if column in read] == []

    # what each list shows of its rows
    report = "Rapport annuel 1 — Saint-Michel — Mobilisation alimentaire</a>"
    shown = {home: ["Saint-Michel — Limite passée</a>", "Saint-Michel — Rapport annuel</a>"],
             dashboard: [report], reports: [report],
             decisions: ["Saint-Michel — Limite passée</a>"],
             checkins: ["Saint-Michel — année 1</a>"]}
    assert [row for page, rows in shown.items() for row in rows if row not in page] == []


def test_the_home_shows_ten_of_each_list_and_links_to_the_whole_list(
        client, coordination, stage):
    add_late_files(stage, 12)  # 12 files past their limit, 12 allocations with a late report
    client.force_login(coordination)
    response = client.get(reverse("home"))
    html = response.content.decode()
    for bounded, full in (("near_limit", "reporting:overdue-decisions"),
                          ("late_reports", "reporting:overdue-reports")):
        shown = response.context[bounded]
        assert len(shown.rows) == 10
        assert f'<a href="{reverse(full)}">et {shown.total - 10} autres</a>' in html
    # the oldest limit first
    assert [p.title for p in response.context["near_limit"].rows] == [
        f"Décision {n}" for n in range(11, 1, -1)]
