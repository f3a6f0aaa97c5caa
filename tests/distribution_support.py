"""Shared builders for the distribution tests: a real SMTP server, a real HTTP receiver, worker processes,
subscribers and public releases.

Nothing here replaces the code under test: the SMTP server is aiosmtpd on loopback, the HTTP receiver is
the standard library's server on loopback, the workers are `manage.py db_worker` processes.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import http.server
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from releases import services
from releases.models import Release, Subscriber
from tests import factories
from tests.factories import user_in

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- a real SMTP server ---------------------------------------------------------------------------------


@dataclass
class Received:
    recipients: list[str]
    message: email.message.EmailMessage
    port: int
    at: float  # time.time() when the server accepted it

    @property
    def to(self) -> str:
        return self.recipients[0]

    def part(self, content_type: str) -> str:
        for part in self.message.walk():
            if part.get_content_type() == content_type and not part.is_multipart():
                return part.get_content()
        raise AssertionError(f"no {content_type} part in the message to {self.to}")

    @property
    def text(self) -> str:
        return self.part("text/plain")

    @property
    def html(self) -> str:
        return self.part("text/html")


@dataclass
class Inbox:
    """What the SMTP servers accepted, in order. `before_accept(envelope, port)` may refuse (return a reply)."""

    received: list[Received] = field(default_factory=list)
    refuse_rcpt: set[str] = field(default_factory=set)
    before_accept: object = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse_rcpt:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        port = server.transport.get_extra_info("sockname")[1]
        if self.before_accept is not None:
            reply = self.before_accept(envelope, port)
            if reply:
                return reply
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append(Received(list(envelope.rcpt_tos), message, port, time.time()))
        return "250 2.0.0 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if address in r.recipients]

    def count(self) -> int:
        with self.lock:
            return len(self.received)


class SMTPServer:
    """aiosmtpd on loopback, in a thread of this process; several servers may share one inbox."""

    def __init__(self, inbox: Inbox):
        self.inbox = inbox
        self.port = free_port()
        self.controller = Controller(inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


def use_smtp(settings, server: SMTPServer) -> None:
    """Point this process's mail at `server` (the test runner otherwise keeps mail in memory)."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 10},
        }
    }


LINK_RE = re.compile(r"https?://[^\s\"<>]+")


def links(text: str) -> list[str]:
    return LINK_RE.findall(text)


def path_of(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# -- a real HTTP receiver ----------------------------------------------------------------------------------


@dataclass
class Hit:
    path: str
    headers: dict
    body: bytes
    at: float


class Receiver:
    """An HTTP server on loopback that records every POST and answers with `answers` in turn (then 200)."""

    def __init__(self, answers: list[tuple[int, dict, bytes]] | None = None):
        self.hits: list[Hit] = []
        self.answers = list(answers or [])
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                with receiver.lock:
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    receiver.hits.append(Hit(self.path, headers, body, time.time()))
                    status, headers, reply = receiver.answers.pop(0) if receiver.answers else (200, {}, b"ok")
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str = "/hook", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


# -- subscribers and releases ----------------------------------------------------------------------------


def subscriber(email_address: str, *, languages=("en",), categories=(), confirmed_at=None) -> Subscriber:
    """An active subscriber, as `confirm_subscription` leaves one (tests of the form go through the form)."""
    now = timezone.now()
    s = Subscriber(
        email=email_address,
        consent_text="I agree to receive press releases by email.",
        consent_language="en",
        requested_at=confirmed_at or now - dt.timedelta(hours=1),
        confirmed_at=confirmed_at or now - dt.timedelta(hours=1),
    )
    s.set_choices(languages, categories)
    s.save()
    return s


def published_release(*, moment=None, headline=None, body=None, category=Release.Category.NON_REGULATED, roles=None):
    """A release taken through submit, approve and publish by the real services (with the fast renderer)."""
    writer, reviewer, publisher = roles or role_users()
    release = services_ready(writer, moment, body)
    if headline or category != release.category:
        release = services.release_edit(
            release=release,
            user=writer,
            expected_version=release.version,
            fields={"headline": headline or release.headline, "category": category},
        )
    services.release_submit(release=release, user=writer)
    factories.approve(release, reviewer)
    services.release_publish(release=release, user=publisher)
    return Release.objects.select_related("snapshot", "company").get(pk=release.pk)


def services_ready(writer, moment, body):
    from tests.factories import ready_release

    return ready_release(writer, publication_at=moment or timezone.now() - dt.timedelta(minutes=1), body=body)


def role_users():
    from django.contrib.auth.models import User

    def get(role, name):
        existing = User.objects.filter(username=name).first()
        return existing if existing else user_in(role, name)

    return get("Writer", "writer"), get("Reviewer", "reviewer"), get("Publisher", "publisher")


def company_for(release):
    return factories.CompanyFactory() if release is None else release.company


# -- worker processes -----------------------------------------------------------------------------------


def database_url() -> str:
    """The URL of the database this test runs on (the test database), for a worker process."""
    s = connection.settings_dict
    user = s.get("USER") or "postgres"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


def worker_env(smtp_url: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url(),
            "EMAIL_URL": smtp_url,
            "PYTHONUNBUFFERED": "1",
            "DISTRIBUTION_SEND_TASKS": "2",
        }
    )
    env.update(extra)
    return env


def start_worker(smtp_url: str, *args: str, log: Path | None = None, **extra: str) -> subprocess.Popen:
    """`manage.py db_worker` in its own process."""
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
    return subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.05", "--no-reload", *args],
        cwd=ROOT,
        env=worker_env(smtp_url, **extra),
        stdout=out,
        stderr=subprocess.STDOUT,
    )


def run_command(smtp_url: str, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=worker_env(smtp_url, **extra),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until(condition, *, deadline_seconds: float = 120, what: str = "the condition") -> None:
    """Poll `condition` until it holds; fail (not hang) after the deadline. Nothing is asserted about time."""
    end = time.monotonic() + deadline_seconds
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)
