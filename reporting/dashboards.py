"""Dashboards: every number comes from a fixed set of aggregate queries (no per-file query),
and the chart is drawn server-side as SVG (its geometry here, its markup in
templates/reporting/_chart_bar.html) with text labels and a data table."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, ExtractYear, JSONObject
from django.utils.translation import gettext as _

from governance.selectors import AT_RISK_DAYS, awaiting_decision
from neighbourhoods.models import AdvisorAssignment, Neighbourhood
from pic import figures
from pic.access import ensure
from pic.i18n_fields import localized_value
from pic.models import User
from proposals.models import Contact, IndicatorDefinition, Initiative, Program, Proposal
from proposals.states import AWAITING_RATIFICATION

from .models import Allocation, AllocationYear, CheckIn, IndicatorValue, Report
from .selectors import envelope_by_year_cached, overdue_checkins, overdue_reports

OPEN_REPORT = Report.TO_HAND_IN


def files_by_stage_and_status(*, user: User) -> dict:
    return _files_table(_files_counts(Proposal.objects.visible_to(user)))


def _files_counts(proposals: QuerySet[Proposal]) -> list[tuple]:
    """(stage number, name, English name, status, files): one grouped query."""
    return list(proposals.order_by()
                .values_list("stage__number", "stage__name", "stage__name_en", "status")
                .annotate(n=Count("pk")).order_by("stage__number", "status"))


def _files_table(counts: list[tuple]) -> dict:
    """{"statuses": [(value, label)], "rows": [{number, name, counts, total}]}."""
    stages, cells = {}, {}
    for number, name, name_en, status, n in counts:
        stages[number] = localized_value(name, name_en)
        cells[(number, status)] = n
    statuses = [(v, label) for v, label in Proposal.Status.choices
                if any(s == v for (_n, s) in cells)]
    table = [
        {"number": n, "name": name,
         "counts": [cells.get((n, v), 0) for v, _l in statuses],
         "total": sum(cells.get((n, v), 0) for v, _l in statuses)}
        for n, name in sorted(stages.items())
    ]
    return {"statuses": statuses, "rows": table}


@dataclass(frozen=True)
class DecisionRow:
    proposal: Proposal
    deadline: datetime.date
    days_left: int


def decisions_at_risk(*, user: User, today: datetime.date) -> QuerySet[Proposal]:
    """Undecided files whose eight-week limit is within 14 days or passed, soonest first: the
    limit kept on each file (`ratification_due_on`), filtered and sorted by its index; only
    what the lists show (the file, its neighbourhood, the limit)."""
    horizon = today + datetime.timedelta(days=AT_RISK_DAYS)
    return (awaiting_decision(Proposal.objects.visible_to(user))
            .filter(ratification_due_on__lte=horizon)
            .select_related("neighbourhood")
            .only("title", "ratification_due_on", "neighbourhood__name")
            .order_by("ratification_due_on", "pk"))


def decision_rows(proposals, *, today: datetime.date) -> list[DecisionRow]:
    return [DecisionRow(p, p.ratification_due_on, (p.ratification_due_on - today).days)
            for p in proposals]


# The dashboard shows the first rows of each overdue list, with a link to the whole list.
DASHBOARD_ROWS = 10


def first_rows(queryset: QuerySet, n: int = DASHBOARD_ROWS) -> tuple[list, bool]:
    """The first `n` rows and whether there are more: one query (n + 1 rows), no COUNT."""
    rows = list(queryset[:n + 1])
    return rows[:n], len(rows) > n


def allocations_by_stage_and_year(*, user: User) -> list[dict]:
    return _allocations_table(_allocation_sums(AllocationYear.objects.visible_to(user)))


def _allocation_sums(years: QuerySet[AllocationYear]) -> list[dict]:
    """Sum of allocation years per stage and calendar year (the year a year starts)."""
    return list(
        years
        .annotate(calendar_year=ExtractYear("starts_on"))
        .values("allocation__stage__number", "allocation__stage__name",
                "allocation__stage__name_en", "calendar_year")
        .annotate(total=Sum("amount"))
        .order_by("calendar_year", "allocation__stage__number"))


def _allocations_table(sums: list[dict]) -> list[dict]:
    """The sums with each stage's name in the active language."""
    return [{**{k: v for k, v in row.items() if k != "allocation__stage__name_en"},
             "allocation__stage__name": localized_value(row["allocation__stage__name"],
                                                        row["allocation__stage__name_en"])}
            for row in sums]


