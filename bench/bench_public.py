"""Public answers under production settings against static files of the same bytes from the same gunicorn.

    make bench-public      (or: .venv/bin/python bench/bench_public.py [--rounds 3] [--seconds 3] [--connections 4])

One run sets up production as tools/production_stack.py does (config.settings.production, a fresh PostgreSQL
database, a redis-server, static files collected with hashed names, DEBUG off), loads the demo release and
999 published copies of it, and saves the release page, its PDF and the newsroom index as it serves them
into STATIC_ROOT/bench/ (so WhiteNoise serves byte-identical copies). Three gunicorns then run side by side,
each with 2 sync workers: one with PUBLIC_CACHE_SECONDS=0 (every answer asks the database; a worker serves
the frozen bytes it holds when the database names their SHA-256), one with PUBLIC_CACHE_SECONDS=30 and Redis
(answers kept, as configured in production). A third, with FROZEN_BYTES_MEMORY=0 as well, shows the page and
the PDF reading their bytes from the database on every request (for comparison, no goal).

wrk drives each address for --seconds, in --rounds alternating rounds (site then static, then static then
site, for each server in turn), so both sides see the same machine; a round's ratio is the site's requests
per second divided by the static copy's, and the median over the rounds is printed with the goals of issue
16 (0.5 with the cache off, 0.8 with it on). A missed goal is reported; with --strict it also fails the run.
Errors (any answer but 200, any socket error) always fail it.

The cache-off server (settings `bench.floor_settings`: production plus one route) also serves a floor,
`/bench-floor/page/` (bench/floor_urls.py): Django's request cycle through the project's middleware, one
`SELECT 1` round trip and the page's bytes from memory. Its ratio bounds what any answer that asks the
database can reach on the machine that ran it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loadgen  # noqa: E402
from tools.production_stack import ProductionStack, StackError  # noqa: E402

GOALS = {"cache off": 0.5, "cache on (Redis)": 0.8}  # no goal for "off, bytes read": shown for comparison
UNHELD = "off, bytes read"
FLOOR = "/bench-floor/page/"  # bench/floor_urls.py

SETUP = r"""
import datetime as dt, os, sys
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from releases import services
from releases.models import Release, Snapshot

demo = Release.objects.published().select_related("snapshot", "company").get(
    language="en", slug="ose-immunotherapeutics-lusvertikimab-blood-publication"
)
snap = demo.snapshot
releases = Release.objects.bulk_create(
    Release(
        company=demo.company, language="en", headline=f"{demo.headline} ({n})", slug=f"bench-release-{n}",
        body=demo.body, status="published", publication_at=demo.publication_at - dt.timedelta(days=n + 1),
        category=demo.category,
    )
    for n in range(999)
)
fields = ("page_html", "fragment_html", "plain_text", "content_json", "pdf", "page_sha256", "pdf_sha256",
          "text_sha256", "fragment_sha256", "content_sha256", "label")
Snapshot.objects.bulk_create(Snapshot(release=r, **{f: getattr(snap, f) for f in fields}) for r in releases)
# Statistics, as autovacuum keeps them on a running database: without them the planner takes 1,000 rows for
# one and sorts the whole table for the index's first page.
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
client = Client(HTTP_HOST="127.0.0.1")
out = os.path.join(os.environ["STATIC_ROOT"], "bench")
os.makedirs(out, exist_ok=True)
for name, path in [("page.html", demo.get_absolute_url()), ("release.pdf", demo.get_pdf_url()), ("index.html", "/")]:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    with open(os.path.join(out, name), "wb") as f:
        f.write(response.content)
    print("COPY", name, path, len(response.content))
"""


STAFF = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
for role in ("Writer", "Reviewer", "Publisher"):
    user, _ = get_user_model().objects.get_or_create(username=f"bench-{role.lower()}", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=role))
"""


