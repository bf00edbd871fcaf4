"""Real services that a fault test starts and kills itself: a Redis server (stopped by its
process id) and a Celery worker in its own process group (killed with SIGKILL). Only what the
test started is ever stopped."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

from tests.conftest import service_unavailable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float = 30.0, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())


class RedisServer:
    """A throwaway redis-server on a free loopback port, in `directory`."""

    def __init__(self, directory: Path):
        binary = shutil.which("redis-server")
        if binary is None:
            service_unavailable("redis-server is not installed")
        self.binary, self.directory, self.port = binary, directory, free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def ping(self) -> bool:
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(  # noqa: S603
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_for(self.ping, timeout=10):
            self.stop()
            service_unavailable("the test's own redis-server did not answer PING")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None


def database_url() -> str:
    """The test database (PostgreSQL), for a worker in another process."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        service_unavailable("a worker in another process needs PostgreSQL (DATABASE_URL)")
    return (f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}")


class WorkerProcess:
    """`celery -A tests.fault_worker worker` (prefork) in its own process group."""

    def __init__(self, *, broker_url: str, queue: str, env: dict, log: Path,
                 concurrency: int = 2):
        self.args = [sys.executable, "-m", "celery", "-A", "tests.fault_worker", "worker",
                     "-Q", queue, "-c", str(concurrency), "-P", "prefork", "-l", "info",
                     "--without-gossip", "--without-mingle", "--without-heartbeat"]
        self.env = {**os.environ, "REDIS_URL": broker_url, "DATABASE_URL": database_url(),
                    "PIC_TEST_QUEUE": queue, **env}
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> "WorkerProcess":
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                self.args, env=self.env, cwd=settings.BASE_DIR, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)
        return self

    @property
    def pid(self) -> int:
        return self.process.pid

    def children(self) -> list[int]:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.pid:
                    found.append(int(stat.parent.name))
        return found

    def kill(self) -> None:
        """SIGKILL the worker and its pool children (its own process group), at once."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """A warm shutdown (SIGTERM), then SIGKILL if it hangs."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@contextlib.contextmanager
def celery_through(broker_url: str, queue: str):
    """This process sends tasks for real (not eagerly) to `broker_url`, on `queue`."""
    from pic.celery import app

    def reset_pools():
        app._pool = None
        with contextlib.suppress(AttributeError, KeyError):
            app.__dict__["amqp"]._producer_pool = None

    saved = {key: app.conf[key] for key in ("task_always_eager", "task_default_queue",
                                              "broker_url")}
    app.conf.update(task_always_eager=False, task_default_queue=queue, broker_url=broker_url)
    reset_pools()
    try:
        yield app
    finally:
        app.conf.update(saved)
        reset_pools()


def email_messages(directory: Path) -> list[str]:
    """The emails Django's file backend wrote in `directory`, one string each."""
    separator = "-" * 79
    messages = []
    for path in sorted(directory.glob("*.log")):
        messages += [m.strip() for m in path.read_text(errors="replace").split(separator)
                     if m.strip()]
    return messages
