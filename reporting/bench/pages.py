"""The key pages of every role, measured with the bare page beside them."""

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import AgendaItem, Meeting
from pic.models import User
from proposals.models import Proposal

from ..models import Report

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
    Page("committee-items", "committee", MEMBER, "governance:items-to-vote"),
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


def _client(clients: dict[str, Client], email: str) -> Client | None:
    if email not in clients:
        user = User.objects.filter(email=email).first()
        clients[email] = None
        if user is not None:
            clients[email] = Client()
            clients[email].force_login(user)
    return clients[email]


def measure_pages(pages: list[Page], *, repeat: int, warmup: int, sides: dict[str, Callable],
                  log=print) -> dict[str, dict[str, PageResult]]:
    """Each timed request of a page follows one of the bare page, same client: both see the
    same load (the machine may be shared), and the ratio compares like with like. `sides`:
    label → a function pointing the database at that size (side_by_side.py); with two, each
    timed request is made at both sizes in turn, so the two sizes see the same load too.
    Returns label → page key → result."""
    clients: dict[str, dict] = {label: {} for label in sides}
    bare_url = reverse("bench-bare")
    results: dict[str, dict[str, PageResult]] = {label: {} for label in sides}
    for page in pages:
        ready = {}
        for label, switch in sides.items():
            switch()
            client = _client(clients[label], page.email)
            url = page.url() if client else None
            if client is None:
                log(f"  {label} {page.key}: no account {page.email}, skipped")
            elif url is None:
                log(f"  {label} {page.key}: nothing to show, skipped")
            else:
                ready[label] = (client, url)
        for _ in range(warmup):
            for label, (client, url) in ready.items():
                sides[label]()
                client.get(bare_url)
                client.get(url)
        timings = {label: [] for label in ready}
        bare = {label: [] for label in ready}
        last = {}
        for _ in range(repeat):
            for label, (client, url) in ready.items():
                sides[label]()
                bare[label].append(_get(client, bare_url)[2])
                response, queries, elapsed = _get(client, url)
                timings[label].append(elapsed)
                last[label] = (response, queries)
        for label, (response, queries) in last.items():
            result = results[label][page.key] = PageResult(
                status=response.status_code, queries=queries,
                median_ms=statistics.median(timings[label]), p95_ms=p95(timings[label]),
                html_bytes=len(response.content), bare_ms=statistics.median(bare[label]))
            log(f"  {label:5} {page.key:22} {response.status_code} {queries:>3} q "
                f"{result.median_ms:8.1f} ms {len(response.content) / 1024:7.1f} KB "
                f"(bare {result.bare_ms:.1f} ms)")
    return results
