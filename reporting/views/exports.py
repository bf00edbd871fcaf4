"""Exports and imports.

Each view: a selector scoped to the user, one service call, a message, a redirect."""

import base64

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from pic.access import ActionRequiredMixin, can, roles_of
from pic.forms import apply_validation_error

from .. import exports
from ..forms import (
    ImportForm,
)
from ..resources import EXPORTS


class ExportIndexView(LoginRequiredMixin, TemplateView):
    template_name = "reporting/exports.html"

    def get_context_data(self, **kwargs):
        labels = {"proposals": _("Propositions"), "allocations": _("Allocations"),
                  "disbursements": _("Versements"),
                  "financial-summaries": _("Sommaires financiers des rapports")}
        files_reader = roles_of(self.request.user).follows_files
        return super().get_context_data(
            exports=[(k, labels[k]) for k in EXPORTS] if files_reader else [],
            formats=list(exports.FORMATS),
            can_import=can(self.request.user, "data.import"), **kwargs)


class ExportView(LoginRequiredMixin, View):
    def get(self, request, kind, file_format):
        if kind not in EXPORTS or file_format not in exports.FORMATS:
            raise Http404
        data = exports.export_data(kind=kind, user=request.user, file_format=file_format)
        response = HttpResponse(data, content_type=exports.FORMATS[file_format])
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="pic-{kind}-{stamp}.{file_format}"'
        return response


class GivingExportView(LoginRequiredMixin, View):
    """The allocations in the 360Giving data standard."""

    def get(self, request, file_format):
        if file_format == "csv":
            data, content_type = exports.giving_csv(user=request.user), "text/csv; charset=utf-8"
        elif file_format == "json":
            data, content_type = exports.giving_json(user=request.user), "application/json"
        else:
            raise Http404
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="pic-360giving.{file_format}"'
        return response


def _import_content(data) -> tuple[bytes, str, str]:
    """(content, format, file name) of the file just picked, or of the one riding along from
    the preview (encoded, without a name)."""
    if data.get("file"):
        file_format = "xlsx" if data["file"].name.lower().endswith(".xlsx") else "csv"
        return data["file"].read(), file_format, data["file"].name
    file_format = data["file_format"] if data["file_format"] in ("csv", "xlsx") else "csv"
    return base64.b64decode(data["payload"]), file_format, ""


class ImportView(ActionRequiredMixin, View):
    """Upload → dry-run preview with per-row errors → confirm (the file rides along, encoded,
    so the person does not pick it again)."""

    action = "data.import"

    template_name = "reporting/import.html"
    kinds = [("organisations", gettext_lazy("Organisations")),
             ("neighbourhoods", gettext_lazy("Quartiers")), ("people", gettext_lazy("Personnes"))]

    def get(self, request):
        return render(request, self.template_name, {"form": ImportForm(kinds=self.kinds)})

    def post(self, request):
        form = ImportForm(request.POST, request.FILES, kinds=self.kinds)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        data = form.cleaned_data
        content, file_format, name = _import_content(data)
        try:
            dataset = exports.load_dataset(content, file_format, name=name)
            confirm = bool(data.get("confirm")) and not data.get("file")
            with transaction.atomic():
                result = exports.import_run(kind=data["kind"], dataset=dataset,
                                            actor=request.user, dry_run=not confirm)
        except ValidationError as error:
            apply_validation_error(form, error)
            return render(request, self.template_name, {"form": form}, status=400)
        failed = result.has_errors() or result.has_validation_errors()
        if confirm and not failed:
            messages.success(request, ngettext("Import terminé : %(n)s ligne traitée.",
                                               "Import terminé : %(n)s lignes traitées.",
                                               result.total_rows) % {"n": result.total_rows})
            return redirect("reporting:import")
        return render(request, self.template_name, {
            "form": ImportForm(kinds=self.kinds),
            "payload": base64.b64encode(content).decode("ascii"), "file_format": file_format,
            "result": result, "failed": failed, "kind": data["kind"],
            "row_errors": _row_errors(result)}, status=400 if failed else 200)


def _row_errors(result) -> list[dict]:
    rows = []
    for number, errors in result.row_errors():
        rows.append({"number": number, "messages": [str(e.error) for e in errors]})
    for invalid in result.invalid_rows:
        messages_ = [f"{field} : {' '.join(str(m) for m in msgs)}"
                     for field, msgs in invalid.error_dict.items()]
        rows.append({"number": invalid.number, "messages": messages_})
    return sorted(rows, key=lambda r: r["number"])
