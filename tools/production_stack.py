"""The project as production runs it, set up from scratch and thrown away: for the smoke test and the benchmarks.

    with ProductionStack("smoke") as stack:      # a fresh PostgreSQL database, a redis-server of its own
        stack.manage("migrate", "--noinput")
        stack.manage("collectstatic", "--noinput")
        server = stack.gunicorn(workers=2)       # config.settings.production on a spare loopback port
        ...

Settings: `config.settings.production` with DEBUG off, a random SECRET_KEY, SITE_URL on the loopback port,
SECURE_SSL_REDIRECT off (plain HTTP on loopback), static and media files in a temporary folder. The database
is created on SMOKE_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres, a role that may create
databases) and dropped at the end; the redis-server listens on a spare port, without persistence.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
POSTGRES_URL = os.environ.get("SMOKE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


class StackError(Exception):
    """Something the stack needs is missing or did not start; the message says what."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, what: str, process: subprocess.Popen, deadline: float = 60) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if process.poll() is not None:
            raise StackError(f"{what} stopped at start (exit code {process.returncode}).")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise StackError(f"{what} did not answer on port {port} within {deadline:g} seconds.")


class Database:
    """A fresh PostgreSQL database, dropped by drop()."""

    def __init__(self, label: str):
        import psycopg

        self.name = f"newsroom_{label}_{os.getpid()}_{secrets.token_hex(3)}"
        self.admin_url = POSTGRES_URL
        try:
            with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')
        except psycopg.Error as error:
            parts = urlsplit(self.admin_url)
            where = f"{parts.hostname}:{parts.port or 5432}"
            raise StackError(f"Cannot create a database on {where} (SMOKE_POSTGRES_URL): {error}".strip()) from None
        self.url = urlsplit(self.admin_url)._replace(path=f"/{self.name}").geturl()

    def drop(self) -> None:
        import psycopg

        with contextlib.suppress(psycopg.Error), psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class Redis:
    """A redis-server of our own on a spare port, without persistence."""

    def __init__(self, workdir: Path):
        binary = shutil.which("redis-server")
        if binary is None:
            raise StackError("redis-server is not installed: apt-get install redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, "redis-server", self.process)

    def key_count(self) -> int:
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=5).dbsize()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Gunicorn:
    """gunicorn serving config.wsgi with the stack's environment (plus `extra_env`) on a spare port."""

    def __init__(self, env: dict, log: Path, *, workers: int = 2, port: int | None = None, extra_env=None):
        self.port = port or free_port()
        self.log = log
        self.process = subprocess.Popen(
            [
                *(PYTHON, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}"),
                *("--workers", str(workers), "--timeout", "120"),
            ],
            cwd=ROOT,
            env={**env, **(extra_env or {})},
            stdout=subprocess.DEVNULL,
            stderr=log.open("ab"),
            start_new_session=True,
        )
        try:
            wait_for_port(self.port, "gunicorn", self.process)
        except StackError:
            self.stop()
            raise

    def get(self, path: str, *, method: str = "GET", headers=None, body: bytes | None = None):
        """(status, headers, body) of one request."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def log_tail(self, lines: int = 60) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


class ProductionStack:
    """A fresh database, a redis-server, a temporary folder and the production environment for manage.py."""

    def __init__(self, label: str, *, site_port: int | None = None):
        self.label = label
        self.site_port = site_port or free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix=f"newsroom-{label}-"))
        self.database: Database | None = None
        self.redis: Redis | None = None
        self.servers: list[Gunicorn] = []

    def __enter__(self) -> ProductionStack:
        try:
            self.database = Database(self.label)
            self.redis = Redis(self.workdir)
        except BaseException:
            self.close()
            raise
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{self.site_port}",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": self.database.url,
            "CACHE_URL": self.redis.url,
            "STATIC_ROOT": str(self.workdir / "static"),
            "MEDIA_ROOT": str(self.workdir / "media"),
            "LOG_LEVEL": "WARNING",
        }
        self.env.pop("DEBUG", None)
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def static_root(self) -> Path:
        return self.workdir / "static"

    def manage(self, *args: str, env: dict | None = None) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise StackError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def gunicorn(self, *, workers: int = 2, port: int | None = None, extra_env=None, name: str = "gunicorn"):
        server = Gunicorn(
            self.env,
            self.workdir / f"{name}.log",
            workers=workers,
            port=port or (self.site_port if not self.servers else None),
            extra_env=extra_env,
        )
        self.servers.append(server)
        return server

    def close(self) -> None:
        for server in self.servers:
            server.stop()
        if self.redis is not None:
            self.redis.stop()
        if self.database is not None:
            self.database.drop()
        shutil.rmtree(self.workdir, ignore_errors=True)
