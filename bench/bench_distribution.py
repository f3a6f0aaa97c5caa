"""Email alerts: one release to 10,000 subscribers through a local SMTP server, sent by `db_worker`.

    make bench-distribution   (or: .venv/bin/python bench/bench_distribution.py [--subscribers 10000] [--workers 1])

One run builds a throwaway SQLite database (or uses BENCH_DATABASE_URL, e.g. a fresh PostgreSQL
database, needed for --workers 2), loads the demo release (its real frozen fragment and text), adds the
subscribers, dispatches the release, and runs `manage.py db_worker --batch` against an aiosmtpd server
on 127.0.0.1 in this process. It reports the messages accepted per second (first to last message, and
over the worker's whole run) and each worker's peak memory (max RSS from wait4), and checks that every
subscriber got exactly one message. Everything stays on loopback; the run ends by itself.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

SETUP = r"""
import sys
import django
django.setup()
from django.core.management import call_command
from django.utils import timezone
from releases.models import Release, Subscriber
from releases.distribution import services

count = int(sys.argv[1])
call_command("migrate", verbosity=0)
call_command("load_demo", verbosity=0)
from releases.demo import ose
# The reference release (the demo has a second company since issue 13: pick the release by its address).
release = Release.objects.published().get(language="en", slug=ose.RELEASE["slug"], corrects__isnull=True)
now = timezone.now()
subscribers = []
for n in range(count):
    s = Subscriber(email=f"investor{n:05d}@bench.example", consent_text="bench", consent_language="en",
                   requested_at=now, confirmed_at=now)
    s.set_choices(["en"], [release.category])  # this release only, not the second demo company's
    subscribers.append(s)
Subscriber.objects.bulk_create(subscribers, batch_size=2000)
dispatch = services.dispatch_release(release.pk)
assert dispatch.recipients == count, dispatch.recipients
print(release.pk, dispatch.pk, len(release.snapshot.fragment_html), len(release.snapshot.plain_text))
"""


class Counting:
    """An SMTP handler that keeps what the check needs: recipient, time, size."""

    def __init__(self):
        self.lock = threading.Lock()
        self.recipients: list[str] = []
        self.times: list[float] = []
        self.bytes = 0

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.recipients.extend(envelope.rcpt_tos)
            self.times.append(time.monotonic())
            self.bytes += len(envelope.original_content or b"")
        return "250 2.0.0 Accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-distribution-"))
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}"
    if args.workers > 1 and database_url.startswith("sqlite"):
        print("Several workers need PostgreSQL: set BENCH_DATABASE_URL=postgres://… (a fresh database).")
        return 2
    handler = Counting()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(tmp / "media"),
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "DISTRIBUTION_SEND_TASKS": str(args.workers),
        "LOG_LEVEL": "WARNING",
    }
    try:
        started = time.monotonic()
        setup = subprocess.run(
            [PYTHON, "-c", SETUP, str(args.subscribers)], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if setup.returncode:
            print(setup.stdout, setup.stderr)
            return 1
        release_id, _dispatch_id, fragment_chars, text_chars = setup.stdout.split()[-4:]
        print(
            f"setup: {args.subscribers:,} subscribers, release {release_id} (fragment {int(fragment_chars):,} chars, "
            f"text {int(text_chars):,} chars), database {database_url.split(':')[0]}, "
            f"{time.monotonic() - started:.1f} s"
        )
        controller.start()
        command = [PYTHON, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0"]
        run_started = time.monotonic()
        workers = [subprocess.Popen(command, cwd=ROOT, env=env) for _ in range(args.workers)]
        peaks = []
        for worker in workers:
            _pid, status, usage = os.wait4(worker.pid, 0)
            worker.returncode = os.waitstatus_to_exitcode(status)
            peaks.append(usage.ru_maxrss / 1024)  # kilobytes on Linux
        run_seconds = time.monotonic() - run_started
        controller.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    received = Counter(handler.recipients)
    count = sum(received.values())
    span = handler.times[-1] - handler.times[0] if len(handler.times) > 1 else float("nan")
    exactly_once = len(received) == args.subscribers and set(received.values()) == {1}
    print(f"messages accepted: {count:,} ({handler.bytes / 1e6:.1f} MB), every subscriber exactly once: {exactly_once}")
    print(f"throughput: {count / span:,.0f} messages/s from first to last message ({span:.1f} s)")
    print(f"            {count / run_seconds:,.0f} messages/s over the worker's whole run ({run_seconds:.1f} s)")
    for n, peak in enumerate(peaks, 1):
        print(f"worker {n}: peak memory {peak:.0f} MB (max RSS), exit code {workers[n - 1].returncode}")
    assert all(re.match(r"investor\d{5}@bench\.example", r) for r in received)
    return 0 if exactly_once and all(w.returncode == 0 for w in workers) else 1


if __name__ == "__main__":
    sys.exit(main())
