"""Walk the audit log's hash chain; name the first altered or missing event (exit 1), or print
the chain's head (sequence and hash: note it elsewhere to detect a truncated tail later)."""

from django.core.management.base import BaseCommand, CommandError

from pic.audit_chain import verify_chain
from pic.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit non-zero at the first altered or missing event."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000,
                            help="events read per query (memory stays constant)")

    def handle(self, *args, batch_size: int = 1000, **options):
        report = verify_chain(AuditEvent, batch_size=batch_size)
        if not report.ok:
            raise CommandError(f"Audit chain broken after {report.checked} valid event(s): "
                               f"{report.problem.message}")
        self.stdout.write(self.style.SUCCESS(
            f"Audit chain intact: {report.checked} event(s); head sequence "
            f"{report.head_sequence}, hash {report.head_hash}"))
