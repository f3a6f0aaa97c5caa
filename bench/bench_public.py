"""Public-side throughput under gunicorn on loopback, each page against a static file of the same bytes.

    make bench-public        (or: .venv/bin/python bench/bench_public.py [--seconds 4] [--clients 4])

One run builds a throwaway SQLite database (or uses BENCH_DATABASE_URL) with the demo release and
1,000 published releases, starts gunicorn on 127.0.0.1 serving the site (static files through
WhiteNoise, as in production), and drives it from separate client processes. It measures:

- the release page vs the same HTML bytes served as a static file (goal: at least 50 %);
- the PDF download vs a static file of the same bytes (goal: at least 50 %);
- the newsroom index (1,000 published releases, paginated) vs its own bytes as a static file (goal: 25 %).

It prints the figures and exits non-zero when a goal is missed. Everything stays on loopback and the
whole run is bounded (about 30 seconds of load plus setup).
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing as mp
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GOALS = {"release page": 0.50, "PDF download": 0.50, "index (1,000 releases)": 0.25}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SETUP = r"""
import datetime as dt, os, sys
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from releases.models import Release, Snapshot

call_command("migrate", verbosity=0)
call_command("load_demo", verbosity=0)
demo = Release.objects.published().select_related("snapshot", "company").get(language="en", corrects__isnull=True)
snap = demo.snapshot
base = demo.publication_at
releases = Release.objects.bulk_create(
    Release(
        company=demo.company, language="en", headline=f"{demo.headline} ({n})", slug=f"bench-release-{n}",
        body=demo.body, status="published", publication_at=base - dt.timedelta(days=n + 1),
        category=demo.category,
    )
    for n in range(999)
)
fields = ("page_html", "fragment_html", "plain_text", "content_json", "pdf", "page_sha256", "pdf_sha256",
          "text_sha256", "fragment_sha256", "content_sha256")
Snapshot.objects.bulk_create(
    Snapshot(release=r, **{f: getattr(snap, f) for f in fields}) for r in releases
)
assert Release.objects.listed().count() >= 1000, Release.objects.listed().count()
client = Client()
out = sys.argv[1]
page = client.get(demo.get_absolute_url())
pdf = client.get(demo.get_pdf_url())
index = client.get("/")
assert page.status_code == pdf.status_code == index.status_code == 200
os.makedirs(out + "/bench", exist_ok=True)
open(out + "/bench/page.html", "wb").write(page.content)
open(out + "/bench/release.pdf", "wb").write(pdf.content)
open(out + "/bench/index.html", "wb").write(index.content)
print(demo.get_absolute_url(), demo.get_pdf_url(), len(page.content), len(pdf.content), len(index.content))
"""


def client_loop(port: int, path: str, seconds: float, counter, errors) -> None:
    """Request `path` over and over for `seconds`, reconnecting when the server closes the connection."""
    done = failed = 0
    deadline = time.perf_counter() + seconds
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    while time.perf_counter() < deadline:
        try:
            conn.request("GET", path, headers={"Host": "127.0.0.1"})
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                done += 1
            else:
                failed += 1
            if response.getheader("Connection", "").lower() == "close" or response.will_close:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        except (OSError, http.client.HTTPException):
            failed += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.close()
    with counter.get_lock():
        counter.value += done
    with errors.get_lock():
        errors.value += failed


def measure(port: int, path: str, seconds: float, clients: int) -> tuple[float, int]:
    counter, errors = mp.Value("i", 0), mp.Value("i", 0)
    # A short warm-up, not counted: the first request of each worker imports and connects.
    warm = [mp.Process(target=client_loop, args=(port, path, 0.5, mp.Value("i", 0), mp.Value("i", 0)))]
    for p in warm:
        p.start()
    for p in warm:
        p.join()
    procs = [mp.Process(target=client_loop, args=(port, path, seconds, counter, errors)) for _ in range(clients)]
    started = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join(seconds + 30)
    elapsed = time.perf_counter() - started
    return counter.value / elapsed, errors.value


def wait_for(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited before it served a request")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start in time")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="load time per measurement")
    parser.add_argument("--clients", type=int, default=4, help="client processes")
    parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 2), help="gunicorn workers")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-public-"))
    static_root = work / "static"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{work / 'db.sqlite3'}",
        "STATIC_ROOT": str(static_root),
        "SITE_URL": "http://127.0.0.1",
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "ERROR",
        # Persistent connections, as production runs: a new connection per request is not what is measured.
        "DATABASE_CONN_MAX_AGE": "600",
    }
    server = None
    try:
        print("Setting up: demo release, 1,000 published releases, static copies of the pages…", flush=True)
        started = time.perf_counter()
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        out = subprocess.run(
            [PYTHON, "-c", SETUP, str(static_root)], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        page_url, pdf_url, page_size, pdf_size, index_size = out.stdout.split()[-5:]
        print(f"  ready in {time.perf_counter() - started:.1f} s", flush=True)

        port = free_port()
        gunicorn = str(Path(PYTHON).with_name("gunicorn"))
        server = subprocess.Popen(
            [gunicorn, "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers), "--log-level", "error"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        wait_for(port, server)

        pairs = [
            ("release page", page_url, "/static/bench/page.html", int(page_size)),
            ("PDF download", pdf_url, "/static/bench/release.pdf", int(pdf_size)),
            ("index (1,000 releases)", "/", "/static/bench/index.html", int(index_size)),
        ]
        print(
            f"\ngunicorn: {args.workers} sync workers on 127.0.0.1:{port}; {args.clients} client processes, "
            f"{args.seconds:g} s per measurement\n"
        )
        print(f"{'what':<24}{'bytes':>9}{'site req/s':>12}{'static req/s':>14}{'ratio':>8}{'goal':>7}")
        failures = []
        for name, dynamic, static, size in pairs:
            site_rate, site_errors = measure(port, dynamic, args.seconds, args.clients)
            static_rate, static_errors = measure(port, static, args.seconds, args.clients)
            ratio = site_rate / static_rate if static_rate else 0.0
            goal = GOALS[name]
            ok = ratio >= goal and not site_errors and not static_errors
            print(
                f"{name:<24}{size:>9}{site_rate:>12.0f}{static_rate:>14.0f}{ratio:>7.0%}{goal:>7.0%}"
                + ("" if ok else "  MISSED" + (f" ({site_errors + static_errors} errors)" if not ok else ""))
            )
            if not ok:
                failures.append(name)
        print()
        return 1 if failures else 0
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
