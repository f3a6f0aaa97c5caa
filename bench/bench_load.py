"""Load under production settings: 50 clients for 60 s on a mixed workload, then a publication-moment spike.

    make bench-load      (or: .venv/bin/python bench/bench_load.py [--clients 50] [--seconds 60] [--pollers 100])

Production as tools/production_stack.py sets it up (config.settings.production, a fresh PostgreSQL database,
a redis-server as the shared cache, hashed static files, DEBUG off), with the demo release and 999 published
copies, served by one gunicorn with 2 × cores + 1 sync workers and answers kept PUBLIC_CACHE_SECONDS=30.
The API's anonymous throttle (120 a minute per address) is lifted: every client here is 127.0.0.1.

1. Mixed workload: wrk keeps --clients connections busy for --seconds, rotating through release pages,
   PDFs, the index (English, French, page 2), search, feeds, the sitemap and the public API. Reported:
   requests per second, errors (socket errors, time-outs, any answer that is not 2xx/3xx) and p50/p95/p99.
2. Publication-moment spike: a release is composed, approved (its PDF rendered) and scheduled a few seconds
   ahead through the API; --pollers threads then poll its page, its PDF, its API record and the index until
   a few seconds past the moment. An early answer is a 200 (or, for the index, a page naming the release)
   received before the moment: a leak, and there must be none. Reported: polls, errors, early answers, how
   soon after the moment each kind of address answered 200, and p50/p95/p99 of the polls.

The run fails (exit 1) on any error or early answer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loadgen  # noqa: E402
from bench.bench_public import published_copies  # noqa: E402
from tools.production_stack import ProductionStack, StackError  # noqa: E402
from tools.smoke_production import ADMIN_SETUP_SCRIPT, Site, compose  # noqa: E402

SPIKE_HEADLINE = "Acme Biotech announces the spike-moment results of acmezumab"


def percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return "n/a"
    q = statistics.quantiles(values, n=100, method="inclusive")
    return f"p50 {q[49]:.0f} ms, p95 {q[94]:.0f} ms, p99 {q[98]:.0f} ms"


def mixed_paths(copies: dict) -> list[str]:
    page, pdf = copies["page.html"][0], copies["release.pdf"][0]
    pages = [page] + [f"/releases/bench-release-{n}/" for n in (1, 17, 230, 512, 998)]
    pdfs = [pdf] + [f"/releases/bench-release-{n}.pdf" for n in (3, 400)]
    return (
        pages * 2
        + pdfs
        + ["/", "/?page=2", "/fr/", "/?year=2023"]
        + ["/search/?q=lusvertikimab", "/search/?q=blood+leukemia"]
        + ["/feeds/rss.xml", "/feeds/atom.xml", "/sitemap.xml"]
        + ["/api/v1/public/releases/", "/api/v1/public/releases/?page=3"]
    )


def spike(site: Site, keys: dict, company: int, disclaimer: int, contact: int, pollers: int, lead: float) -> int:
    moment = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=lead)
    rid = compose(site, keys, company, disclaimer, contact, SPIKE_HEADLINE, moment)
    slug = site.api("GET", f"releases/{rid}/", 200, token=keys["writer"])["slug"]
    moment_ts = moment.timestamp()
    if time.time() > moment_ts - 2:
        print(f"  the release was ready only {moment_ts - time.time():.1f} s before its moment: raise --lead")
        return 1
    kinds = {
        "page": f"/releases/{slug}/",
        "PDF": f"/releases/{slug}.pdf",
        "API record": f"/api/v1/public/releases/{rid}/",
        "index": "/",
    }
    plan = ["page"] * (pollers * 2 // 5) + ["PDF"] * (pollers // 5) + ["API record"] * (pollers // 5)
    plan += ["index"] * (pollers - len(plan))
    stop_at = moment_ts + 4
    polls: list[tuple[str, float, float, int, bool]] = []  # kind, sent, received, status, names the release
    failures: list[str] = []
    lock = threading.Lock()

    def poll(kind: str) -> None:
        path = kinds[kind]
        mine = []
        while time.time() < stop_at:
            sent = time.time()
            try:
                status, _headers, body = site.request("GET", path)
            except Exception as error:  # reported as an error of the run
                with lock:
                    failures.append(f"{kind}: {type(error).__name__}: {error}")
                time.sleep(0.05)
                continue
            received = time.time()
            mine.append((kind, sent, received, status, SPIKE_HEADLINE.encode() in body))
            time.sleep(0.02)
        with lock:
            polls.extend(mine)

    print(f"  release {rid} scheduled for {moment:%H:%M:%S} UTC; {pollers} pollers until 4 s past it", flush=True)
    threads = [threading.Thread(target=poll, args=(kind,), daemon=True) for kind in plan]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=lead + 120)

    def shows(kind, status, names):
        return names if kind == "index" else status == 200

    early = [p for p in polls if shows(p[0], p[3], p[4]) and p[2] < moment_ts]
    wrong = [p for p in polls if p[3] not in (200, 404)]
    print(f"  polls: {len(polls):,}; errors: {len(failures) + len(wrong)}; early answers (leaks): {len(early)}")
    for kind in kinds:
        after = sorted(
            p[2] - moment_ts for p in polls if p[0] == kind and shows(kind, p[3], p[4]) and p[1] >= moment_ts
        )
        first = f"{after[0] * 1000:.0f} ms" if after else "never"
        print(f"    {kind:<11} first shown {first} after the moment")
    print(f"  latency of the polls: {percentiles([(p[2] - p[1]) * 1000 for p in polls])}")
    for message in (failures + [f"{p[0]}: HTTP {p[3]}" for p in wrong])[:5]:
        print(f"    error: {message}")
    return 1 if (early or failures or wrong) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent connections of the mixed load (50)")
    parser.add_argument("--seconds", type=float, default=60, help="seconds of mixed load (60)")
    parser.add_argument("--pollers", type=int, default=100, help="pollers of the publication moment (100)")
    parser.add_argument("--lead", type=float, default=12, help="seconds between scheduling and the moment (12)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn sync workers")
    args = parser.parse_args()
    loadgen.wrk_path()
    status = 0
    try:
        with ProductionStack("bench_load") as stack:
            print("Setting up production: migrate, collectstatic, demo release and 999 copies, API tokens…", flush=True)
            stack.manage("migrate", "--noinput", "-v", "0")
            stack.manage("collectstatic", "--noinput", "-v", "0")
            copies = published_copies(stack)
            keys = json.loads(stack.manage("shell", "-v", "0", "-c", ADMIN_SETUP_SCRIPT).strip().splitlines()[-1])
            for role in ("Writer", "Reviewer", "Publisher"):
                args_ = ("issue_api_token", f"load-{role.lower()}", "--name", "load", "--role", role, "--create-user")
                keys[role.lower()] = stack.manage(*args_).strip()
            server = stack.gunicorn(
                workers=args.workers,
                extra_env={"PUBLIC_CACHE_SECONDS": "30", "API_THROTTLE_ANON": "100000000/minute"},
            )
            paths = mixed_paths(copies)
            loadgen.run(server.port, paths, seconds=3, connections=4)  # warm-up: imports, connections
            print(
                f"\n1. Mixed workload: {args.clients} connections for {args.seconds:g} s over {len(paths)} addresses; "
                f"gunicorn {args.workers} sync workers, Redis cache, PUBLIC_CACHE_SECONDS=30",
                flush=True,
            )
            mixed = loadgen.run(server.port, paths, seconds=args.seconds, connections=args.clients, threads=2)
            print(f"  requests: {mixed.requests:,} ({mixed.rate:.0f} per second); errors: {mixed.error_count}")
            if mixed.errors:
                print(f"    errors by kind: {mixed.errors}")
                status = 1
            print(
                f"  latency: p50 {mixed.p50_ms:.0f} ms, p95 {mixed.p95_ms:.0f} ms, p99 {mixed.p99_ms:.0f} ms, "
                f"max {mixed.max_ms:.0f} ms"
            )

            print(f"\n2. Publication-moment spike: {args.pollers} pollers", flush=True)
            site = Site(server.port)
            company = site.api("POST", "companies/", 201, token=keys["admin"], data=COMPANY)["id"]
            disclaimer = site.api(
                "POST", "disclaimers/", 201, token=keys["admin"], data={**DISCLAIMER, "company": company}
            )["id"]
            contact = site.api("POST", "contacts/", 201, token=keys["writer"], data={**CONTACT, "company": company})[
                "id"
            ]
            status |= spike(site, keys, company, disclaimer, contact, args.pollers, args.lead)
    except StackError as error:
        print(f"bench-load could not run: {error}", file=sys.stderr)
        return 1
    print("\nPASS" if status == 0 else "\nFAIL")
    return status


COMPANY = {
    "legal_name": "Acme Biotech SA",
    "short_name": "Acme Biotech",
    "slug": "acme-biotech",
    "city": "Lyon",
    "country": "France",
    "time_zone": "Europe/Paris",
    "regulator": "AMF",
    "registration_document_filed_on": "2024-04-30",
    "registration_document_fiscal_year": 2023,
    "listings": [{"exchange": "Euronext Paris", "ticker": "ACME", "isin": "FR0012127173"}],
}
DISCLAIMER = {
    "kind": "forward_looking",
    "language": "en",
    "title": "Forward-looking statements",
    "body": "<p>{company} refers to its Universal Registration Document filed with the {regulator}.</p>",
}
CONTACT = {"kind": "media", "name": "Camille Martin", "role": "Head of Communications", "email": "press@acme.example"}


if __name__ == "__main__":
    sys.exit(main())
