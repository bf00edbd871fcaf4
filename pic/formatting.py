"""How money and dates read on screen, in French (the default) or English.

One place for the display format, so every template says the same thing:

- money: French "3 000 000 $" (narrow no-break space between thousands, no-break space before
  the dollar sign), English "$3,000,000"; cents only when the amount is not whole
  ("1 234,50 $" / "$1,234.50"); a negative amount keeps its sign in front ("-1 500 $" /
  "-$1,500").
- numbers (counts, indicators): "60", "1 250", "12,5" / "12.5" (format_number).
- dates: French "14 octobre 2022", "1er juin 2025"; English "October 14, 2022".
- date and time: French "14 octobre 2022, 14 h 30"; English "October 14, 2022, 2:30 p.m.".

A missing value (None or "") reads "—". Machine-read values (<time datetime>, CSV, exports)
keep ISO 8601 and do not go through here.

The language is the active one (`get_language()`) unless given; anything starting with "en"
is English, everything else French.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language

MISSING = "—"
NBSP = "\u00a0"  # no-break space: between the number and "$" in French
NNBSP = "\u202f"  # narrow no-break space: the French thousands separator

MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


def _language(language: str | None) -> str:
    code = (language or get_language() or settings.LANGUAGE_CODE or "fr").lower()
    return "en" if code.startswith("en") else "fr"


def _decimal(amount) -> Decimal | None:
    if isinstance(amount, Decimal):
        return amount
    if isinstance(amount, float):
        return Decimal(repr(amount))
    try:
        return Decimal(str(amount).strip())
    except (InvalidOperation, ValueError):
        return None


def _group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return separator.join(parts)


def format_money(amount, language: str | None = None) -> str:
    """`amount` (Decimal, int, float or numeric string) in dollars, for display."""
    if amount is None or amount == "":
        return MISSING
    value = _decimal(amount)
    if value is None or not value.is_finite():
        return str(amount)
    value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    negative = value < 0
    whole, cents = f"{abs(value):.2f}".split(".")
    lang = _language(language)
    if lang == "en":
        number = _group(whole, ",") + ("" if cents == "00" else f".{cents}")
        text = f"${number}"
    else:
        number = _group(whole, NNBSP) + ("" if cents == "00" else f",{cents}")
        text = f"{number}{NBSP}$"
    return f"-{text}" if negative else text


def format_number(value, language: str | None = None) -> str:
    """A count or a measure: whole numbers without decimals (« 60 familles », not « 60,00 »),
    others with theirs (« 12,5 » / "12.5"); thousands grouped as money is."""
    if value is None or value == "":
        return MISSING
    number = _decimal(value)
    if number is None or not number.is_finite():
        return str(value)
    negative = number < 0
    text = format(abs(number).normalize(), "f")
    whole, _dot, fraction = text.partition(".")
    lang = _language(language)
    grouped = _group(whole, "," if lang == "en" else NNBSP)
    if fraction:
        grouped += ("." if lang == "en" else ",") + fraction
    return f"-{grouped}" if negative else grouped


def _as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def format_date(date, language: str | None = None) -> str:
    """A date (or an aware datetime, read in local time) as a human day."""
    if date is None or date == "":
        return MISSING
    day = _as_date(date)
    if day is None:
        return str(date)
    lang = _language(language)
    month = MONTHS[lang][day.month - 1]
    if lang == "en":
        return f"{month} {day.day}, {day.year}"
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {month} {day.year}"


def format_time(moment: datetime.time | datetime.datetime, language: str | None = None) -> str:
    if isinstance(moment, datetime.datetime):
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        moment = moment.time()
    if _language(language) == "en":
        hour = moment.hour % 12 or 12
        suffix = "a.m." if moment.hour < 12 else "p.m."
        return f"{hour}:{moment.minute:02d}{NBSP}{suffix}"
    minutes = f"{NBSP}{moment.minute:02d}" if moment.minute else ""
    return f"{moment.hour}{NBSP}h{minutes}"


def format_datetime(moment, language: str | None = None) -> str:
    """A date and time: "14 octobre 2022, 14 h 30" / "October 14, 2022, 2:30 p.m."."""
    if moment is None or moment == "":
        return MISSING
    if not isinstance(moment, datetime.datetime):
        return format_date(moment, language)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    lang = _language(language)  # read once, and local time once: a list has one a row
    return f"{format_date(moment.date(), lang)}, {format_time(moment.time(), lang)}"
