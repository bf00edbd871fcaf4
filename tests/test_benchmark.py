import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from proposals.models import Proposal
from reporting import bench
from tests.conftest import in_ci


@pytest.mark.django_db
def test_bench_writes_the_results_table_and_leaves_the_database_as_it_was(tmp_path):
    output = tmp_path / "RESULTS.md"
    out = StringIO()
    call_command("bench", small=True, repeat=2, warmup=0, skip_tasks=True, output=str(output),
                 pages="tq-home,tq-proposal,staff-proposals,committee-vote", stdout=out)
    text = output.read_text()
    assert "## Machine" in text
    assert "- cores: " in text
    assert "## Sizes" in text
    header = next(line for line in text.splitlines() if line.startswith("| page |"))
    for column in ("queries demo → scale", "median demo → scale (ms)", "p95 scale (ms)",
                   "bare (ms)", "× bare", "× bare demo → scale", "HTML (KB)", "flat", "p95"):
        assert column in header
    rows = [line for line in text.splitlines() if line.startswith("| tq-")
            or line.startswith("| staff-") or line.startswith("| committee-")]
    assert len(rows) == 4
    assert all("| 200 |" in row for row in rows)
    # each run's median over its own bare page, demo then scale
    assert all(re.search(r"\| \d+\.\d → \d+\.\d \|", row) for row in rows)
    # Every target flagged on every row (met, missed, or — for none).
    assert all(row.count("met") + row.count("MISSED") >= 4 for row in rows)
    assert "| proposals | " in text
    assert "## Targets missed" in text
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_bench_refuses_unknown_pages():
    with pytest.raises(CommandError, match="Unknown page"):
        call_command("bench", pages="nowhere", stdout=StringIO())


def test_page_targets_are_flagged():
    demo = bench.PageResult(status=200, queries=8, median_ms=24, p95_ms=30, html_bytes=9000,
                            bare_ms=5)
    flat = bench.PageResult(status=200, queries=8, median_ms=35, p95_ms=40, html_bytes=9000,
                            bare_ms=5)
    grown = bench.PageResult(status=200, queries=9, median_ms=700, p95_ms=2500,
                             html_bytes=300_000, bare_ms=5)
    assert set(bench.page_checks("x", demo, flat, False).values()) == {True}
    assert bench.page_checks("x", demo, grown, False) == {
        "queries": False, "flat": False, "bare": False, "html": False, "p95": False}
    # Detail pages: 6× the bare page at most (7× here).
    assert bench.page_checks("x", demo, flat, True)["bare"] is False


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql" and not in_ci(),
    reason="the two copies side by side are PostgreSQL databases (CI runs this)",
)


def _databases_named(prefix: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix + "%"])
        return [row[0] for row in cursor.fetchall()]


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_bench_times_both_sizes_side_by_side_in_two_copies_it_drops(tmp_path):
    output = tmp_path / "RESULTS.md"
    out = StringIO()
    name = connection.settings_dict["NAME"]
    call_command("bench", small=True, repeat=2, warmup=0, skip_tasks=True, output=str(output),
                 pages="staff-proposals,committee-vote", stdout=out)
    text = output.read_text()
    assert "- demo and scale: side by side" in text
    sizes = re.search(r"\| proposals \| (\d+) \| ([\d,]+) \|", text)
    assert int(sizes[1]) == 13
    assert int(sizes[2].replace(",", "")) > 13
    rows = [line for line in text.splitlines() if line.startswith(("| staff-", "| committee-"))]
    assert len(rows) == 2
    assert all("| 200 |" in row for row in rows)
    assert all(re.search(r"\| (\d+) → \1 \|", row) for row in rows)  # same queries, both sizes
    assert "demo  staff-proposals" in out.getvalue()
    assert "scale staff-proposals" in out.getvalue()
    # the copies are gone, this database still empty and usable
    assert _databases_named(f"{name}_bench_") == []
    assert not Proposal.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_background_exports_are_timed_with_the_job_left_for_the_worker(settings, tmp_path):
    """Outside any transaction (as side by side), a job asked for in a request must still wait
    for the commit: an eager job run inside the request would make the request row time the
    whole export. Nothing the measurement writes stays."""
    from reporting.bench.tasks import measure_tasks
    from reporting.models import ExportJob

    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    call_command("seed_demo", force=True, verbosity=0, stdout=StringIO())
    events = _audit_events()
    assert not connection.in_atomic_block

    results = measure_tasks(letters=False, reminders=False, imports=False, log=lambda _: None)

    built = {label: row for label, row in results.items() if label.endswith("(worker)")}
    assert built, results
    assert {row["status_after_request"] for row in built.values()} == {"queued"}
    assert {row["status"] for row in built.values()} == {"done"}
    assert all(row["rows"] > 0 for row in built.values())
    assert not ExportJob.objects.exists()
    assert _audit_events() == events  # the export.requested events rolled back too


def _audit_events() -> int:
    from pic.models import AuditEvent

    return AuditEvent.objects.count()
