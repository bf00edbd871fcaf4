"""Exports scoped to the user, staff-only imports with a dry run, and the 360Giving export."""

import io
import json

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from import_export.results import RowResult

from pic.access import can, ensure
from pic.audit import audit
from pic.files import check_zip
from pic.models import User
from pic.spreadsheets import XLSX_CONTENT_TYPE, dataset_export
from proposals.documents import MAX_UPLOAD_BYTES
from proposals.selectors import proposal_list

from .models import Allocation
from .resources import EXPORTS, IMPORTS
from .selectors import allocation_funders, allocation_list, disbursement_list, report_list

FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_CONTENT_TYPE}


def export_queryset(*, kind: str, user: User):
    """The rows of an export: only what the user may see (an advisor: their neighbourhoods)."""
    sources = {
        "proposals": lambda: proposal_list(user=user),
        "allocations": lambda: allocation_list(user=user),
        "disbursements": lambda: disbursement_list(user=user),
        "financial-summaries": lambda: report_list(user=user),
    }
    queryset = sources[kind]().order_by("pk")
    return EXPORTS[kind].scoped(queryset.model.objects.filter(pk__in=queryset.values("pk")))


def export_data(*, kind: str, user: User, file_format: str) -> bytes:
    if kind not in EXPORTS or file_format not in FORMATS:
        raise ValidationError(_("Export inconnu."))
    # Native types (numbers stay numbers); dataset_export makes every text formula-safe.
    dataset = EXPORTS[kind]().export(queryset=export_queryset(kind=kind, user=user),
                                     force_native_type=True)
    return dataset_export(dataset, file_format)


# --- Imports --------------------------------------------------------------------------------


def load_dataset(content: bytes, file_format: str, *, name: str = "") -> tablib.Dataset:
    """An import file, checked like every upload before it is parsed: 10 MB at most, and an
    XLSX (a ZIP archive) neither malformed nor a zip bomb."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("Le fichier pèse %(size)s : la limite est de 10 Mo.")
                                       % {"size": filesizeformat(len(content))}})
    if file_format == "xlsx":
        try:
            check_zip(io.BytesIO(content), name=name or f"import.{file_format}")
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error
    try:
        if file_format == "xlsx":
            return tablib.Dataset().load(content, format="xlsx")
        return tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
    except Exception as error:
        raise ValidationError({"file": _("Fichier illisible : %(e)s") % {"e": error}}) from error


def import_run(*, kind: str, dataset: tablib.Dataset, actor: User, dry_run: bool):
    """Staff only. A dry run reports what would change and every row's errors; a real run
    writes only if every row is valid (a bad row: it is reported and nothing is written)."""
    ensure(actor, "data.import")
    if kind not in IMPORTS:
        raise ValidationError(_("Import inconnu."))
    resource = IMPORTS[kind]()
    result = resource.import_data(dataset, dry_run=True, raise_errors=False,
                                  use_transactions=True, collect_failed_rows=True)
    if dry_run or result.has_errors() or result.has_validation_errors():
        return result
    with transaction.atomic():
        resource = IMPORTS[kind]()
        result = resource.import_data(dataset, dry_run=False, raise_errors=False,
                                      use_transactions=True)
        if result.has_errors() or result.has_validation_errors():
            transaction.set_rollback(True)
            return result
        _audit_rows(resource, result, actor=actor, kind=kind)
        audit(actor, "import.done", None, kind=kind, rows=len(dataset),
              totals={k: v for k, v in result.totals.items() if v})
    return result


def _audit_rows(resource, result, *, actor: User, kind: str) -> None:
    """One audit event per row that created or changed a record, with each changed field's
    value before and after."""
    for number, row in enumerate(result.rows, start=1):
        new = row.import_type == RowResult.IMPORT_TYPE_NEW
        if not (new or row.import_type == RowResult.IMPORT_TYPE_UPDATE) or row.instance is None:
            continue
        changes = resource.changes(None if new else row.original, row.instance)
        if changes:
            audit(actor, "import.row_created" if new else "import.row_updated", row.instance,
                  kind=kind, row=number, changes=changes)


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


def giving_rows(*, user: User) -> list[dict]:
    """Allocations in the 360Giving standard (its required fields, plus planned dates)."""
    conf = _giving_settings()
    zero = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))
    # Open data: partners publish the whole portfolio; others export what they may see.
    source = Allocation.objects.all() if can(user, "portfolio.read") else allocation_list(user=user)
    allocations = list(source.select_related("proposal", "neighbourhood", "initiative", "stage")
                       .prefetch_related("years")
                       .annotate(total_years=Coalesce(Sum("years__amount"), zero))
                       .order_by("pk"))
    funders = allocation_funders(allocations)
    rows = []
    for allocation in allocations:
        months = (allocation.ends_on.year - allocation.starts_on.year) * 12 + (
            allocation.ends_on.month - allocation.starts_on.month) + 1
        rows.append({
            "Identifier": f"{conf['prefix']}-allocation-{allocation.pk}",
            "Title": allocation.proposal.title,
            "Description": allocation.proposal.summary or allocation.initiative.desired_change,
            "Currency": "CAD",
            "Amount Awarded": allocation.total_years + allocation.capacity_building_amount,
            "Award Date": allocation.ratified_on.isoformat(),
            "Recipient Org:Identifier": f"{conf['prefix']}-tq-{allocation.neighbourhood.slug}",
            "Recipient Org:Name": allocation.neighbourhood.table_name,
            # The partners whose contributions make the envelope of the allocation's years
            # (the operator, from the settings, when no contribution is recorded).
            "Funding Orgs": [(funder_identifier(conf, f), f.name)
                             for f in funders[allocation.pk]]
            or [(conf["funder_id"], conf["funder_name"])],
            "Planned Dates:Start Date": allocation.starts_on.isoformat(),
            "Planned Dates:End Date": allocation.ends_on.isoformat(),
            "Planned Dates:Duration (months)": months,
        })
    return rows


def funder_identifier(conf: dict, organisation) -> str:
    """A funder's identifier in the export: the operator's own (settings) for the operator,
    else one under the publisher's prefix."""
    if organisation.category == organisation.Category.OPERATOR:
        return conf["funder_id"]
    return f"{conf['prefix']}-org-{slugify(organisation.short_name or organisation.name)}"


def giving_csv(*, user: User) -> bytes:
    """One row per grant; the first funder in the standard's Funding Org columns, each other
    funder in numbered columns (Funding Org:1:Identifier, …), as 360Giving's flattened
    spreadsheets name a list."""
    rows = giving_rows(user=user)
    extra = max((len(r["Funding Orgs"]) for r in rows), default=1) - 1
    headers = list(GIVING_FIELDS)
    at = headers.index("Funding Org:Name") + 1
    numbered = [f"Funding Org:{n}:{part}" for n in range(1, extra + 1)
                for part in ("Identifier", "Name")]
    headers[at:at] = numbered
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        (first_id, first_name), *others = row["Funding Orgs"]
        values = {**row, "Funding Org:Identifier": first_id, "Funding Org:Name": first_name}
        for n in range(1, extra + 1):
            identifier, name = others[n - 1] if n <= len(others) else ("", "")
            values[f"Funding Org:{n}:Identifier"], values[f"Funding Org:{n}:Name"] = (
                identifier, name)
        dataset.append([values[h] for h in headers])
    return dataset_export(dataset, "csv", bom=False)


def giving_json(*, user: User) -> bytes:
    grants = [{
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
    } for r in giving_rows(user=user)]
    payload = {"grants": grants, "generated": timezone.localdate().isoformat()}
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
