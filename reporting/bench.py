"""Measuring the application at demo size and at scale (`manage.py bench`).

Each key page of every role is requested through Django's in-process client (same middleware,
a logged-in session): SQL queries, median and p95 of the timed requests after warm-up, HTML
size, and the ratio to a bare page (base layout, one indexed query: reporting/bench_urls.py)
measured in the same pass. Then the letter render (1 and 100), the daily reminder run, every
export (time, peak Python memory by tracemalloc) and a 5,000-row import. `report_markdown`
writes the table with each target of issue 10 flagged met or missed.
"""

import csv
import io
import math
import os
import platform
import statistics
import time
import tracemalloc
from dataclasses import dataclass, field

import django
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import AgendaItem, Meeting
from pic.models import User
from proposals.models import Proposal

from .models import Report

TQ = "tq.saint-michel@example.org"
ADVISOR = "conseillere.est@example.org"
STAFF = "coordination@example.org"
MEMBER = "gestion.chagnon@example.org"
PARTNER = "partenaire.mcconnell@example.org"

MAX_QUERIES = 15
MAX_GROWTH = 1.5
MAX_BARE_RATIO = 10
MAX_BARE_RATIO_DETAIL = 6
MAX_HTML = 100 * 1024
MAX_P95_MS = 2000


def _tq_proposal():
    return (Proposal.objects.filter(neighbourhood__slug="saint-michel").order_by("pk")
            .values_list("pk", flat=True).first())


def _tq_report():
    return (Report.objects.filter(allocation__neighbourhood__slug="saint-michel")
            .order_by("pk").values_list("pk", flat=True).first())


def _meeting():
    """The demo's coming meeting (its first open item), else the oldest meeting."""
    item = (AgendaItem.objects.filter(status=AgendaItem.Status.OPEN).order_by("pk")
            .values_list("meeting_id", flat=True).first())
    return item or Meeting.objects.order_by("pk").values_list("pk", flat=True).first()


def _open_item():
    return (AgendaItem.objects.filter(status=AgendaItem.Status.OPEN).order_by("pk")
            .values_list("pk", flat=True).first())


@dataclass(frozen=True)
class Page:
    key: str
    role: str
    email: str
    url_name: str
    arg: object = None  # a function giving the object's pk (the same object at both sizes)
    detail: bool = False  # detail and vote pages: the tighter ratio to the bare page

    def url(self) -> str | None:
        if self.arg is None:
            return reverse(self.url_name)
        pk = self.arg()
        return reverse(self.url_name, args=[pk]) if pk else None


PAGES = [
    Page("tq-home", "TQ", TQ, "home"),
    Page("tq-proposals", "TQ", TQ, "proposals:proposal-list"),
    Page("tq-proposal", "TQ", TQ, "proposals:proposal-detail", _tq_proposal, detail=True),
    Page("tq-report", "TQ", TQ, "reporting:report-detail", _tq_report, detail=True),
    Page("advisor-home", "advisor", ADVISOR, "home"),
    Page("advisor-files", "advisor", ADVISOR, "proposals:proposal-list"),
    Page("advisor-todo", "advisor", ADVISOR, "reporting:todo"),
    Page("staff-home", "staff", STAFF, "home"),
    Page("staff-proposals", "staff", STAFF, "proposals:proposal-list"),
    Page("staff-neighbourhoods", "staff", STAFF, "neighbourhoods:neighbourhood-list"),
    Page("staff-allocations", "staff", STAFF, "reporting:allocation-list"),
    Page("staff-dashboard", "staff", STAFF, "reporting:dashboard"),
    Page("staff-ratification", "staff", STAFF, "governance:ratification-list"),
    Page("staff-meetings", "staff", STAFF, "governance:meeting-list"),
    Page("staff-letters", "staff", STAFF, "governance:letter-list"),
    Page("staff-journal", "staff", STAFF, "neighbourhoods:audit-log"),
    Page("committee-home", "committee", MEMBER, "home"),
    Page("committee-agenda", "committee", MEMBER, "governance:meeting-detail", _meeting),
    Page("committee-vote", "committee", MEMBER, "governance:item-detail", _open_item,
         detail=True),
    Page("partner-home", "partner", PARTNER, "home"),
]


