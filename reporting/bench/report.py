"""Table sizes, the machine, and bench/RESULTS.md with each target met or missed."""

import os
import platform

import django
from django.db import connection
from django.utils import timezone

from governance.models import AgendaItem, Meeting
from proposals.models import Proposal

from ..models import Report
from .pages import (
    MAX_BARE_RATIO,
    MAX_BARE_RATIO_DETAIL,
    MAX_GROWTH,
    MAX_HTML,
    MAX_P95_MS,
    MAX_QUERIES,
    PAGES,
    PageResult,
    Run,
)

# --- Sizes, machine, report ------------------------------------------------------------------


def table_sizes() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    from governance.models import Vote
    from neighbourhoods.models import Neighbourhood
    from pic.models import AuditEvent

    from ..models import Allocation

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
              "p95 scale (ms) | bare (ms) | × bare | × bare demo → scale | HTML (KB) | queries | "
              "flat | × bare | HTML | p95 |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | "
              "--- | --- |"]
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
        # the growth with the machine's speed of each run taken out (each run's own bare page)
        ratios = f"{d.bare_ratio:.1f} → {s.bare_ratio:.1f}" if d and s else "—"
        lines.append(
            f"| {page.key} (`{page.url_name}`) | {page.role} | {final.status} | {queries} | "
            f"{medians} | {final.p95_ms:.0f} | {final.bare_ms:.1f} | {final.bare_ratio:.1f} | "
            f"{ratios} | "
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
    lines += ["", "An export's seconds are a run at full speed; its peak memory is Python's "
              "(tracemalloc) in a second run, not the process's RSS. A streamed CSV's request "
              "time is its first chunk's; a background export's is the job's recording (the "
              "worker's build is the seconds column). « × bare demo → scale » is each run's "
              "median over its own bare page: the growth with the data once the machine's "
              "speed during each run is taken out (« flat » is judged on the medians "
              "themselves, as issue 10 sets it).", ""]
    return "\n".join(lines)


def _task_misses(tasks: dict) -> list[str]:
    missed = []
    for label, values in tasks.items():
        if "error" in values:
            missed.append(f"{label}: failed ({values['error']})")
        elif label.startswith("export"):
            # The request: the job recorded (worker), or the first chunk sent (streamed).
            request = values.get("request_seconds", values.get("first_chunk_seconds",
                                                               values["seconds"]))
            if request > MAX_P95_MS / 1000:
                missed.append(f"{label}: {request:.1f} s in the request (target: "
                              "no export request over 2 s)")
            if values["peak_mb"] > 200:
                missed.append(f"{label}: peak {values['peak_mb']:.0f} MB (target < 200 MB)")
        elif (label.startswith("import") and label.endswith("(request)")
              and values["seconds"] > MAX_P95_MS / 1000):
            missed.append(f"{label}: {values['seconds']:.1f} s (target: no import request "
                          "over 2 s)")
        elif (label.endswith(("confirm", "(worker)")) and "import" in label
              and values["seconds"] > 30):
            missed.append(f"{label}: {values['seconds']:.1f} s (target < 30 s)")
        elif label == "reminder run" and values["seconds"] > 15:
            missed.append(f"{label}: {values['seconds']:.1f} s, {values['queries']} queries "
                          "(target < 15 s, queries growing with people, not reminders)")
    return missed
