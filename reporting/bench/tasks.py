"""Background work measured at scale: letters, reminders, exports, an import."""

import csv
import io
import time
import tracemalloc

from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from pic.models import User
from proposals.models import Proposal

from .pages import STAFF

# --- Background work: letters, reminders, exports, import ------------------------------------


class QueryCounter:
    """Counts the statements sent (no limit, no SQL kept, unlike CaptureQueriesContext)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _count_queries(function):
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        value = function()
        seconds = time.perf_counter() - started
    return value, seconds, counter.count


def _with_memory(function):
    tracemalloc.start()
    try:
        started = time.perf_counter()
        value = function()
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return value, seconds, peak


def _timed_then_traced(function):
    """(value, seconds, peak bytes): the time of a run at full speed, the peak of a second run
    under tracemalloc (which slows openpyxl several times, so it is not the timed one)."""
    started = time.perf_counter()
    value = function()
    seconds = time.perf_counter() - started
    _again, _seconds, peak = _with_memory(function)
    return value, seconds, peak


def measure_letters(log=print) -> dict[str, dict]:
    from governance.letters import letter_render
    from governance.models import DecisionLetter

    proposals = list(Proposal.objects.filter(status=Proposal.Status.LETTER_SENT)
                     .select_related("neighbourhood").order_by("pk")[:100])
    if not proposals:
        return {}
    results = {}
    for label, chosen in (("letter: 1", proposals[:1]), ("letters: 100", proposals)):
        _v, seconds, queries = _count_queries(
            lambda chosen=chosen: [letter_render(p, DecisionLetter.Kind.ALLOCATION)
                                   for p in chosen])
        results[label] = {"seconds": seconds, "queries": queries, "count": len(chosen)}
        log(f"  {label:22} {seconds:8.2f} s {queries:>6} q")
    return results


def measure_reminders(log=print) -> dict[str, dict]:
    from ..models import ReminderSent
    from ..services.digests import DIGEST_BATCH, digests_send
    from ..services.reminders import reminders_run

    today = timezone.localdate()
    sid = transaction.savepoint()
    try:
        digests, seconds, queries = _count_queries(lambda: reminders_run(today=today))
        recorded = ReminderSent.objects.filter(sent_on=today).count()
        pending = list(ReminderSent.objects.filter(emailed_on__isnull=True)
                       .order_by("user_id").values_list("user_id", flat=True).distinct())
        _v, send_seconds, send_queries = _count_queries(
            lambda: [digests_send(user_ids=pending[i:i + DIGEST_BATCH], today=today)
                     for i in range(0, len(pending), DIGEST_BATCH)])
    finally:
        transaction.savepoint_rollback(sid)
    log(f"  reminder run           {seconds:8.2f} s {queries:>6} q, {recorded} reminders, "
        f"{digests} digests ({send_seconds:.2f} s, {send_queries} q to send them)")
    return {"reminder run": {"seconds": seconds, "queries": queries, "reminders": recorded,
                             "digests": digests},
            "reminder digests sent": {"seconds": send_seconds, "queries": send_queries,
                                      "digests": len(pending)}}


def measure_exports(log=print) -> dict[str, dict]:
    """Each CSV export as the request streams it (every chunk consumed); each background
    export in its two parts: the request (records the job) and the worker (builds the file
    into private storage). The time of each at full speed; its peak memory (tracemalloc) in a
    second run."""
    from pic.spreadsheets import csv_chunks

    from .. import exports
    from ..models import ExportJob
    from ..services import jobs

    staff = User.objects.get(email=STAFF)
    results = {}

    def streamed(kind):
        started = time.perf_counter()
        header, rows = exports.export_rows(kind=kind, user=staff)
        chunks = csv_chunks(header, rows)
        size = len(next(chunks))
        first = time.perf_counter() - started
        return size + sum(len(chunk) for chunk in chunks), first

    for kind, fmt in sorted(exports.STREAMED):
        (size, first), seconds, peak = _timed_then_traced(lambda kind=kind: streamed(kind))
        label = f"export {kind}.{fmt} (streamed)"
        results[label] = {"seconds": seconds, "peak_mb": peak / 2**20, "bytes": size,
                          "first_chunk_seconds": round(first, 3)}
        log(f"  {label:44} {seconds:8.2f} s {peak / 2**20:8.1f} MB {size / 2**20:7.1f} MB out, "
            f"first chunk {first * 1000:.0f} ms")
    for kind, fmt in sorted(exports.BACKGROUND):
        job, request_seconds, _queries = _count_queries(
            lambda kind=kind, fmt=fmt: jobs.export_job_request(kind=kind, file_format=fmt,
                                                               actor=staff))
        job.refresh_from_db(fields=["status"])
        after_request = job.status  # queued: the request did not build the file
        started = time.perf_counter()
        job = jobs.export_job_build(job_id=job.pk)
        seconds = time.perf_counter() - started
        again = jobs.export_job_request(kind=kind, file_format=fmt, actor=staff)
        again, _seconds, peak = _with_memory(lambda again=again: jobs.export_job_build(
            job_id=again.pk))
        again.file.delete(save=False)
        size = job.file.size if job.file else 0
        label = f"export {kind}.{fmt} (worker)"
        results[label] = {"seconds": seconds, "peak_mb": peak / 2**20, "bytes": size,
                          "request_seconds": round(request_seconds, 3), "rows": job.rows_done,
                          "status_after_request": after_request, "status": job.status}
        log(f"  {label:44} {seconds:8.2f} s {peak / 2**20:8.1f} MB {size / 2**20:7.1f} MB out, "
            f"{job.rows_done} rows, request {request_seconds * 1000:.0f} ms ({after_request}), "
            f"{job.status}")
        if job.file:
            job.file.delete(save=False)
    ExportJob.objects.filter(requested_by=staff).delete()
    return results


def people_csv(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "full_name", "language"])
    for i in range(rows):
        writer.writerow([f"import{i:05d}@bench.example.org", f"Personne importée {i:05d}", "fr"])
    return out.getvalue().encode("utf-8")


def measure_import(rows: int = 5000, log=print) -> dict[str, dict]:
    """The import of `rows` people as the page runs it: the file sent (request), its dry run
    (worker), the confirmation (request) and the bulk write (worker)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ..services import jobs

    staff = User.objects.get(email=STAFF)
    upload = SimpleUploadedFile("people.csv", people_csv(rows), content_type="text/csv")
    results = {}
    sid = transaction.savepoint()
    try:
        job, seconds, queries = _count_queries(
            lambda: jobs.import_job_upload(kind="people", upload=upload, actor=staff))
        label = f"import {rows} people: upload (request)"
        results[label] = {"seconds": seconds, "queries": queries}
        log(f"  {label:44} {seconds:8.2f} s {queries:>7} q")
        steps = ((f"import {rows} people: preview (worker)",
                  lambda: jobs.import_job_preview(job_id=job.pk)),
                 (f"import {rows} people: confirm (request)",
                  lambda: jobs.import_job_confirm(job=job, actor=staff)),
                 (f"import {rows} people: write (worker)",
                  lambda: jobs.import_job_run(job_id=job.pk)))
        for label, step in steps:
            done, seconds, queries = _count_queries(step)
            results[label] = {"seconds": seconds, "queries": queries, "status": done.status,
                              "rows": done.rows_done}
            log(f"  {label:44} {seconds:8.2f} s {queries:>7} q, {done.status}")
        job.file.delete(save=False)
    finally:
        transaction.savepoint_rollback(sid)
    return results


