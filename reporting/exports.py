"""Exports scoped to the user, staff-only imports with a dry run, and the 360Giving export.

Every file is written row by row, never held whole: a CSV export streams
(pic.spreadsheets.streaming_csv_response); an XLSX export and the 360Giving files are written
by a worker (reporting.services.jobs) into private storage, through `export_write`."""

import io
import json
import tempfile

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from import_export.results import RowResult

from pic.access import can, ensure
from pic.audit import audit, audit_many
from pic.files import check_zip
from pic.models import User
from pic.spreadsheets import XLSX_CONTENT_TYPE, csv_chunks, xlsx_write
from proposals.documents import MAX_UPLOAD_BYTES
from proposals.selectors import proposal_list

from .models import Allocation, FunderContribution
from .resources import EXPORTS, IMPORTS, total_of
from .selectors import allocation_funders, allocation_list, disbursement_list, report_list

FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_CONTENT_TYPE,
           "json": "application/json"}
GIVING = "360giving"
# (kind, format) → built by a worker: every XLSX, both 360Giving files. A CSV of the other
# kinds streams from the request.
STREAMED = {(kind, "csv") for kind in EXPORTS}
BACKGROUND = {(kind, "xlsx") for kind in EXPORTS} | {(GIVING, "csv"), (GIVING, "json")}
CHUNK = 500  # rows fetched from the database at a time (the first CSV chunk leaves at once)


def export_ids(*, kind: str, user: User) -> list[int]:
    """The ids of an export's rows, in order: only what the user may see (an advisor: their
    neighbourhoods)."""
    if kind == GIVING:
        return list(giving_allocations(user=user).values_list("pk", flat=True))
    sources = {
        "proposals": lambda: proposal_list(user=user),
        "allocations": lambda: allocation_list(user=user),
        "disbursements": lambda: disbursement_list(user=user),
        "financial-summaries": lambda: report_list(user=user),
    }
    return list(sources[kind]().order_by("pk").values_list("pk", flat=True))


def in_batches(ids: list[int], rows_of):
    """The rows of `rows_of(batch)` for CHUNK ids at a time: each query reads (and computes the
    totals of) its batch only, so the first rows come at once and memory stays flat."""
    for start in range(0, len(ids), CHUNK):
        yield from rows_of(ids[start:start + CHUNK])


def export_rows(*, kind: str, user: User) -> tuple[list[str], object]:
    """(header, rows): the rows read from the database CHUNK at a time, native types (numbers
    stay numbers; the writers make every text formula-safe)."""
    if kind == GIVING:
        header = giving_header()
        return header, (giving_flat(row, header) for row in giving_rows(user=user))
    if kind not in EXPORTS:
        raise ValidationError(_("Export inconnu."))
    resource = EXPORTS[kind]()
    model = resource._meta.model
    fields = resource.get_export_fields()  # once, not for every row

    def rows_of(batch):
        for obj in resource.scoped(model.objects.filter(pk__in=batch)).order_by("pk"):
            yield [resource.export_field(field, obj, force_native_type=True) for field in fields]

    return resource.get_export_headers(), in_batches(export_ids(kind=kind, user=user), rows_of)


def export_count(*, kind: str, user: User) -> int:
    return len(export_ids(kind=kind, user=user))


def export_filename(kind: str, file_format: str) -> str:
    return f"pic-{kind}-{timezone.localdate().isoformat()}.{file_format}"


def export_write(fileobj, *, kind: str, file_format: str, user: User, progress=None) -> int:
    """Write the export into the binary file `fileobj`, row by row; `progress(n)` is called
    as rows are written. Returns the number of rows."""
    if file_format not in FORMATS or (kind, file_format) not in STREAMED | BACKGROUND:
        raise ValidationError(_("Export inconnu."))
    header, rows = export_rows(kind=kind, user=user)
    if file_format == "xlsx":
        return xlsx_write(fileobj, header, rows, title=kind, progress=progress)
    if file_format == "json":
        return _giving_json_write(fileobj, giving_rows(user=user), progress=progress)
    count = 0

    def counted():
        nonlocal count
        for row in rows:
            yield row
            count += 1
            if progress is not None and count % 1000 == 0:
                progress(count)

    # 360Giving's tools read plain UTF-8; the BOM is for Excel, on the other CSV files.
    for chunk in csv_chunks(header, counted(), bom=kind != GIVING):
        fileobj.write(chunk)
    return count


def export_data(*, kind: str, user: User, file_format: str) -> bytes:
    """The whole file, for a small export (tests, a command): the same writer as the worker's,
    through a temporary file."""
    with tempfile.TemporaryFile() as handle:
        export_write(handle, kind=kind, file_format=file_format, user=user)
        handle.seek(0)
        return handle.read()


