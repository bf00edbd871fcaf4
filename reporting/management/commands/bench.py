"""Measure every key page at demo size and at scale, in one run, and write bench/RESULTS.md.

    python manage.py bench [--repeat 20] [--pages tq-home,staff-proposals] [--skip-scale]

On an empty database: on PostgreSQL, two copies of it side by side, one with the demo, one with
the demo and the scale data, each timed request made at both sizes in turn, both copies dropped
at the end (reporting/bench/side_by_side.py); elsewhere, or with --one-after-the-other,
seed_demo, measure, seed_scale on top, measure again, all rolled back at the end (--keep leaves
the data). See reporting/bench/ for what is measured and README "Performance at scale" for the
targets.
"""

import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings

from reporting import bench, portfolio, scale
from reporting.bench.side_by_side import SideBySide, SideBySideUnavailable
from reporting.management.commands.seed_demo import CHATTY_LOGGERS, LOCMEM, quiet


class Rollback(Exception):  # noqa: N818
    pass


DATABASE_CACHE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                              "LOCATION": "pic_cache"}}
TASKS = ("letters", "reminders", "exports", "imports")  # bench.measure_tasks's steps


class Command(BaseCommand):
    help = "Measure the key pages and background work at demo size and at scale."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20, help="Timed requests per page.")
        parser.add_argument("--warmup", type=int, default=2, help="Untimed requests first.")
        parser.add_argument("--pages", default="",
                            help="Comma-separated page keys (default: all): "
                                 + ", ".join(p.key for p in bench.PAGES))
        parser.add_argument("--skip-scale", action="store_true", help="Demo size only.")
        parser.add_argument("--skip-tasks", action="store_true",
                            help="Pages only: no letters, reminders, exports, import (these "
                                 "are measured on the last run only: scale, else demo).")
        parser.add_argument("--tasks", default="",
                            help="Comma-separated background work to measure (default: all): "
                                 + ", ".join(TASKS))
        parser.add_argument("--small", action="store_true",
                            help="The scale run uses seed_scale's small preset.")
        parser.add_argument("--no-files", action="store_true",
                            help="seed_scale writes no document files.")
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "bench" /
                                                    "RESULTS.md"))
        parser.add_argument("--note", default="", help="A line added to RESULTS.md.")
        parser.add_argument("--keep", action="store_true",
                            help="Keep the demo and scale data: the two copies of the "
                                 "database side by side, else commit instead of rolling back.")
        parser.add_argument("--one-after-the-other", action="store_true",
                            help="Measure the demo, then the scale data on top, in this "
                                 "database (the default on PostgreSQL: side by side, two "
                                 "copies of it, each timed request made at both sizes).")

    def handle(self, *args, **options):
        reason = scale.real_data_reason()
        if reason:
            raise CommandError(f"bench refuses to run on this database ({reason}): it loads "
                               "the demo and the scale data set. Use an empty database.")
        if scale.already_seeded():
            raise CommandError("The scale data set is already loaded: bench measures the demo "
                               "first, so it needs a database without it.")
        unknown_tasks = {t for t in options["tasks"].split(",") if t} - set(TASKS)
        if unknown_tasks:
            raise CommandError(f"Unknown task(s): {', '.join(sorted(unknown_tasks))}")
        wanted = {k for k in options["pages"].split(",") if k}
        unknown = wanted - {p.key for p in bench.PAGES}
        if unknown:
            raise CommandError(f"Unknown page(s): {', '.join(sorted(unknown))}")
        pages = [p for p in bench.PAGES if not wanted or p.key in wanted]
        log = self.stdout.write
        machine = bench.machine()
        runs = []
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="pic-bench-") as scratch, override_settings(
                ALLOWED_HOSTS=["*"], PIC_REQUIRE_STAFF_MFA=False, EMAIL_BACKEND=LOCMEM,
                ROOT_URLCONF="reporting.bench_urls", CELERY_TASK_ALWAYS_EAGER=True,
                MEDIA_ROOT=Path(scratch), PRIVATE_MEDIA_ROOT=Path(scratch) / "private"), \
                quiet((*CHATTY_LOGGERS, "django.request")):
            copies = None
            if not options["skip_scale"] and not options["one_after_the_other"]:
                try:
                    copies = SideBySide()
                    copies.create_demo()
                except SideBySideUnavailable as why:
                    log(f"The two sizes cannot be side by side ({why}): one after the other.")
                    copies = None
            if copies:
                self.side_by_side(copies, pages, options, log, runs, machine)
            else:
                self.one_after_the_other(pages, options, log, runs, machine)
        machine["bench run"] = f"{time.perf_counter() - started:.0f} s"
        text = self.write(runs, machine, options)
        self.stdout.write(text)
        self.stdout.write(self.style.SUCCESS(f"Written: {options['output']}"))

    def one_after_the_other(self, pages, options, log, runs, machine) -> None:
        """In one transaction, rolled back: the demo, measured; the scale data on top,
        measured."""
        machine["demo and scale"] = "one after the other (demo, then scale on top)"
        try:
            with transaction.atomic():
                log("Loading the demo…")
                call_command("seed_demo", force=True, verbosity=0, stdout=self.stdout)
                last = options["skip_scale"]
                self.measure("demo", pages, options, log, runs, machine, tasks=last)
                if not options["skip_scale"]:
                    self.load_scale(options, machine)
                    self.measure("scale", pages, options, log, runs, machine, tasks=True)
                if not options["keep"]:
                    raise Rollback
        except Rollback:
            pass

    def side_by_side(self, copies, pages, options, log, runs, machine) -> None:
        """The demo in one copy of the database, the demo and the scale data in another,
        each page's requests alternating between them (side_by_side.py)."""
        machine["demo and scale"] = ("side by side: two copies of the database, each timed "
                                     "request made at both sizes in turn")
        # The kept figures (pic.figures) in each copy's own cache table, not a shared cache.
        try:
            with override_settings(CACHES=DATABASE_CACHE):
                copies.use("demo")
                log("Loading the demo…")
                call_command("seed_demo", force=True, verbosity=0, stdout=self.stdout)
                self.analyze()
                copies.create_scale()
                copies.use("scale")
                self.load_scale(options, machine)
                for label in ("demo", "scale"):
                    copies.use(label)
                    runs.append(bench.Run(label=label, sizes=bench.table_sizes()))
                log("Measuring both sizes side by side…")
                measured = bench.measure_pages(pages, repeat=options["repeat"],
                                               warmup=options["warmup"],
                                               sides=copies.switches(), log=log)
                for run in runs:
                    run.pages = measured[run.label]
                self.write(runs, machine, options)
                copies.use("scale")
                self.measure_tasks(runs[-1], options, log, machine, runs)
        finally:
            if options["keep"]:
                copies.use(None)
                log("Kept: " + ", ".join(copies.names.values()))
            else:
                copies.drop()

    def load_scale(self, options, machine) -> None:
        self.stdout.write("Loading the scale data set…")
        seeded = time.perf_counter()
        call_command("seed_scale", small=options["small"], no_files=options["no_files"],
                     verbosity=0, stdout=self.stdout)
        self.analyze()
        portfolio.portfolio_figures_forget_now()  # no demo figures at scale
        machine["seed_scale"] = f"{time.perf_counter() - seeded:.0f} s"

    @staticmethod
    def write(runs, machine, options) -> str:
        """RESULTS.md, rewritten after each step (a long run that fails late keeps its pages)."""
        text = bench.report_markdown(runs, machine_info=machine, repeat=options["repeat"],
                                     warmup=options["warmup"], note=options["note"])
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        return text

    @staticmethod
    def analyze() -> None:
        """Fresh planner statistics for the rows just inserted (visible in this transaction)."""
        if connection.vendor == "postgresql":
            # The app's tables only: a bare ANALYZE also takes the shared catalogs' locks, and
            # waits for any other session on the server holding them.
            tables = connection.introspection.django_table_names(only_existing=True)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE " + ", ".join(
                    connection.ops.quote_name(t) for t in sorted(tables)))

    def measure(self, label, pages, options, log, runs, machine, *, tasks: bool) -> None:
        log(f"Measuring at {label} size…")
        run = bench.Run(label=label, sizes=bench.table_sizes())
        runs.append(run)
        run.pages = bench.measure_pages(pages, repeat=options["repeat"],
                                        warmup=options["warmup"],
                                        sides={label: lambda: None}, log=log)[label]
        self.write(runs, machine, options)
        if tasks:
            self.measure_tasks(run, options, log, machine, runs)

    def measure_tasks(self, run, options, log, machine, runs) -> None:
        if options["skip_tasks"]:
            return
        chosen = {t for t in options["tasks"].split(",") if t} or set(TASKS)
        run.tasks = bench.measure_tasks(log=log, **{t: t in chosen for t in TASKS})
        self.write(runs, machine, options)
