"""Spreadsheet files (CSV, XLSX) written so that no cell is ever a live formula.

A text that begins with `=`, `+`, `-`, `@`, a tab or a carriage return would be read by Excel
or LibreOffice as a formula (`=HYPERLINK(…)`, `@SUM(…)`, `-2+3`), so one typed into a proposal
title would run on the desk of whoever opens the export. The rule lives here, once:
`formula_safe` for a value; `csv_chunks` and `xlsx_write` for a file written row by row (what
`streaming_csv_response` sends and the background exports store); `dataset_export` for a
tablib dataset. Every export goes through them.

- CSV: such a text is prefixed with `'` (OWASP's advice); a plain number written as text
  (`-10`, `1500.50`) is not a formula and is left alone.
- XLSX: every text is a string cell (never a formula cell), written as typed, and one that
  starts like a formula carries Excel's "quote prefix", so editing it keeps it text.
- Numbers stay numbers (a negative amount is a number cell), dates stay dates.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator, Sequence

import tablib
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

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


class _Echo:
    """A file-like object whose write returns the line (csv.writer then hands it back)."""

    def write(self, value: str) -> str:
        return value


CSV_CHUNK = 64 * 1024  # characters gathered before a chunk is sent or written


def _csv_cell(value):
    return "" if value is None else formula_safe(_plain(value))


def csv_chunks(header: Sequence, rows: Iterable[Sequence], *, bom: bool = True
               ) -> Iterator[bytes]:
    """The CSV file in chunks of about 64 KB, every cell formula-safe, UTF-8 (with the
    byte-order mark Excel needs to read it as UTF-8, unless `bom=False`); the rows are read
    one at a time, so memory stays flat whatever their number."""
    writer = csv.writer(_Echo())
    lines = ["\ufeff" if bom else "", writer.writerow([formula_safe(str(h)) for h in header])]
    size = 0
    for row in rows:
        line = writer.writerow([_csv_cell(value) for value in row])
        lines.append(line)
        size += len(line)
        if size >= CSV_CHUNK:
            yield "".join(lines).encode("utf-8")
            lines, size = [], 0
    if lines:
        yield "".join(lines).encode("utf-8")


def streaming_csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]
                           ) -> StreamingHttpResponse:
    """A CSV download sent while its rows are read (a StreamingHttpResponse): every cell
    formula-safe, UTF-8 with a byte-order mark for Excel, as an attachment never cached."""
    response = StreamingHttpResponse(csv_chunks(header, rows),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _csv(dataset: tablib.Dataset, *, bom: bool) -> bytes:
    return b"".join(csv_chunks(dataset.headers or [], dataset, bom=bom))


def _xlsx_cell(sheet, value, *, bold=None):
    """A value as openpyxl's write-only sheet takes it: numbers and dates as they are; a text
    as a string cell (never a formula cell, quote prefix when it starts like one)."""
    from openpyxl.cell import WriteOnlyCell

    value = _plain(value)
    if isinstance(value, str):
        value = _ILLEGAL_XML_RE.sub("", value)
        if bold is None and not value.startswith(("=", "#", *FORMULA_TRIGGERS)):
            return value
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text, even when it starts with "=" or reads like "#N/A"
        if starts_like_formula(value):
            cell.quotePrefix = True
    elif bold is None:
        return value
    else:
        cell = WriteOnlyCell(sheet, value=value)
    if bold is not None:
        cell.font = bold
    return cell


def xlsx_write(fileobj, header: Sequence, rows: Iterable[Sequence], *, title: str = "Export",
               progress=None) -> int:
    """The XLSX file written into `fileobj` in openpyxl's write-only mode (rows go to disk as
    they come: memory stays flat), header bold and frozen. `progress(n)` is called every
    1,000 rows. Returns the number of rows written."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet((title or "Export")[:31])
    if header:
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        sheet.append([_xlsx_cell(sheet, h, bold=bold) for h in header])
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
        count += 1
        if progress is not None and count % 1000 == 0:
            progress(count)
    book.save(fileobj)
    return count


def _xlsx(dataset: tablib.Dataset) -> bytes:
    out = io.BytesIO()
    xlsx_write(out, list(dataset.headers or []), dataset, title=dataset.title or "Export")
    return out.getvalue()


def dataset_export(dataset: tablib.Dataset, file_format: str, *, bom: bool = True) -> bytes:
    """The dataset as a CSV (UTF-8, with a byte-order mark for Excel unless `bom=False`) or
    XLSX file, formula-safe."""
    if file_format == "csv":
        return _csv(dataset, bom=bom)
    if file_format == "xlsx":
        return _xlsx(dataset)
    raise ValueError(f"unknown spreadsheet format: {file_format}")