# --- Imports --------------------------------------------------------------------------------


def check_import_file(content: bytes, file_format: str, *, name: str = "") -> None:
    """An import file, checked like every upload before it is kept or parsed: 10 MB at most,
    and an XLSX (a ZIP archive) neither malformed nor a zip bomb."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("Le fichier pèse %(size)s : la limite est de 10 Mo.")
                                       % {"size": filesizeformat(len(content))}})
    if file_format == "xlsx":
        try:
            check_zip(io.BytesIO(content), name=name or f"import.{file_format}")
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error


def load_dataset(content: bytes, file_format: str, *, name: str = "") -> tablib.Dataset:
    """An import file's rows, once checked (check_import_file)."""
    check_import_file(content, file_format, name=name)
    try:
        if file_format == "xlsx":
            return tablib.Dataset().load(content, format="xlsx")
        return tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
    except Exception as error:
        raise ValidationError({"file": _("Fichier illisible : %(e)s") % {"e": error}}) from error


def import_run(*, kind: str, dataset: tablib.Dataset, actor: User, dry_run: bool,
               progress=None):
    """Staff only. A dry run reports what would change and every row's errors; a real run
    writes only if every row is valid (a bad row: it is reported and nothing is written).
    Rows are written in bulk (the resources' use_bulk: a few queries per thousand rows);
    `progress(n)` is called as rows are read."""
    ensure(actor, "data.import")
    if kind not in IMPORTS:
        raise ValidationError(_("Import inconnu."))
    resource = IMPORTS[kind]()
    with transaction.atomic():
        result = resource.import_data(dataset, dry_run=dry_run, raise_errors=False,
                                      use_transactions=True, collect_failed_rows=dry_run,
                                      rollback_on_validation_errors=True, progress=progress)
        if dry_run or result.has_errors() or result.has_validation_errors():
            transaction.set_rollback(True)
            return result
        _audit_rows(resource, result, actor=actor, kind=kind)
        audit(actor, "import.done", None, kind=kind, rows=len(dataset),
              totals={k: v for k, v in result.totals.items() if v})
    return result


def _audit_rows(resource, result, *, actor: User, kind: str) -> None:
    """One audit event per row that created or changed a record, with each changed field's
    value before and after (written in one batch)."""
    events = []
    for number, row in enumerate(result.rows, start=1):
        new = row.import_type == RowResult.IMPORT_TYPE_NEW
        if not (new or row.import_type == RowResult.IMPORT_TYPE_UPDATE) or row.instance is None:
            continue
        changes = resource.changes(None if new else row.original, row.instance)
        if changes:
            events.append(("import.row_created" if new else "import.row_updated", row.instance,
                           {"kind": kind, "row": number, "changes": changes}))
    audit_many(actor, events)


def row_errors(result) -> list[dict]:
    """Each row's errors, in row order: [{"number": n, "messages": [...]}] (number 0: an error
    of the whole file)."""
    rows = [{"number": 0, "messages": [str(e.error) for e in result.base_errors]}
            ] if result.base_errors else []
    for number, errors in result.row_errors():
        rows.append({"number": number, "messages": [str(e.error) for e in errors]})
    for invalid in result.invalid_rows:
        messages_ = [f"{field} : {' '.join(str(m) for m in msgs)}"
                     for field, msgs in invalid.error_dict.items()]
        rows.append({"number": invalid.number, "messages": messages_})
    return sorted(rows, key=lambda r: r["number"])


# --- 360Giving ------------------------------------------------------------------------------

GIVING_FIELDS = ["Identifier", "Title", "Description", "Currency", "Amount Awarded",
                 "Award Date", "Recipient Org:Identifier", "Recipient Org:Name",
                 "Funding Org:Identifier", "Funding Org:Name", "Planned Dates:Start Date",
                 "Planned Dates:End Date", "Planned Dates:Duration (months)"]


def _giving_settings() -> dict:
    return {
        "prefix": settings.PIC_360G_PREFIX,
        "funder_id": settings.PIC_360G_FUNDER_ID,
        "funder_name": settings.PIC_360G_FUNDER_NAME,
    }


def giving_allocations(*, user: User):
    # Open data: partners publish the whole portfolio; others export what they may see.
    if can(user, "portfolio.read"):
        return Allocation.objects.order_by("pk")
    return Allocation.objects.filter(pk__in=allocation_list(user=user).values("pk")).order_by("pk")


