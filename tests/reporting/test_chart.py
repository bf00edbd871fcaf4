"""The dashboards' bar chart: geometry computed in Python (reporting.dashboards.bar_chart),
markup in templates/reporting/_chart_bar.html, with no inline style and its table of numbers."""

import re
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from pic.formatting import format_money
from reporting.dashboards import bar_chart

ROWS = [
    {"calendar_year": 2024, "allocation__stage__number": 1,
     "allocation__stage__name": "Planification", "total": Decimal("40000")},
    {"calendar_year": 2024, "allocation__stage__number": 2,
     "allocation__stage__name": '<script>alert("x")</script> & co', "total": Decimal("85000")},
    {"calendar_year": 2025, "allocation__stage__number": 3,
     "allocation__stage__name": "Déploiement", "total": Decimal("1234.50")},
]


def render(rows, language="fr"):
    with translation.override(language):
        return render_to_string("reporting/_chart_bar.html", {"chart": bar_chart(rows)})


def test_one_bar_per_stage_and_year_grouped_by_year():
    html = render(ROWS)
    assert len(re.findall(r'<rect class="chart-bar ', html)) == 3
    assert re.findall(r'<text class="chart-year"[^>]*>(\d+)</text>', html) == ["2024", "2025"]
    assert re.findall(r'class="chart-bar (chart-bar-\w+)"', html) == [
        "chart-bar-solid", "chart-bar-hatch", "chart-bar-dots"]


def test_the_longest_bar_is_the_largest_amount():
    chart = bar_chart(ROWS)
    widths = [bar.width for group in chart.groups for bar in group.bars]
    assert widths[1] == max(widths) == 360
    assert widths[0] == int(360 * 40000 / 85000)
    assert widths[2] >= 1


def test_no_inline_style_anywhere_in_the_chart():
    html = render(ROWS)
    assert "style=" not in html
    assert "<style" not in html
    assert "<script" not in html


def test_every_text_is_escaped():
    html = render(ROWS)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in html


def test_amounts_read_in_french_and_in_english():
    french, english = render(ROWS, "fr"), render(ROWS, "en")
    for language, html in (("fr", french), ("en", english)):
        for amount in ("40000", "85000", "1234.50"):
            assert html.count(format_money(Decimal(amount), language)) == 2  # bar and table
    assert "85\u202f000\u00a0$" in french
    assert "$85,000" in english
    assert "$1,234.50" in english
    assert "Étape 2" in french
    assert "Stage 2" in english


def test_the_chart_is_titled_and_paired_with_its_table():
    html = render(ROWS)
    assert '<svg role="img"' in html
    assert '<title id="chart-title">Allocations par étape et par année</title>' in html
    assert html.count("<tr>") == 1 + 3  # the header and one row per bar
    assert "<caption>Données du graphique</caption>" in html


def test_no_chart_without_allocations():
    assert bar_chart([]) is None