def indicator_rollup(*, user: User) -> list[dict]:
    return _indicator_table(IndicatorValue.objects.visible_to(user))


def _indicator_table(values: QuerySet[IndicatorValue]) -> list[dict]:
    """Indicators rolled up across neighbourhoods and years (by name and unit); a report
    counts in the year its allocation year ends (a final report, which has no allocation
    year: the stage's last year; the due date's year only as a last resort, so a row never
    lacks its year). Each indicator's target counts once per year, however many reports
    give a value for it that year. One query, folded here."""
    rows = (values
            .annotate(year=Coalesce(ExtractYear("report__allocation_year__ends_on"),
                                    ExtractYear("report__allocation__ends_on"),
                                    ExtractYear("report__due_on")),
                      # a catalogue entry groups its indicators whatever each one is named
                      group_name=Coalesce("indicator__definition__name", "indicator__name"),
                      group_unit=Coalesce("indicator__definition__unit", "indicator__unit"))
            .values("group_name", "group_unit", "year", "indicator_id",
                    "indicator__target", "report__allocation__neighbourhood_id",
                    "indicator__definition__kind", "indicator__question__aim")
            .annotate(actual_sum=Sum("actual"), reports=Count("pk"))
            .order_by())
    table: dict[tuple, dict] = {}
    for row in rows:
        key = (row["group_name"], row["group_unit"], row["year"])
        entry = table.setdefault(key, {"total": Decimal("0"), "targets": {}, "reports": 0,
                                       "neighbourhoods": set(), "aims": set(),
                                       "percent": row["indicator__definition__kind"]
                                       == IndicatorDefinition.Kind.PERCENT})
        entry["total"] += row["actual_sum"]
        entry["reports"] += row["reports"]
        entry["targets"][row["indicator_id"]] = row["indicator__target"]
        entry["neighbourhoods"].add(row["report__allocation__neighbourhood_id"])
        entry["aims"].add(row["indicator__question__aim"] or "")
    result = []
    for (name, unit, year), entry in sorted(table.items(), key=lambda i: i[0]):
        targets = [t for t in entry["targets"].values() if t is not None]
        total, target = entry["total"], sum(targets) if targets else None
        if entry["percent"]:  # a percentage is averaged, never added
            total = total / entry["reports"]
            target = target / len(targets) if targets else None
        aims = sorted(entry["aims"])
        result.append({"indicator__name": name, "indicator__unit": unit, "year": year,
                       "total": total, "target": target,
                       "neighbourhoods": len(entry["neighbourhoods"]),
                       "aim": aims[0] if len(aims) == 1 else ""})
    return result


@dataclass(frozen=True)
class ChartBar:
    """One bar: a stage's total in a year, where it is drawn, and its pattern (a CSS class)."""

    stage_number: int
    stage_name: str
    total: Decimal
    pattern: str
    y: int
    width: int
    text_y: int
    value_x: int


@dataclass(frozen=True)
class ChartGroup:
    year: int
    text_y: int
    bars: list[ChartBar]


@dataclass(frozen=True)
class BarChart:
    """What templates/reporting/_chart_bar.html draws: whole-pixel geometry only (no text is
    formatted here; the template formats amounts in the reader's language)."""

    title: str
    width: int
    height: int
    groups: list[ChartGroup]
    bar_x: int
    bar_height: int


CHART_PATTERNS = ("solid", "hatch", "dots")


def bar_chart(rows: list[dict]) -> BarChart | None:
    """Grouped horizontal bars (one group per year, one bar per stage), each bar labelled with
    its stage and amount in text, and patterned per stage: readable without colour."""
    if not rows:
        return None
    maximum = max(r["total"] for r in rows) or Decimal("1")
    bar_h, gap, bar_x, chart_w = 22, 6, 80, 360
    groups, y = [], 10
    for year in sorted({r["calendar_year"] for r in rows}):
        group_y = y + 14
        y += 22
        bars = []
        for row in [r for r in rows if r["calendar_year"] == year]:
            number = row["allocation__stage__number"]
            width = max(int(Decimal(chart_w) * row["total"] / maximum), 1)
            bars.append(ChartBar(
                stage_number=number, stage_name=row["allocation__stage__name"],
                total=row["total"], pattern=CHART_PATTERNS[(number - 1) % len(CHART_PATTERNS)],
                y=y, width=width, text_y=y + 15, value_x=bar_x + width + 6))
            y += bar_h + gap
        groups.append(ChartGroup(year=year, text_y=group_y, bars=bars))
        y += 8
    return BarChart(title=_("Allocations par étape et par année"), width=bar_x + chart_w + 210,
                    height=y + 10, groups=groups, bar_x=bar_x, bar_height=bar_h)


