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
    from ..services.reminders import digest_send, reminders_run

    today = timezone.localdate()
    sid = transaction.savepoint()
    try:
        digests, seconds, queries = _count_queries(lambda: reminders_run(today=today))
        recorded = ReminderSent.objects.filter(sent_on=today).count()
        pending = list(ReminderSent.objects.filter(emailed_on__isnull=True)
                       .order_by("user_id").values_list("user_id", flat=True).distinct())
        _v, send_seconds, send_queries = _count_queries(
            lambda: [digest_send(user_id=u, today=today) for u in pending])
    finally:
        transaction.savepoint_rollback(sid)
    log(f"  reminder run           {seconds:8.2f} s {queries:>6} q, {recorded} reminders, "
        f"{digests} digests ({send_seconds:.2f} s, {send_queries} q to send them)")
    return {"reminder run": {"seconds": seconds, "queries": queries, "reminders": recorded,
                             "digests": digests},
            "reminder digests sent": {"seconds": send_seconds, "queries": send_queries,
                                      "digests": len(pending)}}


def measure_exports(log=print) -> dict[str, dict]:
    from .. import exports
    from ..resources import EXPORTS

    staff = User.objects.get(email=STAFF)
    jobs = [(f"export {kind}.{fmt}",
             lambda kind=kind, fmt=fmt: exports.export_data(kind=kind, user=staff,
                                                            file_format=fmt))
            for kind in EXPORTS for fmt in exports.FORMATS]
    jobs += [("export 360giving.csv", lambda: exports.giving_csv(user=staff)),
             ("export 360giving.json", lambda: exports.giving_json(user=staff))]
    results = {}
    for label, job in jobs:
        data, seconds, peak = _with_memory(job)
        results[label] = {"seconds": seconds, "peak_mb": peak / 2**20, "bytes": len(data)}
        log(f"  {label:28} {seconds:8.2f} s {peak / 2**20:8.1f} MB {len(data) / 2**20:7.1f} MB out")
    return results


def people_csv(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "full_name", "language"])
    for i in range(rows):
        writer.writerow([f"import{i:05d}@bench.example.org", f"Personne importée {i:05d}", "fr"])
    return out.getvalue().encode("utf-8")


def measure_import(rows: int = 5000, log=print) -> dict[str, dict]:
    from .. import exports

    staff = User.objects.get(email=STAFF)
    dataset = exports.load_dataset(people_csv(rows), "csv")
    results = {}
    sid = transaction.savepoint()
    try:
        for label, dry_run in ((f"import {rows} people: preview", True),
                               (f"import {rows} people: confirm", False)):
            result, seconds, queries = _count_queries(
                lambda dry_run=dry_run: exports.import_run(kind="people", dataset=dataset,
                                                           actor=staff, dry_run=dry_run))
            results[label] = {"seconds": seconds, "queries": queries,
                              "errors": bool(result.has_errors()
                                             or result.has_validation_errors())}
            log(f"  {label:36} {seconds:8.2f} s {queries:>7} q")
    finally:
        transaction.savepoint_rollback(sid)
    return results


def measure_tasks(*, letters=True, reminders=True, exports=True, imports=True, log=print):
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
