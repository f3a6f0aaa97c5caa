"""Production smoke test: the project as it is deployed, walked through a release's whole life over HTTP.

    .venv/bin/python tools/smoke_production.py        (CI runs it from .ci/run)

It sets up what production has, from scratch, and throws it away afterwards:

- a fresh PostgreSQL database (on SMOKE_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres,
  which must be allowed to create databases), migrated;
- a redis-server of its own on a spare port, as CACHE_URL;
- `config.settings.production`: DEBUG off, a random SECRET_KEY, static files collected with hashed names
  into a temporary STATIC_ROOT (WhiteNoise's compressed manifest storage), SECURE_SSL_REDIRECT off because
  the walk is plain HTTP on loopback;
- gunicorn with two workers on a spare loopback port.

Then, over HTTP with API tokens (issued with `manage.py issue_api_token`): an administrator creates the
company and its disclaimer, a writer the contact and the release, which is checked and submitted; a
reviewer approves it (the PDF is rendered and frozen); a publisher publishes it. The public page, its
hashed static files, the PDF (page and API), the index, search, RSS, Atom, the sitemap index and its
pages, robots.txt must then all answer with the release; a second release scheduled an hour ahead must
show nowhere. Any wrong answer stops the walk with a message saying what was asked, what was expected
and what came back, and the script exits 1.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.production_stack import ProductionStack, Redis, StackError


class SmokeFailure(Exception):
    """A wrong answer: what was asked, what was expected, what came back."""


STARTED = time.monotonic()


def step(message: str) -> None:
    print(f"  {time.monotonic() - STARTED:5.0f} s  {message}", flush=True)


ADMIN_SETUP_SCRIPT = """
import json
from django.contrib.auth import get_user_model
from releases.services import api_token_issue

