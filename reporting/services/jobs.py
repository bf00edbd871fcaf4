"""Background exports and imports: a job is asked for in a request (which only records it and
schedules its task through the outbox), a worker builds or writes it, and the person follows
its progress on a page until the file or the result is there.

    queued ──start──▶ running ──finish──▶ done         (an export)
    uploaded ──check──▶ checking ──preview──▶ previewed ──confirm──▶ queued ──start──▶ running
        ──finish──▶ done                                (an import: its dry run, then its write)
    uploaded, checking, queued, running ──fail──▶ failed   (an import's rows in error: failed)

Progress (rows done) is written to the job's row, and to the cache under `progress_key`: an
import writes in one transaction (all or nothing), so only the cache (Redis when deployed)
shows its progress while it runs.
"""

import datetime
import logging
import tempfile

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pic import outbox
from pic.access import SYSTEM, ensure
from pic.audit import audit
from pic.models import User
from pic.notifications import notify

from .. import exports
from ..models import BackgroundJob, ExportJob, ImportJob
from ..resources import IMPORTS

logger = logging.getLogger(__name__)

Status = BackgroundJob.Status
# The one table of a job's moves: name → (states it may start from, state it leads to).
TRANSITIONS = {
    "check": ((Status.UPLOADED, Status.CHECKING), Status.CHECKING),  # again after a lost worker
    "preview": ((Status.CHECKING,), Status.PREVIEWED),
    "confirm": ((Status.PREVIEWED,), Status.QUEUED),
    "start": ((Status.QUEUED, Status.RUNNING), Status.RUNNING),  # again after a lost worker
    "finish": ((Status.RUNNING,), Status.DONE),
    "fail": ((Status.UPLOADED, Status.CHECKING, Status.QUEUED, Status.RUNNING), Status.FAILED),
}
# A worker killed while it runs a job (out of memory, a deploy) leaves it to be run again
# (reject_on_worker_lost, the outbox); past MAX_RUNS starts it fails instead of looping, so
# the person sees the failure and asks again rather than a progress bar that never ends.
RESTARTS = ("check", "start")
MAX_RUNS = 3
PROGRESS_TIMEOUT = 24 * 3600
ERRORS_KEPT = 200  # rows' errors an import keeps on its job (and its page shows)


def _move(job: BackgroundJob, name: str, **values) -> tuple[BackgroundJob, bool]:
    """Lock the row and make the move if the table allows it from the row's state (a repeat,
    or a job already finished, is left as it is); `values` are the other fields it writes."""
    sources, target = TRANSITIONS[name]
    with transaction.atomic():
        job = type(job).objects.select_for_update().get(pk=job.pk)
        if job.status not in sources:
            return job, False
        if name in RESTARTS:
            values["runs"] = job.runs + 1
            if values["runs"] > MAX_RUNS:
                job.status, job.finished_at = Status.FAILED, timezone.now()
                job.error = _("Le traitement s'est interrompu %(n)s fois en cours de route : "
                              "rien n'a été enregistré. Recommencez ; si cela se reproduit, "
                              "prévenez l'équipe de coordination.") % {"n": MAX_RUNS}
                job.save(update_fields=["status", "finished_at", "error"])
                logger.error("%s %s failed: its worker was lost %s times", type(job).__name__,
                             job.pk, MAX_RUNS)
                return job, False
        job.status = target
        for field, value in values.items():
            setattr(job, field, value)
        job.save(update_fields=["status", *values])
    return job, True


def progress_key(job: BackgroundJob) -> str:
    return f"pic:job-progress:{job._meta.model_name}:{job.pk}"


def _progress(job: BackgroundJob, rows_done: int) -> None:
    cache.set(progress_key(job), rows_done, PROGRESS_TIMEOUT)
    type(job).objects.filter(pk=job.pk).update(rows_done=rows_done)


def job_rows_done(job: BackgroundJob) -> int:
    """Rows done so far: the row's count, or the cache's while the job writes in a
    transaction not yet committed."""
    if job.status not in (Status.RUNNING, Status.CHECKING):
        return job.rows_done
    return max(job.rows_done, cache.get(progress_key(job)) or 0)


def job_get(model: type[BackgroundJob], *, pk: int, user: User) -> BackgroundJob:
    """A job the person may see (theirs; any for coordination), else DoesNotExist (404)."""
    return model.objects.visible_to(user).select_related("requested_by").get(pk=pk)


