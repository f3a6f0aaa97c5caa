"""The PDF renderer's only way out: the project's static and media files, read from disk.

Everything else (file:// paths, http(s) to any host, data URIs, attachments, traversal) is refused,
and a refusal stops the render: a release whose PDF needs a foreign resource is a bug or an attack.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

# What a release's PDF may load: its stylesheet, its fonts, images.
ALLOWED_SUFFIXES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}


class RefusedResource(FatalURLFetchingError):
    """The document asked for something outside the project's static and media files."""

    def __init__(self, url: str, reason: str):
        self.url = url
        self.reason = reason
        shown = url if len(url) <= 120 else url[:117] + "…"
        super().__init__(f"The PDF asked for {shown!r}, which was refused: {reason}.")


def site_origin() -> tuple[str, str]:
    parts = urlsplit(settings.SITE_URL)
    return parts.scheme, parts.netloc


class SafeURLFetcher(URLFetcher):
    """A WeasyPrint 70 URL fetcher that serves only /static/… and /media/… files from disk."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols={"http", "https"}, allow_redirects=False, fail_on_errors=True, **kwargs)
        self.fetched: list[str] = []

    # WeasyPrint calls fetch() for stylesheets, fonts, images and attachments alike.
    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = self.resolve(url)
        self.fetched.append(url)
        content_type = ALLOWED_SUFFIXES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
        return URLFetcherResponse(
            url=url, body=path.read_bytes(), headers={"Content-Type": content_type or "application/octet-stream"}
        )

    def open(self, url, data=None, timeout=None):  # no urllib opener is ever used
        return self.fetch(url.full_url if hasattr(url, "full_url") else url)

    def resolve(self, url: str) -> Path:
        """The file on disk that `url` names, or RefusedResource."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            raise RefusedResource(url, "inline data is not accepted")
        if scheme == "file":
            raise RefusedResource(url, "files of the server are never read by URL")
        if scheme in {"http", "https"}:
            if (scheme, parts.netloc.lower()) != site_origin():
                raise RefusedResource(url, "the PDF never fetches from another host")
        elif scheme:
            raise RefusedResource(url, f"the {scheme}: scheme is not allowed")
        elif parts.netloc:
            raise RefusedResource(url, "the PDF never fetches from another host")

        path = unquote(parts.path)
        if "\x00" in path or ".." in path.split("/"):
            raise RefusedResource(url, "the path climbs out of its folder")
        suffix = Path(path).suffix.lower()
        if suffix not in ALLOWED_SUFFIXES:
            raise RefusedResource(url, "only stylesheets, fonts and images are loaded")

        if path.startswith(settings.STATIC_URL):
            found = self._static(path.removeprefix(settings.STATIC_URL))
        elif path.startswith(settings.MEDIA_URL):
            found = self._inside(Path(settings.MEDIA_ROOT), path.removeprefix(settings.MEDIA_URL))
        else:
            found = None
        if found is None:
            raise RefusedResource(url, "it is not one of the project's static or media files")
        return found

    @staticmethod
    def _inside(root: Path, relative: str) -> Path | None:
        root = root.resolve()
        candidate = (root / relative).resolve()
        if not candidate.is_relative_to(root) or not candidate.is_file():
            return None
        return candidate

    def _static(self, relative: str) -> Path | None:
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation:
            return None
        if not found:
            return None
        found = Path(found).resolve()
        roots = [Path(d if isinstance(d, str | Path) else d[1]).resolve() for d in settings.STATICFILES_DIRS]
        roots.append(Path(settings.STATIC_ROOT).resolve())
        if not any(found.is_relative_to(root) for root in roots) or not found.is_file():
            return None
        return found
