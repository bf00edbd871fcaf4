"""Backup and restore: the PostgreSQL database (pg_dump's custom format) and the media
(MEDIA_ROOT, including the private documents of PRIVATE_MEDIA_ROOT) as a tar archive, with a
manifest of every file's SHA-256. `manage.py backup --to DIR`, `manage.py restore --from DIR`.

pg_dump must be of the server's major version (or newer): PIC_PG_BIN_DIR names the folder of
pg_dump/pg_restore; by default /usr/lib/postgresql/15/bin when it exists, else the PATH.
"""

import datetime
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

DUMP = "database.dump"
ARCHIVE = "media.tar"
MANIFEST = "manifest.json"
FORMAT = 1


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def pg_tool(name: str) -> str:
    folder = settings.PIC_PG_BIN_DIR
    if folder:
        path = Path(folder) / name
        if not path.exists():
            raise CommandError(f"{path} not found (PIC_PG_BIN_DIR)")
        return str(path)
    found = shutil.which(name)
    if found is None:
        raise CommandError(f"{name} not found: install PostgreSQL's client or set "
                           "PIC_PG_BIN_DIR")
    return found


def database_settings(url: str | None = None) -> dict:
    if url:
        import dj_database_url

        config = dj_database_url.parse(url)
    else:
        config = settings.DATABASES["default"]
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise CommandError("backup and restore need PostgreSQL (DATABASE_URL)")
    return config


def _pg_args(config: dict) -> tuple[list[str], dict]:
    args = ["--host", config.get("HOST") or "127.0.0.1", "--port", str(config.get("PORT")
                                                                    or 5432)]
    if config.get("USER"):
        args += ["--username", config["USER"]]
    env = {**os.environ, "PGPASSWORD": config.get("PASSWORD") or "",
           "PGCONNECT_TIMEOUT": "10"}
    return args, env


def _run(args: list[str], env: dict) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise CommandError(f"{Path(args[0]).name} failed: {result.stderr.strip()[-2000:]}")


def media_roots() -> dict[str, Path]:
    """The folders to save, by name in the archive (the private one apart when it is not
    inside MEDIA_ROOT)."""
    media = Path(settings.MEDIA_ROOT)
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    roots = {"media": media}
    if not private.resolve().is_relative_to(media.resolve()):
        roots["private"] = private
    return roots


def _files(roots: dict[str, Path]) -> dict[str, Path]:
    found = {}
    for name, root in roots.items():
        if root.exists():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    found[f"{name}/{path.relative_to(root).as_posix()}"] = path
    return found


def backup(directory: Path) -> dict:
    """Write the dump, the archive and the manifest in `directory` (new or empty)."""
    if directory.exists() and any(directory.iterdir()):
        raise CommandError(f"{directory} is not empty: back up into a new folder")
    directory.mkdir(parents=True, exist_ok=True)
    config = database_settings()
    args, env = _pg_args(config)
    started = datetime.datetime.now(tz=datetime.UTC)
    # One consistent snapshot of the database; then the files (a file written meanwhile may
    # be in the archive without its row, never a row of the dump without its file, as long as
    # files are only added or replaced by new names, which is how this app stores them).
    _run([pg_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges",
          "--file", str(directory / DUMP), config["NAME"]], env)
    files = _files(media_roots())
    manifest_files = {}
    with tarfile.open(directory / ARCHIVE, "w") as archive:
        for name, path in files.items():
            manifest_files[name] = sha256(path)
            archive.add(path, arcname=name, recursive=False)
    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat(),
        "database": {"file": DUMP, "name": config["NAME"], "sha256": sha256(directory / DUMP)},
        "archive": {"file": ARCHIVE, "sha256": sha256(directory / ARCHIVE)},
        "files": manifest_files,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def _database_is_empty(config: dict) -> bool:
    import psycopg

    with psycopg.connect(host=config.get("HOST") or "127.0.0.1", port=config.get("PORT") or 5432,
                         user=config.get("USER"), password=config.get("PASSWORD"),
                         dbname=config["NAME"], connect_timeout=10) as connection:
        count = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    return count == 0


def restore(directory: Path, *, database_url: str | None = None, force: bool = False) -> dict:
    """Put the database and the files back, into an empty database and empty folders (or
    over them with `force`), and check every file against the manifest."""
    manifest_path = directory / MANIFEST
    if not manifest_path.exists():
        raise CommandError(f"{manifest_path} not found: not a backup folder")
    manifest = json.loads(manifest_path.read_text())
    for part in ("database", "archive"):
        path = directory / manifest[part]["file"]
        if not path.exists() or sha256(path) != manifest[part]["sha256"]:
            raise CommandError(f"{path} is missing or damaged (its SHA-256 differs from the "
                               "manifest)")
    config = database_settings(database_url)
    roots = media_roots()
    if not force:
        if not _database_is_empty(config):
            raise CommandError(f"the database {config['NAME']} is not empty: restore into an "
                               "empty database, or pass --force to replace its content")
        if _files(roots):
            raise CommandError(f"the media folders ({', '.join(map(str, roots.values()))}) "
                               "are not empty: restore into empty folders, or pass --force")
    args, env = _pg_args(config)
    clean = ["--clean", "--if-exists"] if force else []
    _run([pg_tool("pg_restore"), *args, "--no-owner", "--no-privileges", "--exit-on-error",
          *clean, "--dbname", config["NAME"], str(directory / manifest["database"]["file"])],
         env)
    with tarfile.open(directory / manifest["archive"]["file"]) as archive:
        for member in archive.getmembers():
            name, _sep, rest = member.name.partition("/")
            if name not in roots or not member.isfile() or member.name not in manifest["files"]:
                raise CommandError(f"unexpected member in the archive: {member.name}")
            target = (roots[name] / rest).resolve()
            if not target.is_relative_to(roots[name].resolve()):
                raise CommandError(f"unsafe path in the archive: {member.name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out)
    wrong = [name for name, digest in manifest["files"].items()
             if not (path := roots[name.partition("/")[0]] / name.partition("/")[2]).exists()
             or sha256(path) != digest]
    if wrong:
        raise CommandError(f"{len(wrong)} restored file(s) differ from the manifest: "
                           f"{', '.join(wrong[:10])}")
    return manifest
