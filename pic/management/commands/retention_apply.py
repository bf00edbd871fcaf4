"""Apply the retention policy (pic/privacy/retention.py); --dry-run lists what it would do."""

from django.core.management.base import BaseCommand

from pic.privacy.retention import retention_apply


class Command(BaseCommand):
    help = ("Anonymise people inactive for PIC_RETENTION_INACTIVE_YEARS and delete what has no "
            "reason to be kept; --dry-run lists it and changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="list what would be done, change nothing")

    def handle(self, *args, dry_run: bool = False, **options):
        plan = retention_apply(dry_run=dry_run)
        verb = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(f"{verb} {len(plan.people)} person(s) inactive since before "
                          f"{plan.cutoff:%Y-%m-%d}:")
        for person in plan.people:
            last = person.last_login or person.date_joined
            self.stdout.write(f"  - user {person.pk} (last active {last:%Y-%m-%d})")
        verb = "Would delete" if dry_run else "Deleted"
        for key, count in sorted(plan.purged.items()):
            self.stdout.write(f"{verb} {count} {key.replace('_', ' ')}")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