@dataclass
class PageResult:
    status: int
    queries: int
    median_ms: float
    p95_ms: float
    html_bytes: int
    bare_ms: float  # the bare page, same account, its requests interleaved with the page's

    @property
    def bare_ratio(self) -> float:
        return self.median_ms / self.bare_ms if self.bare_ms else 0.0


@dataclass
class Run:
    label: str
    sizes: dict[str, int] = field(default_factory=dict)
    pages: dict[str, PageResult] = field(default_factory=dict)
    tasks: dict[str, dict] = field(default_factory=dict)


def p95(values: list[float]) -> float:
    """Nearest rank: of 20 timings, the 19th."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _get(client: Client, url: str):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    return response, len(queries.captured_queries), elapsed


def measure_pages(pages: list[Page], *, repeat: int, warmup: int, log=print
                  ) -> dict[str, PageResult]:
    """Each timed request of a page follows one of the bare page, same client: both see the
    same load (the machine may be shared), and the ratio compares like with like."""
    clients: dict[str, Client] = {}
    bare_url = reverse("bench-bare")
    results = {}
    for page in pages:
        client = clients.get(page.email)
        if client is None:
            user = User.objects.filter(email=page.email).first()
            if user is None:
                log(f"  {page.key}: no account {page.email}, skipped")
                continue
            client = clients[page.email] = Client()
            client.force_login(user)
        url = page.url()
        if url is None:
            log(f"  {page.key}: nothing to show, skipped")
            continue
        for _ in range(warmup):
            client.get(bare_url)
            client.get(url)
        timings, bare = [], []
        for _ in range(repeat):
            bare.append(_get(client, bare_url)[2])
            response, queries, elapsed = _get(client, url)
            timings.append(elapsed)
        results[page.key] = PageResult(
            status=response.status_code, queries=queries, median_ms=statistics.median(timings),
            p95_ms=p95(timings), html_bytes=len(response.content),
            bare_ms=statistics.median(bare))
        log(f"  {page.key:22} {response.status_code} {queries:>3} q "
            f"{results[page.key].median_ms:8.1f} ms {len(response.content) / 1024:7.1f} KB "
            f"(bare {results[page.key].bare_ms:.1f} ms)")
    return results


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
    from .models import ReminderSent
    from .services.reminders import digest_send, reminders_run

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
    from . import exports
    from .resources import EXPORTS

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
    from . import exports

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


# --- Sizes, machine, report ------------------------------------------------------------------


def table_sizes() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    from governance.models import Vote
    from neighbourhoods.models import Neighbourhood
    from pic.models import AuditEvent

    from .models import Allocation

    models = {"neighbourhoods": Neighbourhood, "people": get_user_model(), "proposals": Proposal,
              "meetings": Meeting, "agenda items": AgendaItem, "votes": Vote,
              "allocations": Allocation, "reports": Report, "audit events": AuditEvent}
    return {label: model.objects.count() for label, model in models.items()}


def machine() -> dict[str, str]:
    memory = ""
    try:
        with open("/proc/meminfo") as meminfo:
            kb = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
            memory = f"{kb / 2**20:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    database = connection.vendor
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {"date": timezone.now().strftime("%Y-%m-%d %H:%M UTC"),
            "cores": str(os.cpu_count()), "memory": memory, "database": database,
            "python": platform.python_version(), "django": django.get_version(),
            "load average (1, 5, 15 min) at start": load}


def _flag(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "**MISSED**")


def page_checks(key: str, demo: PageResult | None, scale: PageResult | None,
                detail: bool) -> dict[str, bool | None]:
    """Each page target of issue 10, on the scale run (the demo run when there is no scale)."""
    final = scale or demo
    limit = MAX_BARE_RATIO_DETAIL if detail else MAX_BARE_RATIO
    both = demo is not None and scale is not None
    return {
        "queries": final.queries <= MAX_QUERIES and (not both or scale.queries == demo.queries),
        "flat": (scale.median_ms <= MAX_GROWTH * demo.median_ms) if both else None,
        "bare": final.bare_ratio <= limit,
        "html": final.html_bytes <= MAX_HTML,
        "p95": final.p95_ms <= MAX_P95_MS,
    }


def report_markdown(runs: list[Run], *, machine_info: dict, repeat: int, warmup: int,
                    note: str = "") -> str:
    demo = next((r for r in runs if r.label == "demo"), None)
    scale = next((r for r in runs if r.label == "scale"), None)
    lines = ["# Benchmark results", "",
             "Written by `python manage.py bench` (reporting/bench.py). In-process Django "
             f"client, {repeat} timed requests per page after {warmup} warm-up; times in ms. "
             "Targets (issue 10): at most 15 queries and the same count as at demo size; "
             "median at most 1.5× the demo median; median at most 10× the bare page (6× for "
             "detail and vote pages); at most 100 KB of HTML; p95 at most 2 s.", ""]
    if note:
        lines += [note, ""]
    lines += ["## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in machine_info.items()]
    lines += ["", "## Sizes", "", "| table | " + " | ".join(r.label for r in runs) + " |",
              "| --- |" + " ---: |" * len(runs)]
    for label in runs[0].sizes:
        lines.append(f"| {label} | " + " | ".join(f"{r.sizes.get(label, 0):,}" for r in runs)
                     + " |")
    lines += ["", "## Pages", "",
              "| page | role | status | queries demo → scale | median demo → scale (ms) | "
              "p95 scale (ms) | bare (ms) | × bare | HTML (KB) | queries | flat | × bare | "
              "HTML | p95 |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | "
              "--- |"]
    missed = []
    for page in PAGES:
        d = demo.pages.get(page.key) if demo else None
        s = scale.pages.get(page.key) if scale else None
        if d is None and s is None:
            continue
        final = s or d
        checks = page_checks(page.key, d, s, page.detail)
        missed += [f"{page.key}: {name}" for name, ok in checks.items() if ok is False]
        queries = f"{d.queries if d else '—'} → {s.queries if s else '—'}"
        medians = (f"{d.median_ms:.0f} → {s.median_ms:.0f}" if d and s
                   else f"{final.median_ms:.0f}")
        lines.append(
            f"| {page.key} (`{page.url_name}`) | {page.role} | {final.status} | {queries} | "
            f"{medians} | {final.p95_ms:.0f} | {final.bare_ms:.1f} | {final.bare_ratio:.1f} | "
            f"{final.html_bytes / 1024:.1f} | "
            + " | ".join(_flag(checks[n]) for n in ("queries", "flat", "bare", "html", "p95"))
            + " |")
    lines += ["", "## Background work", "", "| task | run | seconds | queries | peak memory "
              "(MB) | output (MB) | notes |", "| --- | --- | ---: | ---: | ---: | ---: | --- |"]
    for run in runs:
        for label, values in run.tasks.items():
            notes = ", ".join(f"{k} {v}" for k, v in values.items()
                              if k not in ("seconds", "queries", "peak_mb", "bytes"))
            lines.append(
                f"| {label} | {run.label} | {values['seconds']:.2f} | "
                f"{values.get('queries', '—')} | "
                + (f"{values['peak_mb']:.1f}" if "peak_mb" in values else "—") + " | "
                + (f"{values['bytes'] / 2**20:.1f}" if "bytes" in values else "—")
                + f" | {notes} |")
    task_missed = _task_misses((scale or demo).tasks if (scale or demo) else {})
    lines += ["", "## Targets missed", ""]
    lines += [f"- {m}" for m in missed + task_missed] or ["- none"]
    lines += ["", "Export times are measured with tracemalloc on (it slows Python allocation); "
              "peak memory is Python's (tracemalloc), not the process's RSS.", ""]
    return "\n".join(lines)


def _task_misses(tasks: dict) -> list[str]:
    missed = []
    for label, values in tasks.items():
        if "error" in values:
            missed.append(f"{label}: failed ({values['error']})")
        elif label.startswith("export"):
            if values["seconds"] > MAX_P95_MS / 1000:
                missed.append(f"{label}: {values['seconds']:.1f} s in the request (target: "
                              "no export request over 2 s)")
            if values["peak_mb"] > 200:
                missed.append(f"{label}: peak {values['peak_mb']:.0f} MB (target < 200 MB)")
        elif label.endswith("confirm") and values["seconds"] > 30:
            missed.append(f"{label}: {values['seconds']:.1f} s (target < 30 s)")
        elif label == "reminder run" and values["seconds"] > 15:
            missed.append(f"{label}: {values['seconds']:.1f} s, {values['queries']} queries "
                          "(target < 15 s, queries growing with people, not reminders)")
    return missed

