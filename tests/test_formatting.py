"""Money and dates read the same way everywhere: pic.formatting and its template filters."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from pic.formatting import format_date, format_datetime, format_money

NB = "\u00a0"
NNB = "\u202f"


@pytest.mark.parametrize(("amount", "fr", "en"), [
    (Decimal("3000000"), f"3{NNB}000{NNB}000{NB}$", "$3,000,000"),
    (Decimal("200000.00"), f"200{NNB}000{NB}$", "$200,000"),
    (Decimal("1234.50"), f"1{NNB}234,50{NB}$", "$1,234.50"),
    (Decimal("999.99"), f"999,99{NB}$", "$999.99"),
    (Decimal("0"), f"0{NB}$", "$0"),
    (Decimal("0.00"), f"0{NB}$", "$0"),
    (Decimal("-1500"), f"-1{NNB}500{NB}$", "-$1,500"),
    (Decimal("-1500.25"), f"-1{NNB}500,25{NB}$", "-$1,500.25"),
    (85000, f"85{NNB}000{NB}$", "$85,000"),
    (12.5, f"12,50{NB}$", "$12.50"),
    ("25000", f"25{NNB}000{NB}$", "$25,000"),
    (Decimal("0.004"), f"0{NB}$", "$0"),
    (Decimal("0.005"), f"0,01{NB}$", "$0.01"),
])
def test_money_in_both_languages(amount, fr, en):
    assert format_money(amount, "fr") == fr
    assert format_money(amount, "en") == en
    assert format_money(amount, "fr-ca") == fr
    assert format_money(amount, "en-ca") == en


@pytest.mark.parametrize("missing", [None, ""])
def test_missing_values_read_as_a_dash(missing):
    assert format_money(missing, "fr") == "—"
    assert format_money(missing, "en") == "—"
    assert format_date(missing, "fr") == "—"
    assert format_date(missing, "en") == "—"
    assert format_datetime(missing, "en") == "—"


def test_money_follows_the_active_language():
    with translation.override("en"):
        assert format_money(Decimal("3000000")) == "$3,000,000"
    with translation.override("fr"):
        assert format_money(Decimal("3000000")) == f"3{NNB}000{NNB}000{NB}$"


@pytest.mark.parametrize(("day", "fr", "en"), [
    (datetime.date(2022, 10, 14), "14 octobre 2022", "October 14, 2022"),
    (datetime.date(2025, 6, 1), "1er juin 2025", "June 1, 2025"),
    (datetime.date(2026, 12, 2), "2 décembre 2026", "December 2, 2026"),
    (datetime.date(2024, 2, 11), "11 février 2024", "February 11, 2024"),
    (datetime.date(2024, 8, 21), "21 août 2024", "August 21, 2024"),
    ("2026-12-02", "2 décembre 2026", "December 2, 2026"),
])
def test_dates_in_both_languages(day, fr, en):
    assert format_date(day, "fr") == fr
    assert format_date(day, "en") == en


def test_only_the_first_of_the_month_reads_1er():
    assert format_date(datetime.date(2025, 6, 1), "fr") == "1er juin 2025"
    assert format_date(datetime.date(2025, 6, 11), "fr") == "11 juin 2025"
    assert format_date(datetime.date(2025, 6, 21), "fr") == "21 juin 2025"
    assert format_date(datetime.date(2025, 6, 1), "en") == "June 1, 2025"


def test_an_aware_datetime_reads_in_montreal_time():
    late = datetime.datetime(2025, 6, 2, 2, 30, tzinfo=datetime.UTC)  # 22:30 on June 1st there
    assert format_date(late, "fr") == "1er juin 2025"
    assert format_datetime(late, "fr") == f"1er juin 2025, 22{NB}h{NB}30"
    assert format_datetime(late, "en") == f"June 1, 2025, 10:30{NB}p.m."
    on_the_hour = datetime.datetime(2022, 10, 14, 9, 0, tzinfo=ZoneInfo("America/Toronto"))
    assert format_datetime(on_the_hour, "fr") == f"14 octobre 2022, 9{NB}h"
    assert format_datetime(on_the_hour, "en") == f"October 14, 2022, 9:00{NB}a.m."


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load pic_format %}" + source).render(Context(context))


def test_template_filters():
    context = {"amount": Decimal("1234.50"), "d": datetime.date(2025, 6, 1), "none": None}
    assert render("{{ amount|money }}", "fr", **context) == f"1{NNB}234,50{NB}$"
    assert render("{{ amount|money }}", "en", **context) == "$1,234.50"
    assert render("{{ d|day }}", "fr", **context) == "1er juin 2025"
    assert render("{{ d|day }}", "en", **context) == "June 1, 2025"
    assert render("{{ none|money }} {{ none|day }}", "en", **context) == "— —"
    assert render('{{ amount|money:"en" }}', "fr", **context) == "$1,234.50"
    assert render('<time datetime="{{ d|date:\'Y-m-d\' }}">{{ d|day }}</time>', "en",
                  **context) == '<time datetime="2025-06-01">June 1, 2025</time>'


@pytest.mark.parametrize(("typed", "expected"), [
    ("25000", Decimal("25000")),
    ("25 000", Decimal("25000")),
    ("25\u202f000\u00a0$", Decimal("25000")),
    ("25000,50", Decimal("25000.50")),
    ("25000.50", Decimal("25000.50")),
    ("25,000", Decimal("25000")),
    ("1,250,000.50", Decimal("1250000.50")),
    ("0,50", Decimal("0.50")),
    ("", None),
])
def test_amount_inputs_accept_what_people_type(typed, expected):
    from proposals.forms import AmountField

    assert AmountField(required=False).clean(typed) == expected


@pytest.mark.parametrize("typed", ["beaucoup", "25000,505", "12,34,5"])
def test_amount_inputs_refuse_what_is_not_an_amount(typed):
    from django.core.exceptions import ValidationError

    from proposals.forms import AmountField

    with pytest.raises(ValidationError):
        AmountField(required=False).clean(typed)


def test_whole_amounts_show_without_cents_in_the_input():
    from proposals.forms import AmountField

    field = AmountField(required=False)
    assert field.prepare_value(Decimal("200000.00")) == "200000"
    assert field.prepare_value(Decimal("1234.50")) == "1234.50"
    assert field.prepare_value(None) is None
    assert field.prepare_value("25 000") == "25 000"
    html = field.widget.render("year_1", field.prepare_value(Decimal("200000.00")))
    assert 'value="200000"' in html
