"""Files a person or the coordination team downloads: a person's own data (JSON, CSV) and the
incident register (CSV). Every CSV cell is formula-safe, by the one rule of every export
(pic.spreadsheets.formula_safe)."""

import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder

from pic.spreadsheets import formula_safe


def csv_bytes(header: list[str], rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([formula_safe(h) for h in header])
    for row in rows:
        writer.writerow(["" if cell is None else formula_safe(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads it as UTF-8


def personal_data_json(data: dict) -> bytes:
    document = {**data, "sections": [
        {"key": s.key, "title": str(s.title), "rows": s.rows} for s in data["sections"]]}
    return json.dumps(document, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder
                      ).encode("utf-8")


def personal_data_csv(data: dict) -> bytes:
    """One row per value: section, record number within it, field, value."""
    def rows():
        for section in data["sections"]:
            for number, record in enumerate(section.rows, start=1):
                for name, cell in record.items():
                    yield [section.key, number, name, cell]
    return csv_bytes(["section", "record", "field", "value"], rows())
