"""Every CSV and XLSX export, the 360Giving CSV included, writes text that looks like a formula
as text; numbers (negative amounts too) stay numbers."""

import csv
import io
import json
from decimal import Decimal

import openpyxl
import pytest
import tablib
from django.urls import reverse

from pic.access import SYSTEM
from pic.spreadsheets import dataset_export, formula_safe
from reporting import exports
from reporting.resources import EXPORTS
from reporting.services import allocations, reports

from .conftest import make_ratified

HOSTILE = ['=HYPERLINK("http://x","y")', "-2+3", "@SUM(1)", "+1+cmd|' /C calc'!A0",
           "\tTab", "\rRetour"]


@pytest.fixture
def hostile(saint_michel, stage, coordination, tq_saint_michel):
    """Allocations whose proposal titles, a payment's reason and a report's totals are the
    cases: formulas typed by a person, and a negative variance."""
    made = []
    for title in HOSTILE:
        made.append(allocations.allocation_create_for_ratification(
            ratification=make_ratified(saint_michel, stage, title=title), actor=SYSTEM))
    year2 = made[0].years.get(year_number=2)
    allocations.disbursement_record(allocation_year=year2, amount=Decimal("1000"),
                                    paid_on=year2.starts_on, actor=coordination,
                                    override_reason='=HYPERLINK("http://x","y")')
    reports.report_save_draft(report=made[0].years.first().report, actor=tq_saint_michel,
                              texts={}, lines={"salaries": (Decimal("100"), Decimal("80"))})
    return made


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def xlsx_cells(data: bytes) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [cell for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("kind", list(EXPORTS))
def test_csv_exports_prefix_formula_text(hostile, coordination, kind):
    cells = [c for row in csv_rows(exports.export_data(kind=kind, user=coordination,
                                                      file_format="csv")) for c in row]
    written = {c for c in cells if c.lstrip("'") in HOSTILE}
    assert written  # the typed texts are in this export
    assert all(c.startswith("'") for c in written)
    assert not [c for c in cells if c.startswith(("=", "@", "+", "\t", "\r"))]
    assert not [c for c in cells if c.startswith("-") and not c.lstrip("-").replace(
        ".", "").isdigit()]


@pytest.mark.parametrize("kind", list(EXPORTS))
def test_xlsx_exports_write_formula_text_as_string_cells(hostile, coordination, kind):
    cells = xlsx_cells(exports.export_data(kind=kind, user=coordination, file_format="xlsx"))
    texts = [c for c in cells if c.value in HOSTILE]
    assert texts
    for cell in texts:
        assert cell.data_type == "s"
        assert cell.quotePrefix
    assert not [c for c in cells if c.data_type == "f"]


def test_the_typed_titles_come_back_exactly_from_the_xlsx(hostile, coordination):
    cells = xlsx_cells(exports.export_data(kind="proposals", user=coordination,
                                           file_format="xlsx"))
    # XML turns a carriage return into a line feed; nothing else changes.
    assert {c.value for c in cells if c.data_type == "s"} >= {
        text.replace("\r", "\n") for text in HOSTILE}


def test_a_negative_amount_stays_a_number(hostile, coordination):
    rows = csv_rows(exports.export_data(kind="financial-summaries", user=coordination,
                                        file_format="csv"))
    column = rows[0].index("écart (réel − budget)")
    assert "-20.00" in [row[column] for row in rows[1:]] or "-20" in [
        row[column] for row in rows[1:]]
    sheet = openpyxl.load_workbook(io.BytesIO(exports.export_data(
        kind="financial-summaries", user=coordination, file_format="xlsx"))).active
    values = [row[column] for row in sheet.iter_rows(min_row=2)]
    negative = [c for c in values if c.value == Decimal("-20") or c.value == -20]
    assert negative
    assert negative[0].data_type == "n"
    amounts = [row[rows[0].index("budget total")] for row in sheet.iter_rows(min_row=2)]
    assert {c.data_type for c in amounts} == {"n"}


def test_the_360giving_csv_prefixes_formula_titles(hostile, coordination):
    rows = csv_rows(exports.export_data(kind="360giving", file_format="csv", user=coordination))
    titles = [row[rows[0].index("Title")] for row in rows[1:]]
    assert sorted(titles) == sorted(f"'{text}" for text in HOSTILE)
    amounts = [row[rows[0].index("Amount Awarded")] for row in rows[1:]]
    assert all(Decimal(a) > 0 for a in amounts)


def test_the_360giving_json_keeps_the_text_as_typed(hostile, coordination):
    grants = json.loads(exports.export_data(kind="360giving", file_format="json",
                                            user=coordination))["grants"]
    assert sorted(g["title"] for g in grants) == sorted(HOSTILE)


def test_export_over_http_is_formula_safe(client, hostile, coordination,
                                          django_capture_on_commit_callbacks):
    client.force_login(coordination)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:export-job-create"),
                               {"kind": "proposals", "file_format": "xlsx"})
    job = response["Location"].rstrip("/").split("/")[-1]
    download = client.get(reverse("reporting:export-job-download", args=[job]))
    cells = xlsx_cells(b"".join(download.streaming_content))
    assert {c.value for c in cells} >= set(HOSTILE) - {"\rRetour"}  # XML reads \r as \n
    assert not [c for c in cells if c.data_type == "f"]


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("-2+3", "'-2+3"), ("@SUM(1)", "'@SUM(1)"), ("+33 1", "'+33 1"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("-10", "-10"), ("-1500.50", "-1500.50"),
    ("Saint-Michel", "Saint-Michel"), (Decimal("-10"), Decimal("-10")), (-3, -3), (None, None),
])
def test_one_rule_for_every_cell(value, expected):
    assert formula_safe(value) == expected


def test_dataset_export_keeps_numbers_numeric_in_xlsx():
    dataset = tablib.Dataset(["=1+1", Decimal("-10"), -3], headers=["a", "b", "c"])
    [a, b, c] = xlsx_cells(dataset_export(dataset, "xlsx"))[3:]
    assert (a.data_type, a.value) == ("s", "=1+1")
    assert (b.data_type, b.value) == ("n", -10)
    assert (c.data_type, c.value) == ("n", -3)
