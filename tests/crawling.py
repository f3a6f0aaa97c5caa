"""A crawler of the public site for the embargo and accessibility tests: every URL a response names, fetched."""

from __future__ import annotations

import contextlib
import json
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.conf import settings

# -- the crawler ----------------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "content") and value:
                if name == "content" and not value.startswith(("/", "http")):
                    continue
                self.links.append(value)


_XML_LINK = re.compile(r"<(?:loc|link|guid|id)>([^<]+)</|\b(?:href|url)=\"([^\"]+)\"")


def links_in(response) -> list[str]:
    """Every URL a response names: HTML attributes, feed and sitemap elements, JSON string values."""
    kind = response.get("Content-Type", "")
    if response.streaming:  # a file: it names nothing
        return []
    body = response.content.decode("utf-8", "replace")
    if "html" in kind:
        parser = _Links()
        parser.feed(body)
        return parser.links
    if "xml" in kind:
        return [a or b for a, b in _XML_LINK.findall(body)]
    if "json" in kind:
        found: list[str] = []

        def walk(value):
            if isinstance(value, dict):
                for v in value.values():
                    walk(v)
            elif isinstance(value, list):
                for v in value:
                    walk(v)
            elif isinstance(value, str) and value.startswith(("/", "http")):
                found.append(value)

        with contextlib.suppress(ValueError):
            walk(json.loads(body))
        return found
    if "text/plain" in kind:
        return re.findall(r"https?://\S+", body)
    return []


def local_path(url: str, base: str) -> str | None:
    """The path (and query) of a URL on this site, or None for another site or a non-page link."""
    absolute = urljoin("http://testserver" + base, url)
    parts = urlsplit(absolute)
    site = urlsplit(settings.SITE_URL)
    if parts.scheme not in ("http", "https"):
        return None
    if parts.netloc not in ("testserver", site.netloc):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if path.startswith(("/admin/", "/static/", "/i18n/", "/api/docs", "/api/schema")):
        return None
    return path


def crawl(client, start: list[str], limit: int = 400) -> dict[str, object]:
    """Fetch `start` and every same-site URL they lead to, breadth first; returns path → response."""
    seen: dict[str, object] = {}
    queue = deque(start)
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response
        if response.status_code in (301, 302) and response.get("Location"):
            target = local_path(response["Location"], path)
            if target and target not in seen:
                queue.append(target)
            continue
        if response.status_code != 200:
            continue
        for link in links_in(response):
            target = local_path(link, path)
            if target and target not in seen:
                queue.append(target)
    return seen


def body_and_headers(response) -> str:
    headers = "\n".join(f"{k}: {v}" for k, v in sorted(response.items()))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return f"{response.status_code}\n{headers}\n\n" + content.decode("utf-8", "replace")
