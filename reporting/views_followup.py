"""Follow-up pages (reporting/views.py holds the role homes and is edited elsewhere).

Each view: a selector scoped to the user, one service call, a message, a redirect."""

import base64

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from neighbourhoods.models import is_advisor, is_coordination
from neighbourhoods.permissions import CoordinationRequiredMixin
from pic.files import private_file_response
from pic.forms import apply_validation_error
from proposals.models import Program

from . import allocations as allocation_services
from . import checkins, dashboards, exports, reminders, reports, selectors
from .access import FollowupRequiredMixin
from .forms import (
    CheckInForm,
    DisbursementForm,
    EnvelopeForm,
    FinancialStatementForm,
    ImportForm,
    IndicatorForm,
    IndicatorValuesForm,
    QuestionProgressForm,
    ReminderPreferenceForm,
    ReportDocumentForm,
    ReportingConfigForm,
    ReportTextForm,
    RequestChangesForm,
)
from .models import ReminderPreference, Report
from .resources import EXPORTS
from .roles import roles_of


class TodoView(LoginRequiredMixin, TemplateView):
    """What to do next: the same items as the daily digest."""

    template_name = "reporting/todo.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            items=reminders.todo_for(user=self.request.user, today=timezone.localdate()),
            **kwargs)


class ReminderPreferenceView(LoginRequiredMixin, FormView):
    template_name = "reporting/preferences.html"
    form_class = ReminderPreferenceForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = (ReminderPreference.objects.filter(user=self.request.user).first()
                              or ReminderPreference(user=self.request.user))
        return kwargs

    def form_valid(self, form):
        reminders.reminder_preference_save(user=self.request.user, actor=self.request.user,
                                           **{f: form.cleaned_data[f] for f in form.fields})
        messages.success(self.request, _("Vos préférences de rappel sont enregistrées."))
        return redirect("reporting:preferences")


