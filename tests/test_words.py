"""Words (issue 14): plurals follow the number, dates follow the page's language, counts read
as whole numbers, and a recusal is explained to the person it concerns."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from pic.formatting import format_number
from pic.forms import DateField


class _DateForm(forms.Form):
    day = DateField(label="Jour")


def test_a_date_field_shows_and_reads_the_page_language():
    with translation.override("fr"):
        html = str(_DateForm(initial={"day": datetime.date(2025, 6, 1)})["day"])
        assert 'value="01/06/2025"' in html
        assert 'placeholder="jj/mm/aaaa"' in html
        assert 'type="text"' in html  # not the browser's own picker (its own format)
    with translation.override("en"):
        html = str(_DateForm(initial={"day": datetime.date(2025, 6, 1)})["day"])
        assert 'value="2025-06-01"' in html
        assert 'placeholder="yyyy-mm-dd"' in html
    for typed in ("01/06/2025", "2025-06-01"):
        form = _DateForm({"day": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(2025, 6, 1)


def test_a_mistyped_date_keeps_what_was_typed():
    with translation.override("fr"):
        form = _DateForm({"day": "31 juin"})
        assert not form.is_valid()
        assert "jj/mm/aaaa" in form.errors["day"][0]
        assert 'value="31 juin"' in str(form["day"])


@pytest.mark.parametrize(("value", "fr", "en"), [
    (Decimal("60.00"), "60", "60"), (Decimal("200"), "200", "200"),
    (Decimal("1250.50"), "1\u202f250,5", "1,250.5"), (None, "—", "—")])
def test_counts_read_as_whole_numbers(value, fr, en):
    assert format_number(value, "fr") == fr
    assert format_number(value, "en") == en