# --- Exports --------------------------------------------------------------------------------


@transaction.atomic
def export_job_request(*, kind: str, file_format: str, actor: User,
                       filters: dict | None = None) -> ExportJob:
    """Record an export to build in the background and schedule it; the file will hold only
    what `actor` may see (read as them when it is built)."""
    if not getattr(actor, "pk", None):
        raise PermissionDenied(_("Connectez-vous pour exporter."))
    if (kind, file_format) not in exports.BACKGROUND:
        raise ValidationError(_("Export inconnu."))
    job = ExportJob.objects.create(requested_by=actor, kind=kind, file_format=file_format,
                                   filters=filters or {})
    audit(actor, "export.requested", job, kind=kind, file_format=file_format,
          filters=job.filters)
    from ..tasks import build_export

    outbox.schedule(build_export, job.pk, key=f"export-job:{job.pk}")
    return job


def export_job_build(*, job_id: int) -> ExportJob | None:
    """The worker's part: write the file row by row into a temporary file, then into private
    storage, recording progress; a failure is kept on the job (the person sees it)."""
    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.finished:
        return job
    user = job.requested_by
    job, moved = _move(job, "start", started_at=timezone.now(), rows_done=0)
    if not moved:
        return job
    try:
        job.rows_total = exports.export_count(kind=job.kind, user=user)
        ExportJob.objects.filter(pk=job.pk).update(rows_total=job.rows_total)
        with tempfile.TemporaryFile() as handle:
            rows = exports.export_write(handle, kind=job.kind, file_format=job.file_format,
                                        user=user, progress=lambda n: _progress(job, n))
            handle.seek(0)
            job.file.save(exports.export_filename(job.kind, job.file_format), File(handle),
                          save=False)
    except Exception as error:  # noqa: BLE001 (kept on the job, shown to the person)
        logger.exception("Export job %s failed", job.pk)
        job, _moved = _move(job, "fail", error=repr(error)[:2000], finished_at=timezone.now())
        return job
    with transaction.atomic():
        job, moved = _move(job, "finish", file=job.file.name, rows_done=rows, rows_total=rows,
                           finished_at=timezone.now())
        if moved:
            export_ready(job)
    return job


def export_ready(job: ExportJob) -> None:
    """The one signal that an export is ready: a notification to the person who asked (the
    inbox, and an email at once unless they chose otherwise), once per job."""
    notify("export.ready", [job.requested_by_id], job, actor=SYSTEM,
           url=reverse("reporting:export-job", args=[job.pk]))


# --- Imports --------------------------------------------------------------------------------


@transaction.atomic
def import_job_upload(*, kind: str, upload, actor: User) -> ImportJob:
    """Keep the file sent (checked like every upload: its size, an XLSX's archive) in private
    storage as a job, and schedule its dry run: the worker reads every row and records what
    would change and each row's errors (import_job_preview); the person follows it on the
    job's page, then confirms."""
    ensure(actor, "data.import")
    if kind not in IMPORTS:
        raise ValidationError(_("Import inconnu."))
    content = upload.read()
    name = upload.name or ""
    file_format = "xlsx" if name.lower().endswith(".xlsx") else "csv"
    exports.check_import_file(content, file_format, name=name)
    job = ImportJob(requested_by=actor, kind=kind, file_format=file_format,
                    original_name=name[:255], status=Status.UPLOADED)
    job.file.save(f"import-{kind}.{file_format}", ContentFile(content), save=False)
    job.save()
    from ..tasks import preview_import

    outbox.schedule(preview_import, job.pk, key=f"import-preview:{job.pk}")
    return job


