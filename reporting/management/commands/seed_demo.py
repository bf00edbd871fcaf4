"""Idempotent demo data from DESIGN.md, layer by layer (each app seeds its own)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from governance import demo as governance_demo
from neighbourhoods import demo as neighbourhoods_demo
from proposals import demo as proposals_demo
from reporting import demo as reporting_demo


class Command(BaseCommand):
    help = "Load the PIC demo data (safe to run again: it changes nothing the second time)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="Run even with DEBUG off (never on a production database).")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo refuses to run with DEBUG off; add --force if this "
                               "database really is a demo.")
        with transaction.atomic():
            tenants = neighbourhoods_demo.seed()
            proposals_demo.seed(tenants)
            governance_demo.seed(tenants["organisations"])
            reporting_demo.seed()  # last: follow-up builds on every other layer
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready. Every demo account's password: {neighbourhoods_demo.DEMO_PASSWORD}"
        ))