class _RolledBack(Exception):  # noqa: N818 (a control-flow signal, not an error)
    pass


def measure_tasks(*, letters=True, reminders=True, exports=True, imports=True, log=print):
    """Every step in one transaction, rolled back at the end: nothing written stays, and a job
    asked for in a request waits for the commit (outbox.schedule), as it does in production,
    so the request is timed alone and the worker's part apart. Outside a transaction an eager
    job would run inside the request and the request rows would time the whole job."""
    results = {}
    try:
        with transaction.atomic():
            results = _measure_steps(letters=letters, reminders=reminders, exports=exports,
                                     imports=imports, log=log)
            raise _RolledBack
    except _RolledBack:
        pass
    return results


def _measure_steps(*, letters, reminders, exports, imports, log):
    results = {}
    mail.outbox = []
    steps = [(letters, "letters", lambda: measure_letters(log)),
             (reminders, "reminder run", lambda: measure_reminders(log)),
             (exports, "exports", lambda: measure_exports(log)),
             (imports, "import", lambda: measure_import(log=log))]
    for wanted, label, step in steps:
        if not wanted:
            continue
        sid = transaction.savepoint()
        try:
            results.update(step())
            transaction.savepoint_commit(sid)
        except Exception as error:  # noqa: BLE001 (a failed step is reported, the run goes on)
            transaction.savepoint_rollback(sid)
            log(f"  {label}: failed: {error!r}")
            results[label] = {"seconds": 0.0, "error": repr(error)[:200]}
    return results