def published_copies(stack) -> dict[str, tuple[str, int]]:
    """Publish the demo, add 999 copies, save the page, PDF and index into STATIC_ROOT/bench/: {name: (path, size)}."""
    # Production refuses the demo accounts: staff of our own write, approve and publish the demo releases.
    stack.manage("shell", "-v", "0", "-c", STAFF)
    stack.manage("load_demo", "--no-users", "--staff", "bench-writer", "bench-reviewer", "bench-publisher", "-v", "0")
    copies = {}
    for line in stack.manage("shell", "-v", "0", "-c", SETUP).splitlines():
        if line.startswith("COPY "):
            _copy, name, path, size = line.split()
            copies[name] = (path, int(size))
    return copies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    parser.add_argument("--seconds", type=float, default=3, help="seconds of load per measurement (default 3)")
    parser.add_argument("--connections", type=int, default=4, help="connections wrk keeps open (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per server (default 2)")
    parser.add_argument("--strict", action="store_true", help="fail when a goal is missed")
    args = parser.parse_args()
    loadgen.wrk_path()

    try:
        with ProductionStack("bench_public") as stack:
            print("Setting up production: migrate, collectstatic, demo release and 999 copies, static copies…")
            stack.manage("migrate", "--noinput", "-v", "0")
            stack.manage("collectstatic", "--noinput", "-v", "0")
            copies = published_copies(stack)
            floor = {"DJANGO_SETTINGS_MODULE": "bench.floor_settings"}  # the site plus /bench-floor/page/
            servers = {
                "cache off": stack.gunicorn(workers=args.workers, extra_env={"PUBLIC_CACHE_SECONDS": "0", **floor}),
                # The same, without the worker's memory of frozen bytes: every page and PDF reads its bytes.
                UNHELD: stack.gunicorn(
                    workers=args.workers,
                    extra_env={"PUBLIC_CACHE_SECONDS": "0", "FROZEN_BYTES_MEMORY": "0"},
                    name="unheld",
                ),
                "cache on (Redis)": stack.gunicorn(
                    workers=args.workers, extra_env={"PUBLIC_CACHE_SECONDS": "30"}, name="cached"
                ),
            }
            targets = [
                ("release page", copies["page.html"][0], "/static/bench/page.html", copies["page.html"][1]),
                ("PDF", copies["release.pdf"][0], "/static/bench/release.pdf", copies["release.pdf"][1]),
                ("index (1,000 releases)", "/", "/static/bench/index.html", copies["index.html"][1]),
            ]
            floor_target = ("floor: SELECT 1 + bytes", FLOOR, "/static/bench/page.html", copies["page.html"][1])

            def targets_of(config: str):
                if config == UNHELD:
                    return targets[:2]  # the page and the PDF
                return [*targets, floor_target] if config == "cache off" else targets

            for config, server in servers.items():  # every worker imports, connects, warms up
                for _name, site, static, _size in targets_of(config):
                    loadgen.run(server.port, [site, static], seconds=1, connections=args.connections)
            print(
                f"\n{len(servers)} gunicorns × {args.workers} sync workers; wrk, {args.connections} connections, "
                f"{args.seconds:g} s per measurement, {args.rounds} alternating rounds\n"
            )
            connections = args.connections
            ratios: dict[tuple[str, str], list[float]] = {}
            rates: dict[tuple[str, str, str], list[float]] = {}
            errors = 0
            for round_number in range(args.rounds):
                for config, server in servers.items():
                    for name, site, static, _size in targets_of(config):
                        order = [("site", site), ("static", static)]
                        if round_number % 2:
                            order.reverse()
                        got = {}
                        for side, path in order:
                            result = loadgen.run(server.port, [path], seconds=args.seconds, connections=connections)
                            if result.error_count:
                                print(f"  {config}, {name}, {side}: errors {result.errors}")
                                errors += result.error_count
                            got[side] = result.rate
                            rates.setdefault((config, name, side), []).append(result.rate)
                        ratios.setdefault((config, name), []).append(got["site"] / got["static"])
                print(f"  round {round_number + 1} of {args.rounds} done", flush=True)
            print(
                f"\n{'what':<24}{'config':<18}{'bytes':>8}{'site req/s':>12}{'static req/s':>14}{'ratio':>8}{'goal':>7}"
            )
            missed = []
            for config in servers:
                for name, _site, _static, size in targets_of(config):
                    ratio = statistics.median(ratios[(config, name)])
                    site_rate = statistics.median(rates[(config, name, "site")])
                    static_rate = statistics.median(rates[(config, name, "static")])
                    goal = None if name == floor_target[0] else GOALS.get(config)
                    mark = "" if goal is None or ratio >= goal else "  missed"
                    if mark:
                        missed.append(f"{name}, {config}")
                    print(
                        f"{name:<24}{config:<18}{size:>8}{site_rate:>12.0f}{static_rate:>14.0f}"
                        f"{ratio:>8.2f}{'' if goal is None else f'{goal:.2f}':>7}{mark}"
                    )
            print(f"\nratios are medians of {args.rounds} rounds; errors: {errors}")
            print(
                "floor: the least any answer that asks the database costs here (Django's request cycle through the "
                "project's middleware, one round trip, the page's bytes from memory); a page that reads its bytes "
                "from the database cannot beat its ratio."
            )
            print(
                f"{UNHELD}: the cache off and FROZEN_BYTES_MEMORY=0, so each page and PDF reads its frozen bytes "
                "from the database as well as asking whether it is public (no goal: for comparison)."
            )
    except StackError as error:
        print(f"bench-public could not run: {error}", file=sys.stderr)
        return 1
    if errors:
        return 1
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
