"""A large, realistic data set on top of the demo, for measuring (see reporting/scale.py).

    python manage.py seed_scale [--small] [--neighbourhoods 1000] [--people 5000] …
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from proposals.models import Program, Proposal
from proposals.ratification_limit import ratification_limits_refresh
from reporting import portfolio, scale


class Command(BaseCommand):
    help = ("Load a large data set (1,000 neighbourhoods, 20,000 proposals, 60,000 reports…) on "
            "top of the demo, by bulk inserts. Refuses a database with real data.")

    def add_arguments(self, parser):
        parser.add_argument("--small", action="store_true",
                            help="A small preset (tests, a quick look).")
        for name, default in scale.DEFAULT.as_dict().items():
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, type=int,
                                default=None, help=f"Default {default}.")
        parser.add_argument("--no-files", action="store_true",
                            help="Do not write the documents' and letters' small files.")
        parser.add_argument("--no-demo", action="store_true",
                            help="On an empty database, load only the demo's program, "
                                 "committees and accounts (quicker), not its files.")
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--force", action="store_true",
                            help="Run even if the database seems to hold real data.")

    def handle(self, *args, small=False, no_files=False, no_demo=False, batch_size=2000,
               seed=2026, force=False, **options):
        reason = scale.real_data_reason()
        if reason and not force:
            raise CommandError(f"seed_scale refuses to run: this database seems to hold real "
                               f"data ({reason}). Use an empty database, or --force.")
        if scale.already_seeded():
            raise CommandError("The scale data set is already loaded in this database.")
        sizes = scale.sizes_from(options, small=small)
        started = time.perf_counter()

        def log(message):
            if options.get("verbosity", 1) > 1:
                self.stdout.write(f"  {time.perf_counter() - started:7.1f} s  {message}")
                self.stdout.flush()

        with transaction.atomic():
            if no_demo:
                scale.seed_base()
            elif not Program.objects.filter(slug="pic-phase-2").exists():
                call_command("seed_demo", force=True, verbosity=0, stdout=self.stdout)
            demo_seconds = time.perf_counter() - started
            generator = scale.Generator(sizes, seed=seed, files=not no_files,
                                        batch_size=batch_size, log=log)
            counts = generator.run()
            # bulk inserts send no signal: the files' ratification limits are computed here,
            # and the cached money and counts forgotten
            ratification_limits_refresh(Proposal.objects.filter(window__isnull=False))
            transaction.on_commit(portfolio.portfolio_figures_forget_now)
        seconds = time.perf_counter() - started
        for label, count in counts.items():
            self.stdout.write(f"{count:>9}  {label}")
        self.stdout.write(self.style.SUCCESS(
            f"Scale data ready in {seconds:.1f} s (demo {demo_seconds:.1f} s)."))
        return None
