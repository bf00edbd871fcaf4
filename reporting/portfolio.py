"""The program's money, kept in the cache (`pic.cache`'s backend) and forgotten as soon as a
program, an allocation, one of its years, an instalment, a payment or an envelope changes
(after the commit): the envelope per year (the coordination home and dashboard, through
selectors.envelope_by_year_cached, and the portfolio) and the partners' portfolio
charts by year, stage and borough, each with its table."""

from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pic import figures
from pic.i18n_fields import localized_value
from pic.models import User
from proposals.models import Program

from .charts import hbar_chart
from .dashboards import portfolio_live, portfolio_money
from .models import (
    Allocation,
    AllocationYear,
    Disbursement,
    FunderContribution,
    Instalment,
    ProgramEnvelope,
)
from .selectors import ENVELOPE_CACHE, envelope_figures

CACHE_PREFIX = "pic:money:v1:"  # change the version when the shape of the figures changes
CACHE_SECONDS = 6 * 3600  # a safety net only: every change clears the figures at once


def _cache_key(language: str) -> str:
    return f"{CACHE_PREFIX}{language}"


def _forget_now() -> None:
    cache.delete_many([_cache_key(code) for code, _name in settings.LANGUAGES]
                      + [f"{ENVELOPE_CACHE}{pk}"
                         for pk in Program.objects.values_list("pk", flat=True)])


_forget_now.pic_cache_forget = True  # tests counting a transaction's side effects skip it


def portfolio_figures_forget_now() -> None:
    """At once: after bulk inserts, which send no signal (seed_scale, in the bench); the
    program's counts (pic.figures) with the money."""
    _forget_now()
    figures.forget_now()


def portfolio_figures_forget() -> None:
    """Forget the cached figures (every language) once the current transaction commits:
    one callback per transaction, however many rows it changes."""
    figures.on_commit_once(_forget_now)


def _amounts() -> tuple[dict, dict, dict]:
    """The amounts committed (allocation years) by calendar year, by stage and by borough,
    folded from one grouped query (a few hundred rows at most, whatever the number of
    allocations: years x stages x boroughs)."""
    by_year: dict = {}
    by_stage: dict = {}
    by_borough: dict = {}
    rows = (AllocationYear.objects.annotate(calendar_year=ExtractYear("starts_on"))
            .values("calendar_year", "allocation__stage__number", "allocation__stage__name",
                    "allocation__stage__name_en", "allocation__neighbourhood__borough")
            .annotate(total=Sum("amount")).order_by())
    for row in rows:
        stage = (row["allocation__stage__number"], row["allocation__stage__name"],
                 row["allocation__stage__name_en"])
        for table, key in ((by_year, row["calendar_year"]), (by_stage, stage),
                           (by_borough, row["allocation__neighbourhood__borough"] or "")):
            table[key] = table.get(key, Decimal("0")) + row["total"]
    return by_year, by_stage, by_borough


MAX_BARS = 20  # a chart stays readable: past that, the smallest are added up as « Autres »


def _top(rows: list[tuple]) -> list[tuple]:
    if len(rows) <= MAX_BARS:
        return rows
    rest = sum((total for _label, total in rows[MAX_BARS - 1:]), Decimal("0"))
    return [*rows[:MAX_BARS - 1], (_("Autres"), rest)]


def _stage_label(stage: tuple) -> str:
    number, name, name_en = stage
    return f"{number} — {localized_value(name, name_en)}"


def _money_figures() -> dict:
    """The money the portfolio home shows, in the active language (the labels of the charts
    are translated here; amounts are formatted by the template)."""
    figures = portfolio_money()
    by_year, by_stage, by_borough = _amounts()
    amount = _("Montant engagé")
    figures["money_charts"] = [chart for chart in (
        hbar_chart(chart_id="chart-year", title=_("Montants engagés par année"),
                   label_heading=_("Année"), value_label=amount,
                   rows=[(str(year), total) for year, total in sorted(by_year.items())]),
        hbar_chart(chart_id="chart-stage", title=_("Montants engagés par étape"),
                   label_heading=_("Étape"), value_label=amount,
                   rows=[(_stage_label(stage), total)
                         for stage, total in sorted(by_stage.items(), key=lambda i: i[0][:2])]),
        hbar_chart(chart_id="chart-borough", title=_("Montants engagés par arrondissement"),
                   label_heading=_("Arrondissement ou ville"), value_label=amount,
                   rows=_top(sorted(((borough or _("non précisé"), total)
                                     for borough, total in by_borough.items()),
                                    key=lambda row: (-row[1], row[0])))),
        hbar_chart(chart_id="chart-funder", title=_("Montants engagés par bailleur de fonds"),
                   label_heading=_("Bailleur de fonds"), value_label=amount,
                   rows=_by_funder()),
    ) if chart is not None]
    return figures


def _by_funder() -> list[tuple[str, Decimal]]:
    """Committed amounts by funder: each funder's share of every year it contributes to
    (reporting.selectors.envelope_figures, the envelope page's figures), largest first."""
    totals: dict[str, Decimal] = {}
    for program in Program.objects.all():
        for year in envelope_figures(program=program):
            for share in year.funders:
                name = share.funder.short_name or share.funder.name
                totals[name] = totals.get(name, Decimal("0")) + share.committed
    return sorted(totals.items(), key=lambda row: (-row[1], row[0]))


def money_figures() -> dict:
    """The program's money (the programs, the envelope per year, the portfolio's charts) in
    the active language: from the cache, or computed and kept there. Aggregates over the whole
    program, the same for everyone who may see them (callers check who may)."""
    key = _cache_key(get_language() or settings.LANGUAGE_CODE)
    money = cache.get(key)
    if money is None:
        money = _money_figures()
        cache.set(key, money, CACHE_SECONDS)
    return money


def portfolio_home(*, user: User) -> dict:
    """The program's portfolio for partners (read-only, coordination staff too): aggregates
    over every neighbourhood, never a file, a person or a draft. The files and indicators
    (`portfolio_live` checks first that the user may read the portfolio) and the money, each
    from the cache."""
    return {**portfolio_live(user=user), **money_figures()}


def _changed(sender, **kwargs) -> None:
    portfolio_figures_forget()


def connect_signals() -> None:
    """Called once by reporting.apps: whatever writes money (services, admin, imports)."""
    for model in (Program, Allocation, AllocationYear, Disbursement, ProgramEnvelope,
                  FunderContribution, Instalment):
        for signal in (post_save, post_delete):
            signal.connect(_changed, sender=model, dispatch_uid=f"portfolio-{model.__name__}")