def coordination_dashboard(*, user: User, today: datetime.date,
                           program: Program | None = None) -> dict:
    program = program or Program.objects.order_by("-starts_on").first()
    decisions, more_decisions = first_rows(decisions_at_risk(user=user, today=today))
    reports, more_reports = first_rows(overdue_reports(user=user, today=today))
    checkins, more_checkins = first_rows(overdue_checkins(user=user, today=today))
    counted = figures.read_for(user, {
        "files": lambda: _files_counts(Proposal.objects.visible_to(user)),
        "allocations": lambda: _allocation_sums(AllocationYear.objects.visible_to(user)),
        "indicators": lambda: indicator_rollup(user=user),
    })
    return {
        "files": _files_table(counted["files"]),
        "program": program,
        "envelopes": envelope_by_year_cached(program=program) if program else [],
        "decisions_at_risk": decision_rows(decisions, today=today),
        "more_decisions": more_decisions,
        "overdue_reports": reports,
        "more_reports": more_reports,
        "overdue_checkins": checkins,
        "more_checkins": more_checkins,
        "chart": bar_chart(_allocations_table(counted["allocations"])),
        "indicators": counted["indicators"],
    }


@dataclass(frozen=True)
class Deadline:
    """A neighbourhood's next obligation: its kind ("report" or "checkin"), its date, and
    whether it is already late."""

    kind: str
    due_on: datetime.date
    overdue: bool


def next_deadline(report_on: datetime.date | None, checkin_on: datetime.date | None,
                  today: datetime.date) -> Deadline | None:
    """The earliest open report or check-in, overdue ones included (a late report is the
    most pressing deadline, not no deadline)."""
    candidates = [(d, kind) for d, kind in ((report_on, "report"), (checkin_on, "checkin")) if d]
    if not candidates:
        return None
    due_on, kind = min(candidates)
    return Deadline(kind=kind, due_on=due_on, overdue=due_on < today)


def _first_of(queryset: QuerySet, field: str) -> Subquery:
    """The earliest `field` of the rows (one row read, by the neighbourhood's index)."""
    return Subquery(queryset.order_by(field).values(field.lstrip("-"))[:1])


def _count_of(queryset: QuerySet) -> Coalesce:
    return Coalesce(Subquery(queryset.order_by().values("neighbourhood")
                             .annotate(n=Count("pk")).values("n")[:1],
                             output_field=IntegerField()), 0)


