"""One-series bar charts for the homes: a label and a number per row, its bar drawn server-side
as SVG (geometry here, markup in templates/reporting/_chart_hbar.html) with the same numbers in a
table beside it, so no chart is ever shown without its table."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class HBar:
    label: str
    short_label: str  # drawn in the chart; the table beside it holds the whole label
    value: Decimal | int
    y: int
    width: int
    text_y: int
    value_x: int
    href: str = ""


@dataclass(frozen=True)
class HBarChart:
    """What templates/reporting/_chart_hbar.html draws: one bar per row, labelled in text
    (never by colour alone), with the same numbers in a table beside it. `money` says how the
    template formats the numbers (in the reader's language); `chart_id` keeps the ids of
    several charts on one page apart."""

    chart_id: str
    title: str
    label_heading: str
    value_label: str
    money: bool
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[HBar]


CHAR_PX, LABEL_MAX_CHARS, BAR_AREA, VALUE_AREA = 8, 28, 300, 130


def hbar_chart(*, chart_id: str, title: str, label_heading: str, value_label: str,
               rows: list[tuple], money: bool = True) -> HBarChart | None:
    """rows: (label, value) or (label, value, href). Whole pixels only."""
    if not rows:
        return None
    bar_h, gap = 20, 8
    maximum = max(row[1] for row in rows) or 1
    longest = min(max(len(str(row[0])) for row in rows), LABEL_MAX_CHARS)
    label_w = longest * CHAR_PX + 16
    bars, y = [], 8
    for row in rows:
        label, value = str(row[0]), row[1]
        width = int(Decimal(BAR_AREA) * Decimal(value) / Decimal(maximum)) if value else 0
        short = label if len(label) <= LABEL_MAX_CHARS else label[:LABEL_MAX_CHARS - 1] + "…"
        bars.append(HBar(label=label, short_label=short, value=value, y=y,
                         width=max(width, 1) if value else 0, text_y=y + 15,
                         value_x=label_w + max(width, 1) + 6,
                         href=row[2] if len(row) > 2 else ""))
        y += bar_h + gap
    return HBarChart(chart_id=chart_id, title=title, label_heading=label_heading,
                     value_label=value_label, money=money,
                     width=label_w + BAR_AREA + VALUE_AREA, height=y + 4, label_width=label_w,
                     bar_height=bar_h, bars=bars)
