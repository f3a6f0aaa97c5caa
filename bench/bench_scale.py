"""The newsroom at 100,000 releases: latency and queries of every public list, the API and the admin.

    make bench-scale          (or: .venv/bin/python bench/bench_scale.py [--releases 100000] [--runs 7] [--rebuild])

PostgreSQL only (SQLite is refused): BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/newsroom_bench,
a database of its own that it creates, migrates and fills. A filled database is reused by the next run (its
releases are counted); --rebuild drops it first.

The archive is synthetic copies of the demo release, built in a few minutes:

- `load_demo` renders the real demo release (English and French) and freezes their snapshots;
- Release rows are bulk-created from them (90 % English, 10 % French), one every 90 minutes going back
  about 17 years, each with the demo's body plus a sentence of words drawn from a made-up vocabulary, so
  words range from everywhere ("lusvertikimab", in every release) to nearly nowhere ("quorvexilant", in 10);
- each copy gets a Snapshot written by one INSERT … SELECT in the database: the demo's page HTML (the public
  page serves it) and structured content (the API composes it), its issuer's name, zone and logo, an empty
  fragment and text, and a 60-byte stand-in for the PDF (the demo releases keep their real PDF). The stored
  vector of migration 0004 is computed on insert.

Then every address below is requested through Django's test client (the whole request cycle, in this
process, without HTTP), once to warm up and --runs times measured; the median and the fastest are printed
with the number of SQL queries. Kept answers are off (PUBLIC_CACHE_SECONDS=0): these are the database's
figures, what a request costs when no answer is kept. The lists' counts and years come from their kept
aggregate (releases.listing), computed by the warm-up; what computing it costs, once after each change of
what the lists hold, is the last line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench"
RARE_WORD = "quorvexilant"
COMMON_WORD = "lusvertikimab"
PDF_STAND_IN = b"%PDF-1.7\n% synthetic copy of the demo release\n%%EOF\n"


def prepare_database(url: str, rebuild: bool) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and rebuild:
            print(f"dropping {name}")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            print(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def vocabulary(rng: random.Random, size: int = 5000) -> list[str]:
    consonants, vowels = "bcdfghjklmnprstvz", "aeiou"
    words = set()
    while len(words) < size:
        syllables = rng.randint(2, 4)
        words.add("".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(syllables)) + rng.choice("nrsl"))
    return sorted(words)


def build(total: int) -> None:
    from django.core.management import call_command

    from releases.models import Release

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not Release.objects.filter(slug="ose-immunotherapeutics-lusvertikimab-blood-publication").exists():
        call_command("load_demo", verbosity=0)
    # The OSE release in English and French (the demo's second company has releases of its own).
    demos = {
        r.language: r
        for r in Release.objects.published()
        .select_related("snapshot")
        .filter(corrects=None, company__slug="ose-immunotherapeutics")
        .exclude(slug__startswith="synthetic-")
    }
    english, french = demos["en"], demos["fr"]
    have = Release.objects.count()
    missing = total - have
    print(f"{have:,} releases in the database; adding {max(missing, 0):,} synthetic copies")
    if missing > 0:
        add_releases(missing, english, french, started)
    add_snapshots(english, french, started)


def add_releases(missing: int, english, french, started: float) -> None:
    from django.db import transaction

    from releases.models import Release

    rng = random.Random(16)
    words = vocabulary(rng)
    rare_every = max(missing // 10, 1)
    batch = 2000
    copied = ("company_id", "category", "subheadline", "place", "company_about_id")
    for start in range(0, missing, batch):
        rows = []
        for n in range(start, min(start + batch, missing)):
            demo = french if n % 10 == 9 else english
            sentence = " ".join(rng.choice(words) for _ in range(12))
            if n % rare_every == rare_every // 2:
                sentence += f" {RARE_WORD}"
            rows.append(
                Release(
                    **{name: getattr(demo, name) for name in copied},
                    language=demo.language,
                    headline=f"{demo.headline[:240]} — {rng.choice(words).capitalize()} update {n}",
                    slug=f"synthetic-{n}",
                    body=f"{demo.body}<p>{sentence.capitalize()}.</p>",
                    status=Release.Status.PUBLISHED,
                    version=3,
                    publication_at=english.publication_at - dt.timedelta(minutes=90 * (n + 1)),
                    approved_at=english.publication_at - dt.timedelta(minutes=90 * (n + 1) + 60),
                )
            )
        with transaction.atomic():
            Release.objects.bulk_create(rows)
        done = min(start + batch, missing)
        if done % 20000 == 0 or done == missing:
            print(f"  {done:,} releases ({time.perf_counter() - started:.0f} s)", flush=True)


def add_snapshots(english, french, started: float) -> None:
    """A snapshot for every synthetic release that has none: the demo's page and content, as frozen."""
    import hashlib

    from django.db import connection

    from releases.models import Release

    added = 0
    with connection.cursor() as cursor:
        for demo in (english, french):
            cursor.execute(
                """
                INSERT INTO releases_snapshot (release_id, page_html, fragment_html, plain_text, content_json, pdf,
                    page_sha256, pdf_sha256, text_sha256, fragment_sha256, content_sha256, created_at,
                    company_name, time_zone, logo, label)
                SELECT r.id, s.page_html, '', '', s.content_json, %s, s.page_sha256, %s, '', '', s.content_sha256,
                    now(), s.company_name, s.time_zone, s.logo, s.label
                FROM releases_release r CROSS JOIN releases_snapshot s
                WHERE s.release_id = %s AND r.language = %s AND r.slug LIKE 'synthetic-%%'
                  AND NOT EXISTS (SELECT 1 FROM releases_snapshot t WHERE t.release_id = r.id)
                """,
                [PDF_STAND_IN, hashlib.sha256(PDF_STAND_IN).hexdigest(), demo.pk, demo.language],
            )
            added += cursor.rowcount
        if added:
            print(f"  {added:,} snapshots added; ANALYZE ({time.perf_counter() - started:.0f} s)", flush=True)
            cursor.execute("ANALYZE")
    print(f"{Release.objects.count():,} releases; built in {time.perf_counter() - started:.0f} s")


