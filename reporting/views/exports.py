"""Exports and imports.

A CSV export streams from the request; an XLSX export, the 360Giving files and an import (its
preview, then its confirmed write) are jobs run by a worker (reporting.services.jobs),
followed on their own page."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from pic.access import ActionRequiredMixin, can, roles_of
from pic.files import private_file_response
from pic.forms import apply_validation_error
from pic.spreadsheets import streaming_csv_response

from .. import exports
from ..forms import ImportForm
from ..models import BackgroundJob, ExportJob, ImportJob
from ..resources import EXPORTS
from ..services import jobs

RECENT_JOBS = 10


class ExportIndexView(LoginRequiredMixin, TemplateView):
    template_name = "reporting/exports.html"

    def get_context_data(self, **kwargs):
        labels = {"proposals": _("Propositions"), "allocations": _("Allocations"),
                  "disbursements": _("Versements"),
                  "financial-summaries": _("Sommaires financiers des rapports")}
        files_reader = roles_of(self.request.user).follows_files
        recent = ExportJob.objects.filter(requested_by=self.request.user)[:RECENT_JOBS]
        return super().get_context_data(
            exports=[(k, labels[k]) for k in EXPORTS] if files_reader else [],
            jobs=[job_context(job) for job in recent],
            can_import=can(self.request.user, "data.import"), **kwargs)


class ExportView(LoginRequiredMixin, View):
    """A CSV export, streamed while its rows are read."""

    def get(self, request, kind, file_format):
        if (kind, file_format) not in exports.STREAMED:
            raise Http404
        header, rows = exports.export_rows(kind=kind, user=request.user)
        return streaming_csv_response(exports.export_filename(kind, file_format), header, rows)


class ExportJobCreateView(LoginRequiredMixin, View):
    """Ask for an export built in the background (POST): its page follows the progress."""

    def post(self, request):
        try:
            job = jobs.export_job_request(kind=request.POST.get("kind", ""),
                                          file_format=request.POST.get("file_format", ""),
                                          actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("reporting:exports")
        messages.success(request, _("Export demandé : le fichier se prépare."))
        return redirect("reporting:export-job", pk=job.pk)


def job_context(job: BackgroundJob) -> dict:
    """What the progress fragment shows (reporting/_job_progress.html)."""
    is_export = isinstance(job, ExportJob)
    url_name = "reporting:export-job" if is_export else "reporting:import-job"
    download = (reverse("reporting:export-job-download", args=[job.pk])
                if is_export and job.status == job.Status.DONE and job.file else "")
    return {"job": job, "rows_done": jobs.job_rows_done(job), "download_url": download,
            "page_url": reverse(url_name, args=[job.pk]),
            "progress_url": reverse(f"{url_name}-progress", args=[job.pk]),
            "is_export": is_export}


class JobMixin(LoginRequiredMixin):
    """A job the person may see (their own; any for coordination), else 404."""

    model: type[BackgroundJob] = ExportJob

    def get_job(self) -> BackgroundJob:
        try:
            return jobs.job_get(self.model, pk=self.kwargs["pk"], user=self.request.user)
        except self.model.DoesNotExist as exc:
            raise Http404 from exc


class JobDetailView(JobMixin, View):
    template_name = "reporting/job_detail.html"

    def get(self, request, pk):
        return render(request, self.template_name, job_context(self.get_job()))


class JobProgressView(JobMixin, View):
    """The progress as JSON (Accept: application/json, or ?format=json), else the page's
    progress fragment (what htmx swaps in every two seconds)."""

    def get(self, request, pk):
        context = job_context(self.get_job())
        job = context["job"]
        if request.GET.get("format") == "json" or (
                "application/json" in request.headers.get("Accept", "")):
            return JsonResponse({"status": job.status, "rows_done": context["rows_done"],
                                 "rows_total": job.rows_total, "percent": job.percent,
                                 "finished": job.finished, "error": job.error,
                                 "download_url": context["download_url"] or None})
        return render(request, "reporting/_job_progress.html", context)


class ExportJobDownloadView(JobMixin, View):
    def get(self, request, pk):
        job = self.get_job()
        if job.status != job.Status.DONE or not job.file:
            raise Http404
        return private_file_response(job.file, filename=exports.export_filename(
            job.kind, job.file_format), content_type=exports.FORMATS[job.file_format])


class ImportJobMixin:
    model = ImportJob


class ImportJobDetailView(ImportJobMixin, JobDetailView):
    pass


class ImportJobProgressView(ImportJobMixin, JobProgressView):
    pass


class ImportView(ActionRequiredMixin, View):
    """Upload (kept as a job) → its dry run by a worker, the job's page showing the preview
    or each row's errors → confirm by the job's id → written by a worker."""

    action = "data.import"
    template_name = "reporting/import.html"
    kinds = [("organisations", gettext_lazy("Organisations")),
             ("neighbourhoods", gettext_lazy("Quartiers")), ("people", gettext_lazy("Personnes"))]

    def render_page(self, request, form, status=200):
        recent = ImportJob.objects.filter(requested_by=request.user)[:RECENT_JOBS]
        return render(request, self.template_name, {"form": form, "jobs": recent}, status=status)

    def get(self, request):
        return self.render_page(request, ImportForm(kinds=self.kinds))

    def post(self, request):
        form = ImportForm(request.POST, request.FILES, kinds=self.kinds)
        if not form.is_valid():
            return self.render_page(request, form, status=400)
        data = form.cleaned_data
        if data.get("job") and not data.get("file"):  # the confirmation of a preview
            return self.confirm(request, data["job"])
        try:
            job = jobs.import_job_upload(kind=data["kind"], upload=data["file"],
                                         actor=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.render_page(request, form, status=400)
        messages.success(request, _("Fichier reçu : ses lignes se vérifient en arrière-plan."))
        return redirect("reporting:import-job", pk=job.pk)

    def confirm(self, request, job_id):
        try:
            job = jobs.job_get(ImportJob, pk=job_id, user=request.user)
            job = jobs.import_job_confirm(job=job, actor=request.user)
        except (ImportJob.DoesNotExist, PermissionDenied) as exc:
            raise Http404 from exc
        messages.success(request, _("Import confirmé : les lignes s'écrivent en arrière-plan."))
        return redirect("reporting:import-job", pk=job.pk)
