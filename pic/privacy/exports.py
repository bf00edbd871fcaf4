"""Files a person or the coordination team downloads: a person's own data (JSON, CSV) and the
incident register (CSV). Every CSV is sent by the one helper of every CSV export
(pic.spreadsheets.streaming_csv_response: formula-safe cells, UTF-8 with a BOM)."""

import json

from django.core.serializers.json import DjangoJSONEncoder

PERSONAL_DATA_CSV_HEADER = ["section", "record", "field", "value"]


def personal_data_json(data: dict) -> bytes:
    document = {**data, "sections": [
        {"key": s.key, "title": str(s.title), "rows": s.rows} for s in data["sections"]]}
    return json.dumps(document, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder
                      ).encode("utf-8")


def personal_data_csv_rows(data: dict):
    """One row per value: section, record number within it, field, value."""
    for section in data["sections"]:
        for number, record in enumerate(section.rows, start=1):
            for name, cell in record.items():
                yield [section.key, number, name, cell]
