"""Backup and restore round-trip (CI: PostgreSQL): the seeded demo, backed up, restored into a
fresh database and a fresh folder, has the same rows (counts per table) and the same files
(SHA-256); a restore refuses a database or a folder that is not empty."""

import hashlib
import time
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from tests.conftest import service_unavailable

pytestmark = pytest.mark.django_db(transaction=True)


def _connect(dbname: str):
    import psycopg

    db = django_settings.DATABASES["default"]
    return psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
                           user=db["USER"], password=db["PASSWORD"], dbname=dbname,
                           autocommit=True)


def _counts(dbname: str) -> dict[str, int]:
    with _connect(dbname) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name")]
        return {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                for table in tables}


def _hashes(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.fixture
def fresh_database():
    db = django_settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        service_unavailable("backup and restore need PostgreSQL (DATABASE_URL)")
    name = f"pic_restore_{uuid.uuid4().hex[:10]}"
    with _connect("postgres") as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name, (f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
                     f"{db['PORT'] or 5432}/{name}")
    finally:
        with _connect("postgres") as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_demo_backed_up_restores_with_the_same_rows_and_files(
        fresh_database, settings, tmp_path):
    name, url = fresh_database
    call_command("seed_demo", force=True, verbosity=0, stdout=StringIO())
    original_media = Path(settings.MEDIA_ROOT)
    files = _hashes(original_media)
    assert any(path.startswith("private/") for path in files)  # letters, documents
    counts = _counts(django_settings.DATABASES["default"]["NAME"])

    backup_dir = tmp_path / "backup"
    call_command("backup", "--to", str(backup_dir), stdout=StringIO())
    assert {p.name for p in backup_dir.iterdir()} == {"database.dump", "media.tar",
                                                     "manifest.json"}

    settings.MEDIA_ROOT = tmp_path / "restored"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "restored" / "private"
    started = time.monotonic()
    out = StringIO()
    call_command("restore", "--from", str(backup_dir), "--database-url", url, stdout=out)
    assert time.monotonic() - started < 120
    assert "checked against the manifest" in out.getvalue()

    assert _counts(name) == counts
    assert _hashes(tmp_path / "restored") == files

    # A second restore over what is there now is refused without --force.
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", "--from", str(backup_dir), "--database-url", url,
                     stdout=StringIO())


def test_a_damaged_backup_is_refused(fresh_database, settings, tmp_path):
    _name, url = fresh_database
    (Path(settings.PRIVATE_MEDIA_ROOT) / "letters").mkdir(parents=True)
    (Path(settings.PRIVATE_MEDIA_ROOT) / "letters" / "a.pdf").write_bytes(b"%PDF-1.7 a")
    backup_dir = tmp_path / "backup"
    call_command("backup", "--to", str(backup_dir), stdout=StringIO())
    with open(backup_dir / "media.tar", "r+b") as archive:
        archive.seek(600)
        archive.write(b"XXXX")
    settings.MEDIA_ROOT = tmp_path / "restored"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "restored" / "private"
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", "--from", str(backup_dir), "--database-url", url,
                     stdout=StringIO())


def test_a_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "old").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", "--to", str(tmp_path), stdout=StringIO())
