import time
from pathlib import Path

from django.core.management.base import BaseCommand

from pic.backup import restore


class Command(BaseCommand):
    help = ("Restore a backup (manage.py backup) into an empty database and empty media "
            "folders, and check every file against the manifest.")

    def add_arguments(self, parser):
        parser.add_argument("--from", required=True, type=Path, dest="directory",
                            help="the backup's folder")
        parser.add_argument("--database-url", default=None,
                            help="the database to restore into (default: DATABASE_URL)")
        parser.add_argument("--force", action="store_true",
                            help="replace the content of a database and folders that are "
                                 "not empty")

    def handle(self, *args, directory: Path, database_url: str | None, force: bool,
               **options):
        started = time.monotonic()
        manifest = restore(directory, database_url=database_url, force=force)
        self.stdout.write(f"Restored the database and {len(manifest['files'])} files (each "
                          f"checked against the manifest) in {time.monotonic() - started:.1f} "
                          "s.")
