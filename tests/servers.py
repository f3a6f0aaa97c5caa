"""Throwaway servers a test owns: a redis-server, the project under gunicorn, on spare ports (no tests here).

The machine's shared Redis and PostgreSQL are never stopped: a test that kills or freezes a server
starts its own.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, *, deadline: float = 10.0) -> None:
    end = time.monotonic() + deadline
    while True:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        if time.monotonic() > end:
            raise RuntimeError(f"Nothing answers on 127.0.0.1:{port} after {deadline:g} seconds.")
        time.sleep(0.05)


class RedisServer:
    """A redis-server of this test's own, on a spare loopback port, without persistence."""

    def __init__(self, workdir: Path):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed (apt-get install redis-server)")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(  # noqa: S603 - a fixed binary and arguments
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=2)

    def key_count(self) -> int:
        return self.client().dbsize()

    def kill(self) -> None:
        """The server dies: connections are refused from now on."""
        self.process.kill()
        self.process.wait(timeout=10)

    def freeze(self) -> None:
        """The server hangs (as behind a network cut): connections open, nothing answers; its data stays."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait(timeout=10)


class Gunicorn:
    """The project under gunicorn (sync workers, which keep their database connections between requests)."""

    def __init__(self, *, settings_module: str, env: dict[str, str], workers: int = 2, log: Path | None = None):
        root = Path(__file__).resolve().parent.parent
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        full_env = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": settings_module}
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603 - our own virtualenv's gunicorn
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "60",
            ],
            cwd=root,
            env=full_env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("wb") if log else subprocess.DEVNULL,
        )
        try:
            wait_for_port(self.port, deadline=30)
        except RuntimeError:
            self.stop()
            raise

    def get(self, path: str, headers: dict | None = None, body: bytes | None = None, method: str = "GET"):
        """(status, body bytes) of one request; a connection error raises."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