admin = get_user_model()(username="smoke-admin", is_staff=True, is_superuser=True)
admin.set_unusable_password()
admin.save()
print(json.dumps({"admin": api_token_issue(user=admin, name="production smoke")[1]}))
"""


# -- HTTP ------------------------------------------------------------------------------------------


class Site:
    def __init__(self, port: int):
        self.port = port

    def request(self, method: str, path: str, *, token: str | None = None, data=None):
        headers = {"Accept": "*/*"}
        body = None
        if token:
            headers["Authorization"] = f"Token {token}"
        if data is not None:
            body = json.dumps(data).encode()
            headers["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        except OSError as error:
            raise SmokeFailure(f"{method} {path}: no answer ({error}).") from None
        finally:
            conn.close()

    def expect(self, method: str, path: str, status: int, *, token=None, data=None, contains=(), absent=()):
        got, headers, body = self.request(method, path, token=token, data=data)
        if got != status:
            raise SmokeFailure(f"{method} {path}: expected {status}, got {got}: {body[:600].decode(errors='replace')}")
        for needle in contains:
            if needle.encode() not in body:
                raise SmokeFailure(f"{method} {path}: the answer does not contain {needle!r}.")
        for needle in absent:
            if needle.encode() in body:
                raise SmokeFailure(f"{method} {path}: the answer contains {needle!r}, which must not show.")
        return headers, body

    def api(self, method: str, path: str, status: int, *, token=None, data=None) -> dict | list:
        _headers, body = self.expect(method, f"/api/v1/{path}", status, token=token, data=data)
        return json.loads(body) if body else {}


def field(answer: dict, name: str, expected=None):
    value = answer.get(name)
    if expected is not None and value != expected:
        raise SmokeFailure(f"expected {name} = {expected!r}, got {value!r} in {json.dumps(answer)[:400]}")
    return value


# -- the walk --------------------------------------------------------------------------------------


def compose(site: Site, keys: dict, company: int, disclaimer: int, contact: int, headline: str, at: dt.datetime):
    release = site.api(
        "POST",
        "releases/",
        201,
        token=keys["writer"],
        data={
            "company": company,
            "language": "en",
            "category": "regulated",
            "publication_at": at.isoformat().replace("+00:00", "Z"),
            "headline": headline,
            "body": "<p>Acme Biotech expects to start a Phase 3 trial of acmezumab in 2025 (1).</p>"
            "<script>alert(1)</script>",
            "disclaimers": [disclaimer],
            "contacts": [contact],
            "references": [
                {"citation": "Doe J. et al. Acmezumab in UC. Gut. 2024.", "url": "https://doi.org/10.1000/acme"}
            ],
        },
    )
    rid = field(release, "id")
    if "<script" in field(release, "body"):
        raise SmokeFailure("The release body kept its <script>: it was not sanitised.")
    checks = site.api("GET", f"releases/{rid}/checks/", 200, token=keys["writer"])
    blocking = [c for c in checks if c["level"] == "blocking"]
    if blocking:
        raise SmokeFailure(f"The checks block the release: {blocking}")
    field(site.api("POST", f"releases/{rid}/submit/", 200, token=keys["writer"], data={}), "status", "in_review")
    site.api("POST", f"releases/{rid}/approve/", 403, token=keys["writer"], data={})  # four eyes: not the writer
    read = site.api("GET", f"releases/{rid}/review/", 200, token=keys["reviewer"])  # what the reviewer approves
    approval = {"version": field(read, "version"), "digest": field(read, "digest")}
    field(
        site.api("POST", f"releases/{rid}/approve/", 200, token=keys["reviewer"], data=approval), "status", "approved"
    )
    field(site.api("POST", f"releases/{rid}/publish/", 200, token=keys["publisher"], data={}), "status", "published")
    return rid


def walk(site: Site, keys: dict, redis: Redis) -> None:  # the whole life of a release, over HTTP
    step("the newsroom answers, without debug pages")
    site.expect("GET", "/", 200)
    site.expect("GET", "/no-such-page/", 404, absent=("Traceback", "DEBUG = True", "Page not found at"))

    step("an administrator creates the company and its forward-looking disclaimer")
    company = site.api(
        "POST",
        "companies/",
        201,
        token=keys["admin"],
        data={
            "legal_name": "Acme Biotech SA",
            "short_name": "Acme Biotech",
            "slug": "acme-biotech",
            "city": "Lyon",
            "country": "France",
            "time_zone": "Europe/Paris",
            "website": "https://acme-bio.example",
            "regulator": "AMF",
            "registration_document_filed_on": "2024-04-30",
            "registration_document_fiscal_year": 2023,
            "listings": [{"exchange": "Euronext Paris", "ticker": "ACME", "isin": "FR0012127173"}],
        },
    )["id"]
    disclaimer = site.api(
        "POST",
        "disclaimers/",
        201,
        token=keys["admin"],
        data={
            "company": company,
            "kind": "forward_looking",
            "language": "en",
            "title": "Forward-looking statements",
            "body": "<p>{company} refers to its Universal Registration Document filed with the {regulator} "
            "on {registration_document_date}.</p>",
        },
    )["id"]
    step("a writer adds a contact")
    contact = site.api(
        "POST",
        "contacts/",
        201,
        token=keys["writer"],
        data={
            "company": company,
            "kind": "media",
            "name": "Camille Martin",
            "role": "Head of Communications",
            "email": "press@acme-bio.example",
        },
    )["id"]

    headline = "Acme Biotech reports positive Phase 2 results for acmezumab"
    step("a writer composes and submits the release; a reviewer approves it (renders the PDF); it is published")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(seconds=5)
    rid = compose(site, keys, company, disclaimer, contact, headline, now)

    public = site.api("GET", f"public/releases/{rid}/", 200)
    page_url = urlsplit(field(public, "public_url")).path
    step(f"the public page {page_url}")
    _headers, page = site.expect("GET", page_url, 200, contains=(headline, "Camille Martin"), absent=("<script>alert",))
    css = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
    if css is None:
        raise SmokeFailure(f"GET {page_url}: no hashed stylesheet (/static/css/site.<hash>.css) in the page.")
    headers, _ = site.expect("GET", css.group(1).decode(), 200, contains=("font",))
    if "immutable" not in headers.get("Cache-Control", ""):
        raise SmokeFailure(f"A hashed static file is not served as immutable: {headers.get('Cache-Control')!r}")

    pdf_url = page_url.rstrip("/") + ".pdf"
    step(f"the PDF {pdf_url} and through the API")
    headers, pdf = site.expect("GET", pdf_url, 200)
    if not pdf.startswith(b"%PDF-") or not headers.get("Content-Type", "").startswith("application/pdf"):
        raise SmokeFailure(f"GET {pdf_url}: not a PDF ({headers.get('Content-Type')}, {pdf[:8]!r}).")
    _headers, api_pdf = site.expect("GET", f"/api/v1/public/releases/{rid}/pdf/", 200)
    if api_pdf != pdf:
        raise SmokeFailure("The API's PDF and the newsroom's PDF differ: they must be the same frozen bytes.")

    step("the index, search, feeds, sitemap index and its pages, robots.txt")
    site.expect("GET", "/", 200, contains=(headline,))
    site.expect("GET", "/search/?q=acmezumab", 200, contains=("acmezumab",))
    site.expect("GET", "/feeds/rss.xml", 200, contains=(headline,))
    site.expect("GET", "/feeds/atom.xml", 200, contains=(headline,))
    _headers, index = site.expect("GET", "/sitemap.xml", 200, contains=("<sitemapindex",))
    pages = [urlsplit(loc.decode()).path for loc in re.findall(rb"<loc>([^<]+)</loc>", index)]
    found = b"".join(site.expect("GET", page, 200)[1] for page in pages)
    if page_url.encode() not in found:
        raise SmokeFailure(f"No sitemap page of {pages} names {page_url}.")
    site.expect("GET", "/robots.txt", 200, contains=("Sitemap: ",))

    step("a release scheduled an hour ahead shows nowhere")
    later = "Acme Biotech to present acmezumab data at a congress"
    hidden = compose(
        site,
        keys,
        company,
        disclaimer,
        contact,
        later,
        dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(hours=1),
    )
    site.api("GET", f"public/releases/{hidden}/", 404)
    for path in ["/", "/feeds/rss.xml", "/feeds/atom.xml", "/search/?q=congress", "/api/v1/public/releases/"]:
        site.expect("GET", path, 200, absent=(later,))
    for page in pages:
        site.expect("GET", page, 200, absent=("congress",))

    step("the cache is Redis")
    if redis.key_count() == 0:
        raise SmokeFailure("Nothing was kept in Redis: CACHE_URL is not in use.")


def main() -> int:
    print("Production smoke test: config.settings.production, gunicorn, PostgreSQL, Redis, hashed static files")
    server = None
    try:
        with ProductionStack("smoke") as stack:
            step(f"database {stack.database.name}: migrate")
            stack.manage("migrate", "--noinput", "-v", "0")
            step("collectstatic (hashed, compressed)")
            stack.manage("collectstatic", "--noinput", "-v", "0")
            step("users and API tokens (manage.py issue_api_token)")
            keys = json.loads(stack.manage("shell", "-v", "0", "-c", ADMIN_SETUP_SCRIPT).strip().splitlines()[-1])
            for role in ("Writer", "Reviewer", "Publisher"):
                user = f"smoke-{role.lower()}"
                args = ("issue_api_token", user, "--name", "production smoke", "--role", role, "--create-user")
                keys[role.lower()] = stack.manage(*args).strip()
            server = stack.gunicorn(workers=2)
            step(f"gunicorn on 127.0.0.1:{server.port}")
            walk(Site(server.port), keys, stack.redis)
    except (SmokeFailure, StackError) as failure:
        print(f"\nPRODUCTION SMOKE TEST FAILED: {failure}", file=sys.stderr)
        if server is not None and server.log_tail():
            print(f"\nThe server's log (last lines):\n{server.log_tail()}", file=sys.stderr)
        return 1
    print(f"Production smoke test passed in {time.monotonic() - STARTED:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