def giving_rows(*, user: User):
    """Allocations in the 360Giving standard (its required fields, plus planned dates), read
    CHUNK at a time; "Funding Orgs": the partners whose contributions make the envelope of the
    allocation's years (the operator, from the settings, when no contribution is recorded)."""
    conf = _giving_settings()
    allocations = (Allocation.objects
                   .select_related("proposal", "neighbourhood", "initiative", "stage")
                   .prefetch_related("years")
                   .annotate(total_years=total_of(Allocation.years, "amount")))
    ids = export_ids(kind=GIVING, user=user)
    for start in range(0, len(ids), CHUNK):
        chunk = list(allocations.filter(pk__in=ids[start:start + CHUNK]).order_by("pk"))
        funders = allocation_funders(chunk)
        for allocation in chunk:
            months = (allocation.ends_on.year - allocation.starts_on.year) * 12 + (
                allocation.ends_on.month - allocation.starts_on.month) + 1
            yield {
                "Identifier": f"{conf['prefix']}-allocation-{allocation.pk}",
                "Title": allocation.proposal.title,
                "Description": (allocation.proposal.summary
                                or allocation.initiative.desired_change),
                "Currency": "CAD",
                "Amount Awarded": allocation.total_years + allocation.capacity_building_amount,
                "Award Date": allocation.ratified_on.isoformat(),
                "Recipient Org:Identifier":
                    f"{conf['prefix']}-tq-{allocation.neighbourhood.slug}",
                "Recipient Org:Name": allocation.neighbourhood.table_name,
                "Funding Orgs": [(funder_identifier(conf, f), f.name)
                                 for f in funders[allocation.pk]]
                or [(conf["funder_id"], conf["funder_name"])],
                "Planned Dates:Start Date": allocation.starts_on.isoformat(),
                "Planned Dates:End Date": allocation.ends_on.isoformat(),
                "Planned Dates:Duration (months)": months,
            }


def funder_identifier(conf: dict, organisation) -> str:
    """A funder's identifier in the export: the operator's own (settings) for the operator,
    else one under the publisher's prefix."""
    if organisation.category == organisation.Category.OPERATOR:
        return conf["funder_id"]
    return f"{conf['prefix']}-org-{slugify(organisation.short_name or organisation.name)}"


def giving_header() -> list[str]:
    """The standard's columns; funders after the first in numbered columns (Funding
    Org:1:Identifier, …), as 360Giving's flattened spreadsheets name a list: as many as the
    partners contributing to any envelope, less one (a streamed file has one header)."""
    funders = FunderContribution.objects.values("funder").distinct().count()
    headers = list(GIVING_FIELDS)
    at = headers.index("Funding Org:Name") + 1
    headers[at:at] = [f"Funding Org:{n}:{part}" for n in range(1, max(funders, 1))
                      for part in ("Identifier", "Name")]
    return headers


def giving_flat(row: dict, headers: list[str]) -> list:
    """One grant as the CSV's cells, its first funder in the Funding Org columns."""
    (first_id, first_name), *others = row["Funding Orgs"]
    values = {**row, "Funding Org:Identifier": first_id, "Funding Org:Name": first_name}
    for n, (identifier, name) in enumerate(others, start=1):
        values[f"Funding Org:{n}:Identifier"], values[f"Funding Org:{n}:Name"] = identifier, name
    return [values.get(h, "") for h in headers]


def giving_csv(*, user: User) -> bytes:
    buffer = io.BytesIO()
    export_write(buffer, kind=GIVING, file_format="csv", user=user)
    return buffer.getvalue()


def giving_json(*, user: User) -> bytes:
    buffer = io.BytesIO()
    export_write(buffer, kind=GIVING, file_format="json", user=user)
    return buffer.getvalue()


def _giving_grant(r: dict) -> dict:
    return {
        "id": r["Identifier"], "title": r["Title"], "description": r["Description"],
        "currency": r["Currency"], "amountAwarded": float(r["Amount Awarded"]),
        "awardDate": r["Award Date"],
        "recipientOrganization": [{"id": r["Recipient Org:Identifier"],
                                   "name": r["Recipient Org:Name"]}],
        "fundingOrganization": [{"id": identifier, "name": name}
                                for identifier, name in r["Funding Orgs"]],
        "plannedDates": [{"startDate": r["Planned Dates:Start Date"],
                          "endDate": r["Planned Dates:End Date"],
                          "duration": r["Planned Dates:Duration (months)"]}],
    }


def _giving_json_write(fileobj, rows, *, progress=None) -> int:
    """{"grants": [...], "generated": "…"}, one grant written at a time."""
    fileobj.write(b'{\n"grants": [\n')
    count = 0
    for row in rows:
        if count:
            fileobj.write(b",\n")
        fileobj.write(json.dumps(_giving_grant(row), ensure_ascii=False, indent=2)
                      .encode("utf-8"))
        count += 1
        if progress is not None and count % 1000 == 0:
            progress(count)
    generated = json.dumps(timezone.localdate().isoformat())
    fileobj.write(f'\n],\n"generated": {generated}\n}}\n'.encode())
    return count