def advisor_dashboard(*, user: User, today: datetime.date,
                      home: bool = False) -> list[Neighbourhood]:
    """Each followed neighbourhood with its next deadline, open files and what is overdue
    (and, on the follow-up dashboard, not `home`: its stage and last contact), all as
    annotations: one query whatever the number of neighbourhoods. Each figure is one
    subquery a (neighbourhood, date) index serves (the reports and check-ins keep their
    neighbourhood): it reads the row it shows or the overdue rows it counts, not the
    neighbourhood's history. The advisor's home and the follow-up dashboard both read it."""
    reports = Report.objects.to_hand_in().filter(neighbourhood=OuterRef("pk"))
    open_checkins = CheckIn.objects.filter(
        neighbourhood=OuterRef("pk"), held_on__isnull=True,
        allocation_year__allocation__status=Allocation.Status.ACTIVE)
    figures = {
        "next_report": _first_of(reports, "due_on"),
        "overdue_reports": _count_of(reports.filter(due_on__lt=today)),
        "next_checkin": _first_of(open_checkins, "due_on"),
        "overdue_checkins": _count_of(open_checkins.filter(due_on__lt=today)),
        "open_files": _count_of(Proposal.objects.filter(neighbourhood=OuterRef("pk"),
                                                        status__in=AWAITING_RATIFICATION)),
    }
    if not home:
        latest_proposal = Proposal.objects.filter(neighbourhood=OuterRef("pk")).exclude(
            status__in=[Proposal.Status.WITHDRAWN]).order_by("-updated_at")
        figures.update(
            allocation_figures=Subquery(
                Allocation.objects.filter(neighbourhood=OuterRef("pk"),
                                          status=Allocation.Status.ACTIVE)
                .order_by("-starts_on")
                .values(j=JSONObject(stage="stage__name", stage_en="stage__name_en"))[:1]),
            proposal_figures=Subquery(latest_proposal.values(j=JSONObject(
                stage="stage__name", stage_en="stage__name_en", status="status"))[:1]),
            last_checkin=_first_of(CheckIn.objects.filter(neighbourhood=OuterRef("pk"),
                                                          held_on__isnull=False), "-held_on"),
            last_contact_logged=_first_of(Contact.objects.filter(neighbourhood=OuterRef("pk")),
                                          "-date"),
        )
    followed = AdvisorAssignment.objects.filter(advisor=user, ended_at__isnull=True)
    rows = list(Neighbourhood.objects.visible_to(user)
                .filter(pk__in=followed.values("neighbourhood_id"))
                .only("pk", "name", "slug")
                .annotate(**figures).order_by("name"))
    for row in rows:
        row.next_deadline = next_deadline(row.next_report, row.next_checkin, today)
        row.overdue = row.overdue_reports + row.overdue_checkins
        if home:
            continue
        allocation, proposal = row.allocation_figures or {}, row.proposal_figures or {}
        row.allocation_stage = localized_value(allocation.get("stage"), allocation.get("stage_en"))
        row.proposal_stage = localized_value(proposal.get("stage"), proposal.get("stage_en"))
        row.proposal_status = proposal.get("status")
        # a check-in held is a contact too
        row.last_contact = max(filter(None, [row.last_contact_logged, row.last_checkin]),
                               default=None)
    return rows


def neighbourhood_dashboard(*, user: User, today: datetime.date) -> dict:
    """The table's allocations with their years, and its next obligations."""
    from .services.reminders import todo_for

    allocations = list(
        Allocation.objects.visible_to(user)
        .filter(neighbourhood__memberships__user=user,
                neighbourhood__memberships__ended_at__isnull=True)
        .select_related("neighbourhood", "stage", "initiative", "proposal")
        .annotate(total=Sum("years__amount"))
        .order_by("-starts_on"))
    upcoming = list(
        Report.objects.visible_to(user)
        .filter(allocation__in=[a.pk for a in allocations], status__in=OPEN_REPORT)
        .select_related("allocation__proposal__neighbourhood", "allocation_year")
        .order_by("due_on")[:10])
    initiatives = list(
        Initiative.objects.visible_to(user)
        .filter(neighbourhood__memberships__user=user,
                neighbourhood__memberships__ended_at__isnull=True)
        .select_related("neighbourhood").order_by("status", "-created_at").distinct())
    return {"allocations": allocations, "upcoming_reports": upcoming, "initiatives": initiatives,
            "todo": todo_for(user=user, today=today)}


__all__ = ["advisor_dashboard", "coordination_dashboard", "neighbourhood_dashboard"]


def portfolio_live(*, user: User) -> dict:
    """The portfolio's figures that follow the files and reports (kept between views, and
    forgotten when a file or a report changes: pic.figures)."""
    ensure(user, "portfolio.read")
    counted = figures.read({
        "portfolio_files": lambda: _files_counts(
            Proposal.objects.exclude(status=Proposal.Status.DRAFT)),
        "portfolio_indicators": lambda: _indicator_table(IndicatorValue.objects.all()),
    })
    return {"files": _files_table(counted["portfolio_files"]),
            "indicators": counted["portfolio_indicators"]}


def portfolio_money() -> dict:
    """The portfolio's money (what reporting.portfolio keeps in the cache)."""
    programs = list(Program.objects.order_by("-starts_on"))
    program = programs[0] if programs else None
    return {
        "programs": programs,
        "program": program,
        "envelopes": envelope_by_year_cached(program=program) if program else [],
        "neighbourhood_count": Neighbourhood.objects.filter(
            pk__in=Allocation.objects.values("neighbourhood")).count(),
    }