def measure(runs: int) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from releases import listing, selectors
    from releases.models import Release
    from releases.sitemaps import ReleaseSitemap

    logging.getLogger("django.request").setLevel(logging.ERROR)  # a 404 shows in the table, not as a log line
    settings.PUBLIC_CACHE_SECONDS = 0

    settings.API_THROTTLE_RATES = {"anon": "1000000/minute", "token": "1000000/minute"}
    listed = Release.objects.listed().count()
    deep = Release.objects.get(slug=f"synthetic-{Release.objects.filter(slug__startswith='synthetic-').count() // 2}")
    demo = Release.objects.get(slug="ose-immunotherapeutics-lusvertikimab-blood-publication", language="en")
    english_pages = (Release.objects.listed().filter(language="en").count() + 19) // 20
    sitemap_page = max((listed + ReleaseSitemap.limit - 1) // ReleaseSitemap.limit // 2, 1)
    api_page = max((listed + 19) // 20 // 2, 1)
    staff = get_user_model().objects.filter(is_superuser=True).first()
    fingerprinted = selectors.fingerprinted_pdf_url(demo.language, demo.slug, demo.snapshot.pdf_sha256)
    anonymous, admin = Client(), Client()
    admin.force_login(staff)
    targets = [
        ("index, page 1", anonymous, "/"),
        (f"index, page {english_pages // 2:,} (deep)", anonymous, f"/?page={english_pages // 2}"),
        ("index, a year filter", anonymous, "/?year=2015"),
        (f"search, rare word ({RARE_WORD})", anonymous, f"/search/?q={RARE_WORD}"),
        (f"search, common word ({COMMON_WORD})", anonymous, f"/search/?q={COMMON_WORD}"),
        ("search, common word, all languages", anonymous, f"/search/?q={COMMON_WORD}&language=all"),
        ("RSS feed", anonymous, "/feeds/rss.xml"),
        ("Atom feed", anonymous, "/feeds/atom.xml"),
        ("sitemap index", anonymous, "/sitemap.xml"),
        (f"sitemap of releases, page {sitemap_page}", anonymous, f"/sitemap-releases.xml?p={sitemap_page}"),
        ("release page (demo)", anonymous, demo.get_absolute_url()),
        ("release page (a synthetic one)", anonymous, deep.get_absolute_url()),
        ("release PDF (demo, 88 KB)", anonymous, demo.get_pdf_url()),
        ("release PDF at its fingerprinted address", anonymous, fingerprinted),
        ("API public list", anonymous, "/api/v1/public/releases/"),
        (f"API public list, page {api_page:,} (deep)", anonymous, f"/api/v1/public/releases/?page={api_page}"),
        ("admin changelist of releases", admin, "/admin/releases/release/"),
    ]
    print(f"\n{listed:,} listed releases; {runs} runs each after one warm-up; kept answers off\n")
    print(f"{'address':<44} {'median':>9} {'fastest':>9} {'queries':>8}  status")
    for label, client, path in targets:
        times = []
        response = client.get(path)  # warm-up
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(path)
                if response.streaming:
                    b"".join(response.streaming_content)
                times.append(time.perf_counter() - start)
        median, fastest = statistics.median(times) * 1000, min(times) * 1000
        print(f"{label:<44} {median:7.1f} ms {fastest:7.1f} ms {len(queries):>8}  {response.status_code}", flush=True)
    # What the first list after a publication pays: the lists' aggregate computed afresh (then kept).
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            listing.compute()
            times.append(time.perf_counter() - start)
    median, fastest = statistics.median(times) * 1000, min(times) * 1000
    label = "lists' counts and years, computed afresh"
    print(f"{label:<44} {median:7.1f} ms {fastest:7.1f} ms {len(queries):>8}  (once per change)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=100_000, help="releases in the archive (default 100,000)")
    parser.add_argument("--runs", type=int, default=7, help="measured runs per address (default 7)")
    parser.add_argument("--rebuild", action="store_true", help="drop the benchmark database and build it again")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        print(f"bench-scale measures PostgreSQL, the production database; {url.split(':')[0]} is refused.")
        print("Set BENCH_DATABASE_URL=postgres://user@host:5432/newsroom_bench (a database of its own).")
        return 2
    prepare_database(url, args.rebuild)
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_STATEMENT_TIMEOUT": "0",  # building runs long statements
            "SITE_URL": "http://testserver",
        }
    )
    os.environ.pop("CACHE_URL", None)
    import django

    warnings.filterwarnings("ignore", message="No directory at")  # static files are not served here
    django.setup()
    build(args.releases)
    measure(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
