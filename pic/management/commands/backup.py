import time
from pathlib import Path

from django.core.management.base import BaseCommand

from pic.backup import backup


class Command(BaseCommand):
    help = ("Back up the PostgreSQL database (pg_dump, custom format) and the media, with a "
            "manifest of every file's SHA-256, into a new folder.")

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, type=Path, dest="directory",
                            help="a new (or empty) folder")

    def handle(self, *args, directory: Path, **options):
        started = time.monotonic()
        manifest = backup(directory)
        self.stdout.write(f"Backed up the database {manifest['database']['name']} and "
                          f"{len(manifest['files'])} files into {directory} in "
                          f"{time.monotonic() - started:.1f} s.")
