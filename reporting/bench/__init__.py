"""Measuring the application at demo size and at scale (`manage.py bench`).

Each key page of every role is requested through Django's in-process client (same middleware,
a logged-in session): SQL queries, median and p95 of the timed requests after warm-up, HTML
size, and the ratio to a bare page (base layout, one indexed query: reporting/bench_urls.py)
measured in the same pass. Then the letter render (1 and 100), the daily reminder run, every
export (time, peak Python memory by tracemalloc) and a 5,000-row import. `report_markdown`
writes the table with each target of issue 10 flagged met or missed.
"""

from .pages import (  # noqa: F401
    ADVISOR,
    MAX_BARE_RATIO,
    MAX_BARE_RATIO_DETAIL,
    MAX_GROWTH,
    MAX_HTML,
    MAX_P95_MS,
    MAX_QUERIES,
    MEMBER,
    PAGES,
    PARTNER,
    STAFF,
    TQ,
    Page,
    PageResult,
    Run,
    _get,
    _meeting,
    _open_item,
    _tq_proposal,
    _tq_report,
    measure_pages,
    p95,
)
from .report import (  # noqa: F401
    _flag,
    _task_misses,
    machine,
    page_checks,
    report_markdown,
    table_sizes,
)
from .tasks import (  # noqa: F401
    QueryCounter,
    _count_queries,
    _with_memory,
    measure_exports,
    measure_import,
    measure_letters,
    measure_reminders,
    measure_tasks,
    people_csv,
)
