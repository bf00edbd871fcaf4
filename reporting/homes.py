"""What the role homes show, read in a fixed number of queries whatever the size of the program
(issue 10: 1,000 neighbourhoods, 20,000 files): each list is bounded (its first ten, read by
index), its total and the program's counts kept between views (pic.figures), the
neighbourhoods paginated, the money summed by the database."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from governance.selectors import AT_RISK_DAYS
from neighbourhoods.selectors import neighbourhood_list
from pic import figures
from pic.i18n_fields import localized_value
from pic.models import User
from proposals import selectors as proposal_selectors
from proposals.models import Program, Proposal
from proposals.states import UNDECIDED

from .charts import hbar_chart
from .dashboards import advisor_dashboard, decisions_at_risk
from .selectors import envelope_by_year_cached, overdue_reports

FIRST = 10  # rows shown of each "to act on" list; the full list is one link away
NEIGHBOURHOODS_PER_PAGE = 25


@dataclass(frozen=True)
class Bounded:
    """The first rows of a list and how many there are in all."""

    rows: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def first_rows_of(queryset: QuerySet, *, total: int, n: int = FIRST) -> Bounded:
    """The first `n` rows, read now (by the list's index), and a total counted elsewhere
    (pic.figures: the program's counts kept between views)."""
    rows = list(queryset[:n])
    return Bounded(rows=rows, total=max(total, len(rows)))


@dataclass(frozen=True)
class Pipeline:
    """Submitted files not decided yet by a committee, and what they ask for."""

    files: int
    requested: Decimal
    by_stage: list[tuple[int, str, int, Decimal]]  # (number, name, files, requested)


def _pipeline_rows(user: User) -> list[tuple]:
    """Per stage: the undecided files and the sum of the yearly amounts they ask for
    (capacity building apart). One query, over the undecided files only."""
    return [(row["stage__number"], row["stage__name"], row["stage__name_en"], row["files"],
             row["requested"] or Decimal("0"))
            for row in (Proposal.objects.visible_to(user).filter(status__in=UNDECIDED)
                        .order_by().values("stage__number", "stage__name", "stage__name_en")
                        .annotate(files=Count("pk", distinct=True),
                                  requested=Sum("years__amount")))]


def _pipeline(rows: list[tuple]) -> Pipeline:
    by_stage = sorted((number, localized_value(name, name_en), files, requested)
                      for number, name, name_en, files, requested in rows)
    return Pipeline(files=sum(r[2] for r in by_stage),
                    requested=sum((r[3] for r in by_stage), Decimal("0")), by_stage=by_stage)


def _status_chart(status_counts: list[dict]):
    url = reverse("proposals:proposal-list")
    return hbar_chart(
        chart_id="chart-status", title=_("Dossiers par état"), label_heading=_("État"),
        value_label=_("Dossiers"), money=False,
        rows=[(row["label"], row["count"], f"{url}?status={row['status']}")
              for row in status_counts])


def coordination_home(*, user: User, today: datetime.date, page: str | int | None) -> dict:
    """Money first (the envelope per year, the pipeline), the files by state, what needs
    action this week, then the neighbourhoods, one page at a time."""
    programs = list(Program.objects.order_by("-starts_on"))
    program = programs[0] if programs else None
    letters = (Proposal.objects.visible_to(user).filter(status=Proposal.Status.RATIFIED)
               .select_related("neighbourhood", "ratification")
               .only("title", "neighbourhood__name", "ratification__ratified_on")
               .order_by("ratification__ratified_on", "pk"))
    at_risk = decisions_at_risk(user=user, today=today)
    late = overdue_reports(user=user, today=today)
    counted = figures.read_for(user, {
        "status_totals": lambda: proposal_selectors.status_totals(user=user),
        "pipeline": lambda: _pipeline_rows(user),
        "decisions_at_risk": at_risk.count,
        "late_reports": late.count,
        "letters_waiting": letters.count,
    }, today=today)
    status_counts = proposal_selectors.status_counts(counted["status_totals"])
    near_limit = first_rows_of(at_risk, total=counted["decisions_at_risk"])
    for proposal in near_limit.rows:
        proposal.limit = proposal.ratification_due_on
    neighbourhoods: Page = Paginator(neighbourhood_list(user=user).order_by("name"),
                                     NEIGHBOURHOODS_PER_PAGE).get_page(page)
    return {
        "program": program,
        "envelopes": envelope_by_year_cached(program=program) if program else [],
        "pipeline": _pipeline(counted["pipeline"]),
        "status_counts": status_counts,
        "status_chart": _status_chart(status_counts),
        "near_limit": near_limit,
        "at_risk_days": AT_RISK_DAYS,
        "late_reports": first_rows_of(late, total=counted["late_reports"]),
        "letters_waiting": first_rows_of(letters, total=counted["letters_waiting"]),
        "neighbourhoods": neighbourhoods.object_list,
        "page_obj": neighbourhoods,
    }


# The advisor home's columns: the URL's `tri` (a leading "-": descending) and its key.
ADVISOR_SORTS = {
    "quartier": lambda n: n.name.casefold(),
    "echeance": lambda n: (n.next_deadline is None,
                           n.next_deadline.due_on if n.next_deadline else datetime.date.max),
    "dossiers": lambda n: n.open_files,
    "retard": lambda n: n.overdue,
}


def advisor_home(*, user: User, today: datetime.date, sort: str | None) -> dict:
    """Each followed neighbourhood with its next deadline, open files and what is overdue,
    sorted by the column the URL names (default: the next deadline first)."""
    sort = sort if (sort or "").lstrip("-") in ADVISOR_SORTS else "echeance"
    rows = advisor_dashboard(user=user, today=today, home=True)
    key = ADVISOR_SORTS[sort.lstrip("-")]
    if sort.startswith("-"):
        # descending, with the rows that have no value (no deadline) still last
        rows.sort(key=lambda n: key(n), reverse=True)
        if sort == "-echeance":
            rows.sort(key=lambda n: n.next_deadline is None)
    else:
        rows.sort(key=key)
    return {"rows": rows, "sort": sort}
