"""Annual and final reports: pages, edits, transitions, documents.

Each view: a selector scoped to the user, one service call, a message, a redirect."""


from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from pic.access import can, ensure
from pic.drafts import StaleDraft, saved_message, version_of
from pic.files import private_file_response
from pic.forms import apply_validation_error, error_summary
from pic.notes.selectors import note_thread
from pic.views import ActionView

from .. import selectors
from ..forms import (
    FinancialStatementForm,
    IndicatorValuesForm,
    QuestionProgressForm,
    ReportDocumentForm,
    ReportTextForm,
    RequestChangesForm,
)
from ..models import Report
from ..sections import GROUPS, progress, report_sections, report_sections_for
from ..services import reports

AUTOSAVE = "X-PIC-Autosave"  # a draft saved by itself (static/js/pic.js): a JSON answer


def _report_context(report, user, **forms):
    lines = list(report.lines.all())
    threshold = reports.variance_threshold(report)
    context = {
        "report": report, "variance_threshold": threshold,
        "budget_fixed": bool(reports.report_budget(report)),
        "statement": reports.statement(lines, labels=reports.category_labels(report),
                                       threshold=threshold),
        "transitions": reports.allowed_transitions(report.status),
        "is_member": can(user, "report.edit", report),
        # a button shows when the state allows the transition and the person its action
        "can": {name: can(user, f"report.{name}", report)
                for name in reports.allowed_transitions(report.status)},
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
        return super().get_context_data(**_report_context(report, self.request.user),
                                        thread=note_thread(user=self.request.user, obj=report),
                                        **kwargs)


def _save_draft(report, actor, forms, version) -> Report:
    """The four valid forms saved as the report's draft (ValidationError: refused;
    StaleDraft: a newer save stands)."""
    return reports.report_save_draft(
        report=report, actor=actor,
        texts={k: v for k, v in forms["text_form"].cleaned_data.items()},
        lines=forms["statement_form"].lines(),
        indicator_values=forms["indicator_form"].values(),
        question_progress=forms["progress_form"].values(), version=version)


def _attach(request, report, forms) -> bool:
    """The document sent with the form (« Joindre » posts the whole report, so nothing typed
    is lost): stored, or its errors on forms["document_form"]. True when there was none."""
    if not request.FILES.get("file"):
        return True
    form = forms["document_form"] = ReportDocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return False
    try:
        reports.report_document_upload(report=report, upload=form.cleaned_data["file"],
                                       actor=request.user)
    except ValidationError as error:
        apply_validation_error(form, error)
        return False
    messages.success(request, _("Le document est joint au rapport."))
    return True


def _after_draft_saved(request, report, pk):
    if "submit" in request.POST:  # then the confirmation page of the hand-in
        return redirect("reporting:report-resubmit" if report.status ==
                        Report.Status.CHANGES_REQUESTED else "reporting:report-submit", pk=pk)
    anchor = "#section-documents" if "attach" in request.POST else ""
    return redirect(reverse("reporting:report-edit", args=[pk]) + anchor)


def _edit_context(report, user, forms) -> dict:
    """The report's page: its sections (reporting/sections.py) with their status at the top,
    one error summary for all its forms, the version it was drawn from (pic.drafts)."""
    unbound = forms if not forms["text_form"].is_bound else ReportEditView.forms(report)
    states = report_sections(report, unbound, reports.submission_errors(report))
    errors = [*error_summary(forms["text_form"], forms["indicator_form"],
                             forms["progress_form"], forms.get("document_form") or
                             ReportDocumentForm()),
              *forms["statement_form"].error_summary()]
    return _report_context(report, user, **forms, sections=states, progress=progress(states),
                           shown=report_sections_for(forms["text_form"]), groups=GROUPS,
                           errors=errors, version=version_of(report))


def _stale_answer(request, report, forms, stale, autosave):
    if autosave:
        return JsonResponse({"conflict": True, "message": stale.messages[0],
                             "version": stale.version}, status=409)
    messages.error(request, stale.messages[0])
    report = selectors.report_get(user=request.user, pk=report.pk)  # its newer version
    return render(request, ReportEditView.template_name,
                  _edit_context(report, request.user, forms), status=409)


def _save_and_answer(request, report, forms, autosave: bool):
    """Save the valid forms (and the document sent with them): the answer, or None when the
    page is to be drawn again with what to correct."""
    try:
        saved = _save_draft(report, request.user, forms, request.POST.get("version"))
    except StaleDraft as stale:
        return _stale_answer(request, report, forms, stale, autosave)
    except ValidationError as error:
        apply_validation_error(forms["statement_form"], error)
        return None
    if autosave:
        return JsonResponse({"message": saved_message(saved), "version": version_of(saved)})
    if not _attach(request, saved, forms):
        return None
    messages.success(request, saved_message(saved))
    return _after_draft_saved(request, report, report.pk)


class ReportEditView(LoginRequiredMixin, View):
    """The neighbourhood writes its report: texts, financial statement, indicators and
    documents, in sections on one page, saved as a draft at any time (by its button, or by
    itself: the header X-PIC-Autosave asks for a JSON answer)."""

    template_name = "reporting/report_edit.html"

    @staticmethod
    def forms(report, data=None):
        return {"text_form": ReportTextForm(data, instance=report),
                "statement_form": FinancialStatementForm(data, report=report),
                "indicator_form": IndicatorValuesForm(data, report=report),
                "progress_form": QuestionProgressForm(data, report=report)}

    def get_report(self, request, pk):
        report = selectors.report_get(user=request.user, pk=pk)
        ensure(request.user, "report.edit", report)
        return report

    def get(self, request, pk):
        report = self.get_report(request, pk)
        return render(request, self.template_name,
                      _edit_context(report, request.user, self.forms(report)))

    def post(self, request, pk):
        report, autosave = self.get_report(request, pk), request.headers.get(AUTOSAVE) == "1"
        forms = self.forms(report, request.POST)
        if all(form.is_valid() for form in forms.values()):
            answer = _save_and_answer(request, report, forms, autosave)
            if answer is not None:
                return answer
        if autosave:
            return JsonResponse({"message": _("Non enregistré : des champs sont à corriger.")},
                                status=400)
        report = selectors.report_get(user=request.user, pk=pk)
        return render(request, self.template_name,
                      _edit_context(report, request.user, forms), status=400)


class ReportActionView(ActionView):
    # Asked before the form is read (a refusal is a 403 with its reason): `action`, else the
    # transition's own action "report.<transition>".
    action = ""
    transition = ""

    def get_object(self):
        report = selectors.report_get(user=self.request.user, pk=self.kwargs["pk"])
        ensure(self.request.user, self.action or f"report.{self.transition}", report)
        return report

    def get_success_url(self, report):
        return reverse("reporting:report-detail", args=[report.pk])

    def get_context_data(self, report, form, **kwargs):
        return super().get_context_data(report, form, report=report, **kwargs)


class ReportTransitionView(ReportActionView):
    """Hand in (again) or accept: a confirmation page says what will happen; a refusal lists
    what is missing, field by field, on the page where it is fixed."""

    transition = ""
    confirm = True

    def perform(self, report, _form):
        report = reports.TRANSITION_FUNCTIONS[self.transition](report=report,
                                                               actor=self.request.user)
        if report.kind == Report.Kind.FINAL and report.status == Report.Status.ACCEPTED:
            messages.info(self.request, _("L'étape est close : le quartier peut proposer "
                                          "l'étape suivante ou une nouvelle initiative."))

    def refused(self, report, form, error):
        if hasattr(error, "error_dict"):
            error = ValidationError([f"{_field_label(field)} : {message.message}"
                                     for field, errors in error.error_dict.items()
                                     for message in errors])
        return super().refused(report, None, error)

    def get_error_url(self, report):
        if self.transition in ("submit", "resubmit") and report.status in reports.EDITABLE_STATES:
            return reverse("reporting:report-edit", args=[report.pk])
        return self.get_success_url(report)

    def get_cancel_url(self, report):
        return self.get_error_url(report)


class ReportSubmitView(ReportTransitionView):
    transition = "submit"
    success_message = _("Le rapport est remis à votre conseiller·ère.")
    confirm_template = "reporting/report_confirm.html"

    def get_context_data(self, report, form, **kwargs):
        """What is still missing, said before the person confirms."""
        rule_errors = reports.submission_errors(report)
        missing = [f"{_field_label(field)} : {message}"
                   for field, messages_ in rule_errors.items() for message in messages_]
        if report.status in reports.EDITABLE_STATES:  # « Vérifier et remettre »
            states = report_sections(report, ReportEditView.forms(report), rule_errors)
            kwargs.update(sections=states, progress=progress(states),
                          edit_url=reverse("reporting:report-edit", args=[report.pk]))
        if missing:  # the button stays disabled, the reason beside it
            kwargs["confirm_blocked"] = _("Le rapport ne peut pas encore être remis : "
                                          "complétez d'abord ce qui est indiqué plus haut.")
        return super().get_context_data(report, form, missing=missing, **kwargs)

    def confirmation(self, report):
        return {"title": _("Remettre le rapport"), "subject": report,
                "consequences": [
                    _("Le rapport ne se modifie plus, sauf si des modifications vous sont "
                      "demandées."),
                    _("Votre conseiller·ère le reçoit pour l'accepter ou demander des "
                      "modifications.")],
                "button": _("Oui, remettre le rapport")}


class ReportResubmitView(ReportSubmitView):
    transition = "resubmit"
    success_message = _("Le rapport est remis de nouveau.")


class ReportAcceptView(ReportTransitionView):
    transition = "accept"
    success_message = _("Le rapport est accepté.")

    def confirmation(self, report):
        consequences = [_("Le rapport est accepté tel quel : il ne se modifie plus.")]
        if report.kind == Report.Kind.FINAL:
            consequences.append(_("C'est le rapport final : l'allocation est close et "
                                  "l'étape se termine."))
        return {"title": _("Accepter le rapport"), "subject": report,
                "consequences": consequences, "button": _("Oui, accepter le rapport")}


def _field_label(field: str) -> str:
    if field in ("lines",):
        return _("État financier")
    try:
        return str(Report._meta.get_field(field).verbose_name).capitalize()
    except Exception:  # noqa: BLE001
        return field


class ReportRequestChangesView(ReportActionView):
    action = "report.request_changes"
    form_class = RequestChangesForm
    template_name = "reporting/report_detail.html"
    success_message = _("Les modifications sont demandées au quartier.")

    def get_context_data(self, report, form, **kwargs):
        return _report_context(report, self.request.user, request_changes_form=form)

    def perform(self, report, form):
        reports.report_request_changes(report=report, actor=self.request.user,
                                       message=form.cleaned_data["message"])


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
