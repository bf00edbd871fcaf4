"""The homes' one-series charts (reporting.charts.hbar_chart, templates/reporting/_chart_hbar.html):
each bar labelled in text, the same numbers in a table beside the chart, in either language."""

import re
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from pic.formatting import format_money
from reporting.charts import BAR_AREA, hbar_chart

ROWS = [("2024", Decimal("85000")), ('<script>alert("x")</script>', Decimal("40000")),
        ("2026", Decimal("0"))]


def chart(rows=ROWS, **kwargs):
    return hbar_chart(chart_id="chart-year", title="Montants par année", label_heading="Année",
                      value_label="Montant", rows=rows, **kwargs)


def render(language="fr", **kwargs):
    with translation.override(language):
        return render_to_string("reporting/_chart_hbar.html", {"chart": chart(**kwargs)})


def test_bars_are_proportional_and_a_zero_draws_no_bar():
    widths = [bar.width for bar in chart().bars]
    assert widths == [BAR_AREA, int(BAR_AREA * 40000 / 85000), 0]
    assert len(re.findall(r'<rect class="chart-bar', render())) == 2


def test_every_number_is_in_the_table_beside_the_chart_in_the_readers_language():
    for language in ("fr", "en"):
        html = render(language)
        table = html[html.index("<table>"):]
        for _label, value in ROWS:
            assert f'<td class="num">{format_money(value, language)}</td>' in table
        assert '<title id="chart-year-title">Montants par année</title>' in html


def test_labels_are_text_escaped_and_long_ones_shortened_in_the_drawing_only():
    html = render()
    assert "<script>" not in html
    long = "Villeray–Saint-Michel–Parc-Extension et environs"
    drawn = chart(rows=[(long, Decimal("1"))]).bars[0]
    assert drawn.short_label.endswith("…")
    assert len(drawn.short_label) < len(long)
    assert long in render(rows=[(long, Decimal("1"))])  # whole in the table


def test_counts_are_not_money():
    html = render(rows=[("Déposée", 1234)], money=False)
    assert "$" not in html
    assert "1234" in html or "1 234" in html or "1\xa0234" in html


def test_no_rows_no_chart():
    assert chart(rows=[]) is None