def import_job_preview(*, job_id: int) -> ImportJob | None:
    """The worker's first part: the dry run of the stored file (nothing written), with its
    progress. A clean file becomes a preview to confirm (its totals kept); a file with rows
    in error fails with each row's errors (ERRORS_KEPT at most on the job, and their count)."""
    job = ImportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.status not in TRANSITIONS["check"][0]:
        return job
    job, moved = _move(job, "check", started_at=timezone.now(), rows_done=0)
    if not moved:
        return job
    try:
        dataset = _dataset(job)
        job.rows_total = len(dataset)
        ImportJob.objects.filter(pk=job.pk).update(rows_total=job.rows_total)
        result = exports.import_run(kind=job.kind, dataset=dataset, actor=job.requested_by,
                                    dry_run=True, progress=lambda n: _progress(job, n))
    except ValidationError as error:  # the file itself unreadable: said to the person
        return _drop_file(_move(job, "fail", error=" ".join(error.messages),
                                finished_at=timezone.now())[0])
    except Exception as error:  # noqa: BLE001 (kept on the job, shown to the person)
        logger.exception("Import preview %s failed", job.pk)
        return _move(job, "fail", error=repr(error)[:2000], finished_at=timezone.now())[0]
    errors = exports.row_errors(result)
    if errors or result.has_errors():
        job, _moved = _move(job, "fail", finished_at=timezone.now(), rows_done=result.total_rows,
                            result={"totals": _totals(result), "errors": errors[:ERRORS_KEPT],
                                    "error_rows": len(errors)},
                            error=_("Des lignes comportent des erreurs : corrigez le fichier. "
                                    "Rien ne sera enregistré tant qu'une ligne est en erreur."))
        return _drop_file(job)
    return _move(job, "preview", rows_done=result.total_rows,
                 result={"totals": _totals(result)})[0]


def _drop_file(job: ImportJob) -> ImportJob:
    """A file refused at its dry run is of no more use: it is not kept (personal data)."""
    if job.file:
        name, storage = job.file.name, job.file.storage
        ImportJob.objects.filter(pk=job.pk).update(file="")
        job.file = ""
        storage.delete(name)
    return job


def _dataset(job: ImportJob):
    with job.file.open("rb") as handle:
        content = handle.read()
    return exports.load_dataset(content, job.file_format, name=job.original_name)


@transaction.atomic
def import_job_confirm(*, job: ImportJob, actor: User) -> ImportJob:
    """The person confirms the preview they saw: the file stored then is written by a worker."""
    ensure(actor, "data.import")
    if job.requested_by_id != actor.pk:
        raise PermissionDenied(_("Seule la personne qui a prévisualisé l'import le confirme."))
    job, moved = _move(job, "confirm", runs=0)  # the write's own runs (MAX_RUNS) from here
    if moved:
        from ..tasks import run_import

        outbox.schedule(run_import, job.pk, key=f"import-job:{job.pk}")
    return job


def import_job_run(*, job_id: int) -> ImportJob | None:
    """The worker's part: every row written in bulk in one transaction, or none (a row that
    became invalid since the preview: the rows' errors are kept on the job)."""
    job = ImportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.status not in TRANSITIONS["start"][0]:
        return job
    job, moved = _move(job, "start", started_at=timezone.now(), rows_done=0)
    if not moved:
        return job
    try:
        result = exports.import_run(kind=job.kind, dataset=_dataset(job), actor=job.requested_by,
                                    dry_run=False, progress=lambda n: _progress(job, n))
    except Exception as error:  # noqa: BLE001 (kept on the job, shown to the person)
        logger.exception("Import job %s failed", job.pk)
        job, _moved = _move(job, "fail", error=repr(error)[:2000], finished_at=timezone.now())
        return job
    errors = exports.row_errors(result)
    summary = {"totals": _totals(result), "errors": errors[:ERRORS_KEPT],
               "error_rows": len(errors)}
    if summary["errors"] or result.has_errors():
        job, _moved = _move(job, "fail", result=summary, finished_at=timezone.now(),
                            rows_done=result.total_rows,
                            error=_("Des lignes comportent des erreurs : rien n'a été "
                                    "enregistré."))
        return job
    job, _moved = _move(job, "finish", result=summary, rows_done=result.total_rows,
                        finished_at=timezone.now())
    return job


def jobs_purge(*, now=None) -> int:
    """Delete the export and import jobs asked for more than PIC_EXPORT_KEEP_DAYS ago, with
    their files in private storage (an export holds personal data: it is not kept forever).
    Returns the number of jobs deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.PIC_EXPORT_KEEP_DAYS)
    deleted = 0
    for model in (ExportJob, ImportJob):
        for job in model.objects.filter(created_at__lt=cutoff).exclude(
                status=Status.RUNNING).iterator():
            if job.file:
                job.file.delete(save=False)
            job.delete()
            deleted += 1
    return deleted


def _totals(result) -> dict:
    return {key: value for key, value in result.totals.items() if value}


__all__ = ["MAX_RUNS", "TRANSITIONS", "export_job_build", "export_job_request", "export_ready",
           "import_job_confirm", "import_job_preview", "import_job_run", "import_job_upload",
           "job_get", "job_rows_done", "jobs_purge", "progress_key"]
