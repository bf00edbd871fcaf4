"""Display filters for money and dates: `{% load pic_format %}`.

    {{ amount|money }}            3 000 000 $  /  $3,000,000
    {{ count|number }}            60  /  1 250  /  12,5
    {{ date|day }}                1er juin 2025  /  June 1, 2025
    {{ moment|day_time }}         1er juin 2025, 14 h 30  /  June 1, 2025, 2:30 p.m.

Each takes an optional language code ("fr", "en"); by default, the active language. A missing
value reads "—". Keep `|date:"Y-m-d"` for machine-read values such as <time datetime="…">.
"""

from django import template
from django.utils.translation import get_language

from pic.formatting import format_date, format_datetime, format_money, format_number

register = template.Library()


@register.filter(is_safe=True)
def money(amount, language=None) -> str:
    return format_money(amount, language)


@register.filter(is_safe=True)
def number(value, language=None) -> str:
    """A count or a measure: « 60 », not « 60,00 »."""
    return format_number(value, language)


@register.filter(is_safe=True, expects_localtime=True)
def day(value, language=None) -> str:
    return format_date(value, language)


@register.filter(is_safe=True, expects_localtime=True)
def day_time(value, language=None) -> str:
    return format_datetime(value, language)


@register.simple_tag
def colon() -> str:
    """A label's colon: « Étape : » in French (no-break space before), "Stage:" in English."""
    return ":" if (get_language() or "fr").startswith("en") else "\u00a0:"
