"""Measure the main pages at two data sizes: SQL queries and time per page view.

    python manage.py benchmark [--scale 200] [--repeat 5]

It loads the demo data, measures every page, adds `--scale` more initiatives and proposals
spread over the neighbourhoods, measures again, and rolls everything back: the database is left
as it was. Page views must run the same number of queries at both sizes (the tests assert it
with django_assert_max_num_queries); the times show the cost per view on this machine.
"""

import random
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from neighbourhoods.models import Neighbourhood
from pic.models import User
from proposals.models import Initiative, Proposal, ProposalYear, Stage

PAGES = [
    ("coordination@example.org", "home", ()),
    ("coordination@example.org", "proposals:proposal-list", ()),
    ("coordination@example.org", "neighbourhoods:neighbourhood-list", ()),
    ("coordination@example.org", "governance:meeting-list", ()),
    ("coordination@example.org", "governance:ratification-list", ()),
    ("coordination@example.org", "reporting:dashboard", ()),
    ("conseillere.est@example.org", "home", ()),
    ("conseillere.est@example.org", "proposals:proposal-list", ()),
    ("tq.saint-michel@example.org", "home", ()),
    ("tq.saint-michel@example.org", "proposals:proposal-list", ()),
    ("tq.saint-michel@example.org", "proposals:proposal-detail", ("saint-michel",)),
    ("gestion.chagnon@example.org", "home", ()),
]


class Rollback(Exception):  # noqa: N818
    pass


class Command(BaseCommand):
    help = "Time the main pages and count their SQL queries at two data sizes (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=200,
                            help="Initiatives and proposals added for the second measure.")
        parser.add_argument("--repeat", type=int, default=5, help="Views timed per page.")

    def handle(self, *args, scale: int, repeat: int, **options):
        # Files (letters, documents) go to a scratch folder: the data is rolled back, so are they.
        with tempfile.TemporaryDirectory(prefix="pic-benchmark-") as scratch, override_settings(
                ALLOWED_HOSTS=["*"], PIC_REQUIRE_STAFF_MFA=False,
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                MEDIA_ROOT=Path(scratch), PRIVATE_MEDIA_ROOT=Path(scratch) / "private"):
            try:
                with transaction.atomic():
                    call_command("seed_demo", force=True, verbosity=0, stdout=self.stdout)
                    before = self.measure(repeat)
                    self.grow(scale)
                    after = self.measure(repeat)
                    raise Rollback
            except Rollback:
                pass
        self.report(before, after, scale)

    def grow(self, scale: int) -> None:
        rng = random.Random(2026)  # noqa: S311 (benchmark data, not security)
        neighbourhoods = list(Neighbourhood.objects.all())
        stages = list(Stage.objects.all())
        statuses = [Proposal.Status.DRAFT, Proposal.Status.SUBMITTED,
                    Proposal.Status.IN_ANALYSIS, Proposal.Status.RESUBMITTED]
        for n in range(scale):
            neighbourhood = rng.choice(neighbourhoods)
            stage = rng.choice(stages)
            initiative = Initiative.objects.create(
                neighbourhood=neighbourhood, program=stage.program,
                title=f"Initiative de mesure {n}", desired_change="Mesure de performance")
            proposal = Proposal.objects.create(
                neighbourhood=neighbourhood, initiative=initiative, stage=stage,
                status=rng.choice(statuses), title=f"Proposition de mesure {n}",
                duration_years=stage.normal_duration_years)
            ProposalYear.objects.bulk_create(
                ProposalYear(proposal=proposal, year_number=year,
                             amount=Decimal(stage.min_yearly_amount))
                for year in range(1, stage.normal_duration_years + 1))

    def measure(self, repeat: int) -> dict[tuple, tuple[int, float, int]]:
        results = {}
        clients: dict[str, Client] = {}
        for email, name, args in PAGES:
            client = clients.get(email)
            if client is None:
                client = clients[email] = Client()
                client.force_login(User.objects.get(email=email))
            url = reverse(name, args=self.resolve(args))
            timings = []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append(time.perf_counter() - started)
            results[(email, name)] = (len(queries.captured_queries),
                                      statistics.median(timings) * 1000, response.status_code)
        return results

    @staticmethod
    def resolve(args: tuple) -> list:
        if args == ("saint-michel",):
            return [Proposal.objects.filter(neighbourhood__slug="saint-michel")
                    .order_by("pk").values_list("pk", flat=True).first()]
        return list(args)

    def report(self, before, after, scale: int) -> None:
        self.stdout.write(f"{'account':32} {'page':38} {'status':>6} {'queries':>9} "
                          f"{'+' + str(scale):>8} {'ms':>8} {'ms+':>8}")
        growing = []
        for key, (queries, ms, status) in before.items():
            queries_after, ms_after, _status = after[key]
            flag = "" if queries_after == queries else "  <- grows with the data"
            if flag:
                growing.append(key)
            self.stdout.write(f"{key[0]:32} {key[1]:38} {status:>6} {queries:>9} "
                              f"{queries_after:>8} {ms:>8.1f} {ms_after:>8.1f}{flag}")
        if growing:
            self.stderr.write(f"{len(growing)} page(s) run more queries with more data.")
        else:
            self.stdout.write(self.style.SUCCESS("Every page runs a constant number of queries."))
