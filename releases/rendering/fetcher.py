"""The PDF renderer's only way out: the project's static and media files.

Static files are found the way Django serves them, under any STORAGES setting: by their source name
through the finders (development), or by the name in the URL through the staticfiles storage, which
under a manifest storage (production) is the hashed name that `collectstatic` wrote (`css/pdf.3f2a….css`).
Media files are read from MEDIA_ROOT. Everything else (file:// paths, http(s) to any host, data URIs,
attachments, traversal) is refused, and a refusal stops the render: a release whose PDF needs a foreign
resource is a bug or an attack.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
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


class StoredStaticFile:
    """A static file that only the staticfiles storage can read (e.g. object storage): read through it."""

    def __init__(self, storage, name: str):
        self.storage, self.name = storage, name
        self.suffix = Path(name).suffix

    def read_bytes(self) -> bytes:
        with self.storage.open(self.name, "rb") as handle:
            return handle.read()


def site_origin() -> tuple[str, str]:
    parts = urlsplit(settings.SITE_URL)
    return parts.scheme, parts.netloc


class SafeURLFetcher(URLFetcher):
    """A WeasyPrint 70 URL fetcher that serves only the project's /static/… and /media/… files."""

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

    def resolve(self, url: str) -> Path | StoredStaticFile:
        """The file that `url` names (on disk, or in the staticfiles storage), or RefusedResource."""
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

    def _static(self, relative: str) -> Path | StoredStaticFile | None:
        """A static file by the name in its URL: a source name, or the name the staticfiles storage gave it."""
        return self._found_by_finders(relative) or self._found_in_storage(relative)

    @staticmethod
    def _found_by_finders(relative: str) -> Path | None:
        """A source file of STATICFILES_DIRS (what development serves), never an app's static folder."""
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation:
            return None
        if not found:
            return None
        found = Path(found).resolve()
        roots = [Path(d if isinstance(d, str | Path) else d[1]).resolve() for d in settings.STATICFILES_DIRS]
        if not any(found.is_relative_to(root) for root in roots) or not found.is_file():
            return None
        return found

    def _found_in_storage(self, relative: str) -> Path | StoredStaticFile | None:
        """What `collectstatic` stored under this name (e.g. a hashed copy), or the source of a hashed name."""
        storage = staticfiles_storage
        try:
            root = Path(storage.path(""))
        except NotImplementedError:  # a remote storage: ask it, read through it
            root = None
        if root is not None:
            found = self._inside(root, relative)
            if found is not None:
                return found
        else:
            try:
                if storage.exists(relative):
                    return StoredStaticFile(storage, relative)
            except SuspiciousFileOperation:
                return None
        # A hashed name whose copy is not at hand: the manifest says which source file it was made from.
        hashed_files = getattr(storage, "hashed_files", None) or {}
        source = next((name for name, hashed in hashed_files.items() if hashed == relative), None)
        return self._found_by_finders(source) if source and source != relative else None
