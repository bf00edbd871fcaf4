"""Spreadsheet files (CSV, XLSX) written so that no cell is ever a live formula.

A text that begins with `=`, `+`, `-`, `@`, a tab or a carriage return would be read by Excel
or LibreOffice as a formula (`=HYPERLINK(…)`, `@SUM(…)`, `-2+3`), so one typed into a proposal
title would run on the desk of whoever opens the export. The rule lives here, once:
`formula_safe` for a value, `dataset_export` for a whole file. Every export goes through it.

- CSV: such a text is prefixed with `'` (OWASP's advice); a plain number written as text
  (`-10`, `1500.50`) is not a formula and is left alone.
- XLSX: every text is a string cell (never a formula cell), written as typed, and one that
  starts like a formula carries Excel's "quote prefix", so editing it keeps it text.
- Numbers stay numbers (a negative amount is a number cell), dates stay dates.
"""

import datetime
import io
import re

import tablib
from django.utils import timezone

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER_RE = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
# Characters XML (hence XLSX) cannot hold; openpyxl refuses them.
_ILLEGAL_XML_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def starts_like_formula(value: object) -> bool:
    return (isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)
            and not _PLAIN_NUMBER_RE.fullmatch(value))


def formula_safe(value):
    """The value as a CSV cell may hold it: a text that would start a formula gets a leading
    `'`; numbers, dates and other texts are returned unchanged."""
    return f"'{value}" if starts_like_formula(value) else value


def _plain(value):
    """Spreadsheets know no time zones: an aware datetime is written in local time."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _csv(dataset: tablib.Dataset, *, bom: bool) -> bytes:
    safe = tablib.Dataset(headers=[formula_safe(h) for h in dataset.headers or []])
    for row in dataset:
        safe.append([formula_safe(_plain(value)) for value in row])
    text = safe.export("csv")
    return text.encode("utf-8-sig" if bom else "utf-8")


def _xlsx(dataset: tablib.Dataset) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = (dataset.title or "Export")[:31]
    rows = [list(dataset.headers or [])] + [list(row) for row in dataset]
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            value = _plain(value)
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, str):
                cell.value = _ILLEGAL_XML_RE.sub("", value)
                cell.data_type = "s"  # text, even when it starts with "="
                if starts_like_formula(value):
                    cell.quotePrefix = True
            else:
                cell.value = value
            if row_number == 1 and dataset.headers:
                cell.font = Font(bold=True)
    if dataset.headers:
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def dataset_export(dataset: tablib.Dataset, file_format: str, *, bom: bool = True) -> bytes:
    """The dataset as a CSV (UTF-8, with a byte-order mark for Excel unless `bom=False`) or
    XLSX file, formula-safe."""
    if file_format == "csv":
        return _csv(dataset, bom=bom)
    if file_format == "xlsx":
        return _xlsx(dataset)
    raise ValueError(f"unknown spreadsheet format: {file_format}")


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def streaming_csv_response(filename: str, header, rows):
    """A CSV download written as it is read (StreamingHttpResponse): UTF-8 with a byte-order
    mark for Excel, every cell formula-safe, `rows` any iterable (a queryset's iterator), so
    memory stays flat whatever the number of rows."""
    import csv

    from django.http import StreamingHttpResponse

    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([formula_safe(h) for h in header])
        for row in rows:
            yield writer.writerow([formula_safe(_plain(value)) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
