"""The demo's calendar, one rule for every date the demo names: its story is written as if
today were ANCHOR, and each of its dates moves by the same number of days to the day the demo
is seeded (`shift`), so that on any day a window closes in a few weeks, the files sit inside
their clocks and the reports fall due around today.

The day the story is set is the day the demo was first seeded: its program's start date keeps
it, so seeding again later moves nothing (seed_demo changes nothing the second time)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from .models import Program
from .rules import MONTREAL

ANCHOR = datetime.date(2024, 2, 5)  # the demo is written as if today were this Monday
PROGRAM_SLUG = "pic-phase-2"
PROGRAM_STARTS = datetime.date(2021, 9, 1)  # at ANCHOR; the program's start keeps the shift

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def demo_today() -> datetime.date:
    """The day the demo's story is set: the day it was first seeded, else today."""
    starts = (Program.objects.filter(slug=PROGRAM_SLUG).values_list("starts_on", flat=True)
              .first())
    if starts is None:
        return timezone.localdate()
    return starts + (ANCHOR - PROGRAM_STARTS)


def shift(day: str | datetime.date) -> datetime.date:
    """A date of the story (ISO text or date, as of ANCHOR) on the demo's calendar."""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return day + (demo_today() - ANCHOR)


def month_shift(day: str | datetime.date) -> datetime.date:
    """A date of the story moved by whole months instead (the same day of the month), the
    same number for every date, and never more than a month after `shift(day)`. For the
    ratifications that make allocations: an allocation starts on the first of a month, so
    these keep the story's months between them (Hochelaga's allocation starts the month after
    Saint-Michel's) whatever the day the demo is seeded."""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    today = demo_today()
    months = (today.year - ANCHOR.year) * 12 + today.month - ANCHOR.month
    if ANCHOR + relativedelta(months=months) < today:
        months += 1
    return day + relativedelta(months=months)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """That day (already on the demo's calendar) at `hour`, Montreal time."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=MONTREAL)


def year(number: int) -> int:
    """A year the story names (« Plan de quartier 2021-2026 »), on the demo's calendar."""
    return shift(datetime.date(number, 7, 1)).year


def month_year(day: str | datetime.date) -> str:
    """« juin 2023 » for a date of the story."""
    day = shift(day)
    return f"{MONTHS[day.month - 1]} {day.year}"


def date_fr(day: datetime.date) -> str:
    """« 1er février 2022 », as the program writes its deadlines."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def date_en(day: datetime.date) -> str:
    """« February 1, 2022 »."""
    return f"{MONTHS_EN[day.month - 1]} {day.day}, {day.year}"