class DashboardView(FollowupRequiredMixin, TemplateView):
    def get_template_names(self):
        user = self.request.user
        if is_coordination(user):
            return ["reporting/dashboard_coordination.html"]
        if is_advisor(user):
            return ["reporting/dashboard_advisor.html"]
        return ["reporting/dashboard_neighbourhood.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        context["today"] = today
        if is_coordination(user):
            context.update(dashboards.coordination_dashboard(user=user, today=today))
        elif is_advisor(user):
            context["rows"] = dashboards.advisor_dashboard(user=user, today=today)
        else:
            context.update(dashboards.neighbourhood_dashboard(user=user, today=today))
        return context


class AllocationListView(LoginRequiredMixin, ListView):
    template_name = "reporting/allocation_list.html"
    context_object_name = "allocations"
    paginate_by = 50

    def get_queryset(self):
        return selectors.allocation_list(user=self.request.user).order_by(
            "neighbourhood__name", "-starts_on")


class AllocationDetailView(LoginRequiredMixin, TemplateView):
    template_name = "reporting/allocation_detail.html"

    def get_context_data(self, **kwargs):
        allocation = selectors.allocation_get(user=self.request.user, pk=self.kwargs["pk"])
        context = super().get_context_data(allocation=allocation, **kwargs)
        context["can_disburse"] = is_coordination(self.request.user)
        context["today"] = timezone.localdate()
        context["disbursement_form"] = kwargs.get("disbursement_form") or DisbursementForm(
            allocation=allocation, initial={"paid_on": timezone.localdate()})
        context["indicator_form"] = IndicatorForm(proposal=allocation.proposal)
        context["questions"] = allocation.proposal.evaluation_questions.prefetch_related(
            "indicators")
        context["final_report"] = next(
            (r for r in allocation.reports.all() if r.kind == Report.Kind.FINAL), None)
        return context


class DisbursementCreateView(LoginRequiredMixin, View):
    def post(self, request, pk):
        allocation = selectors.allocation_get(user=request.user, pk=pk)
        form = DisbursementForm(request.POST, allocation=allocation)
        if form.is_valid():
            try:
                allocation_services.disbursement_record(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Le versement est enregistré."))
                return redirect("reporting:allocation-detail", pk=pk)
        view = AllocationDetailView()
        view.setup(request, pk=pk)
        return render(request, view.template_name,
                      view.get_context_data(disbursement_form=form), status=400)


class IndicatorCreateView(LoginRequiredMixin, View):
    def post(self, request, pk):
        allocation = selectors.allocation_get(user=request.user, pk=pk)
        form = IndicatorForm(request.POST, proposal=allocation.proposal)
        if form.is_valid():
            try:
                reports.indicator_add(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("L'indicateur est ajouté."))
        else:
            messages.error(request, _("Indicateur incomplet : nom et unité sont requis."))
        return redirect("reporting:allocation-detail", pk=pk)


class EnvelopeView(CoordinationRequiredMixin, FormView):
    template_name = "reporting/envelopes.html"
    form_class = EnvelopeForm

    def get_program(self):
        program = Program.objects.order_by("-starts_on").first()
        if program is None:
            raise Http404
        return program

    def get_context_data(self, **kwargs):
        program = self.get_program()
        kwargs.setdefault("config_form", ReportingConfigForm(
            instance=allocation_services.config_for(program)))
        return super().get_context_data(program=program,
                                        rows=selectors.envelope_summary(program=program),
                                        **kwargs)

    def form_valid(self, form):
        try:
            allocation_services.envelope_set(program=self.get_program(), actor=self.request.user,
                                             **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("L'enveloppe est enregistrée."))
        return redirect("reporting:envelopes")


class ReportingConfigView(EnvelopeView):
    """POST only: the program's follow-up delays (they apply to allocations made after)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        program = self.get_program()
        form = ReportingConfigForm(request.POST, instance=allocation_services.config_for(program))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(config_form=form), status=400)
        try:
            allocation_services.reporting_config_save(program=program, actor=request.user,
                                                      **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.render_to_response(self.get_context_data(config_form=form), status=400)
        messages.success(request, _("Les paramètres du suivi sont enregistrés."))
        return redirect("reporting:envelopes")


# --- Reports -------------------------------------------------------------------------------


def _report_context(report, user, **forms):
    lines = list(report.lines.all())
    context = {
        "report": report, "statement": reports.statement(lines),
        "transitions": reports.allowed_transitions(report.status),
        "is_member": reports.access.is_member_of(user, report.allocation.neighbourhood_id),
        "is_follower": is_coordination(user) or reports.access.is_advisor_of(
            user, report.allocation.neighbourhood_id),
        "editable": report.status in reports.EDITABLE_STATES,
        "request_changes_form": RequestChangesForm(),
        "document_form": ReportDocumentForm(),
    }
    context.update(forms)
    return context


class ReportDetailView(LoginRequiredMixin, TemplateView):
    template_name = "reporting/report_detail.html"

    def get_context_data(self, **kwargs):
        report = selectors.report_get(user=self.request.user, pk=self.kwargs["pk"])
        return super().get_context_data(**_report_context(report, self.request.user), **kwargs)


class ReportEditView(LoginRequiredMixin, View):
    """The neighbourhood writes its report: texts, financial statement and indicators, saved
    as a draft at any time."""

    template_name = "reporting/report_edit.html"

    def forms(self, report, data=None):
        return {"text_form": ReportTextForm(data, instance=report),
                "statement_form": FinancialStatementForm(data, report=report),
                "indicator_form": IndicatorValuesForm(data, report=report),
                "progress_form": QuestionProgressForm(data, report=report)}

    def get_report(self, request, pk):
        report = selectors.report_get(user=request.user, pk=pk)
        if not reports.access.is_member_of(request.user, report.allocation.neighbourhood_id):
            raise PermissionDenied(_("Réservé aux membres de la table de quartier."))
        return report

    def get(self, request, pk):
        report = self.get_report(request, pk)
        return render(request, self.template_name,
                      _report_context(report, request.user, **self.forms(report)))

    def post(self, request, pk):
        report = self.get_report(request, pk)
        forms = self.forms(report, request.POST)
        if all(form.is_valid() for form in forms.values()):
            try:
                reports.report_save_draft(
                    report=report, actor=request.user,
                    texts={k: v for k, v in forms["text_form"].cleaned_data.items()},
                    lines=forms["statement_form"].lines(),
                    indicator_values=forms["indicator_form"].values(),
                    question_progress=forms["progress_form"].values())
            except ValidationError as error:
                apply_validation_error(forms["statement_form"], error)
            else:
                if "submit" in request.POST:
                    return ReportTransitionView.as_view(transition=(
                        "resubmit" if report.status == Report.Status.CHANGES_REQUESTED
                        else "submit"))(request, pk=pk)
                messages.success(request, _("Le brouillon est enregistré."))
                return redirect("reporting:report-edit", pk=pk)
        report = selectors.report_get(user=request.user, pk=pk)
        return render(request, self.template_name,
                      _report_context(report, request.user, **forms), status=400)


class ReportTransitionView(LoginRequiredMixin, View):
    transition = ""
    messages_done = {
        "submit": _("Le rapport est remis à votre conseiller·ère."),
        "resubmit": _("Le rapport est remis de nouveau."),
        "accept": _("Le rapport est accepté."),
    }

    def post(self, request, pk):
        report = selectors.report_get(user=request.user, pk=pk)
        try:
            report = reports.TRANSITION_FUNCTIONS[self.transition](report=report,
                                                                   actor=request.user)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    for message in errors:
                        messages.error(request, f"{_field_label(field)} : {message.message}")
            else:
                for message in error.messages:
                    messages.error(request, message)
            return redirect("reporting:report-edit" if report.status in reports.EDITABLE_STATES
                            and self.transition in ("submit", "resubmit")
                            else "reporting:report-detail", pk=pk)
        messages.success(request, str(self.messages_done[self.transition]))
        if report.kind == Report.Kind.FINAL and report.status == Report.Status.ACCEPTED:
            messages.info(request, _("L'étape est close : le quartier peut proposer l'étape "
                                     "suivante ou une nouvelle initiative."))
        return redirect("reporting:report-detail", pk=pk)


def _field_label(field: str) -> str:
    if field in ("lines",):
        return _("État financier")
    try:
        return str(Report._meta.get_field(field).verbose_name).capitalize()
    except Exception:  # noqa: BLE001
        return field


class ReportRequestChangesView(LoginRequiredMixin, View):
    def post(self, request, pk):
        report = selectors.report_get(user=request.user, pk=pk)
        form = RequestChangesForm(request.POST)
        if form.is_valid():
            try:
                reports.report_request_changes(report=report, actor=request.user,
                                               message=form.cleaned_data["message"])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Les modifications sont demandées au quartier."))
                return redirect("reporting:report-detail", pk=pk)
        return render(request, "reporting/report_detail.html",
                      _report_context(report, request.user, request_changes_form=form),
                      status=400)


class ReportDocumentUploadView(LoginRequiredMixin, View):
    def post(self, request, pk):
        report = selectors.report_get(user=request.user, pk=pk)
        form = ReportDocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                reports.report_document_upload(report=report, upload=form.cleaned_data["file"],
                                               actor=request.user)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Le document est joint au rapport."))
        else:
            messages.error(request, _("Choisissez un document."))
        return redirect("reporting:report-edit", pk=pk)


class ReportDocumentDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk, document_pk):
        report = selectors.report_get(user=request.user, pk=pk)
        document = report.documents.filter(pk=document_pk).first()
        if document is None:
            raise Http404
        return private_file_response(document.file, filename=document.original_name,
                                     content_type=document.content_type)


# --- Check-ins ------------------------------------------------------------------------------


class CheckInRecordView(LoginRequiredMixin, FormView):
    template_name = "reporting/checkin_form.html"
    form_class = CheckInForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.checkin = selectors.checkin_get(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.checkin
        return kwargs

    def get_context_data(self, **kwargs):
        neighbourhood_id = self.checkin.allocation_year.allocation.neighbourhood_id
        return super().get_context_data(
            checkin=self.checkin, today=timezone.localdate(),
            can_record=is_coordination(self.request.user)
            or reports.access.is_advisor_of(self.request.user, neighbourhood_id), **kwargs)

    def form_valid(self, form):
        try:
            checkins.checkin_record(checkin=self.checkin, actor=self.request.user,
                                    **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Le bilan de mi-année est enregistré."))
        return redirect("reporting:allocation-detail",
                        pk=self.checkin.allocation_year.allocation_id)


# --- Exports and imports -------------------------------------------------------------------


class ExportIndexView(LoginRequiredMixin, TemplateView):
    template_name = "reporting/exports.html"

    def get_context_data(self, **kwargs):
        labels = {"proposals": _("Propositions"), "allocations": _("Allocations"),
                  "disbursements": _("Versements"),
                  "financial-summaries": _("Sommaires financiers des rapports")}
        roles = roles_of(self.request.user)
        files_reader = roles.coordination or roles.advisor or roles.neighbourhood_member
        return super().get_context_data(
            exports=[(k, labels[k]) for k in EXPORTS] if files_reader else [],
            formats=list(exports.FORMATS),
            can_import=is_coordination(self.request.user), **kwargs)


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


class ImportView(CoordinationRequiredMixin, View):
    """Upload → dry-run preview with per-row errors → confirm (the file rides along, encoded,
    so the person does not pick it again)."""

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
        name = data["file"].name if data.get("file") else ""
        if data.get("file"):
            content = data["file"].read()
            file_format = "xlsx" if data["file"].name.lower().endswith(".xlsx") else "csv"
        else:
            content = base64.b64decode(data["payload"])
            file_format = data["file_format"] if data["file_format"] in ("csv", "xlsx") else "csv"
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
            messages.success(request, _("Import terminé : %(n)s ligne(s) traitée(s).")
                             % {"n": result.total_rows})
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


