"""Uploads: only PNG, JPEG and WebP images, judged by their bytes, up to settings.MAX_UPLOAD_SIZE.

A file's name and the type its browser claims say nothing; its first bytes and Pillow's verify say
what it is. SVG (a script container) is refused outright. Validators run in `full_clean()`, before
the storage keeps anything; `sanitised_name` cleans the name the storage will use.
"""

from __future__ import annotations

import os
import re
import unicodedata
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Magic bytes of the formats we keep, and the extension each gets.
SIGNATURES = {
    "PNG": (b"\x89PNG\r\n\x1a\n",),
    "JPEG": (b"\xff\xd8\xff",),
    "WEBP": (),  # RIFF....WEBP, checked below
}
EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
MAX_PIXELS = 40_000_000  # a decompression bomb stops here


def sniff(head: bytes) -> str | None:
    """The format the first bytes announce: PNG, JPEG, WEBP, SVG or None."""
    if head.startswith(SIGNATURES["PNG"][0]):
        return "PNG"
    if head.startswith(SIGNATURES["JPEG"][0]):
        return "JPEG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head.lower():
        return "SVG"
    return None


def _read_head(file, size: int = 512) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(size)
    file.seek(position)
    return head


def validate_image_upload(file) -> None:
    """Refuse anything that is not a real PNG, JPEG or WebP within the size limit."""
    if file is None or not getattr(file, "name", None):
        return
    # An image already stored is not read again on every save; only new uploads are checked.
    if getattr(file, "_committed", False) is True:
        return
    limit = settings.MAX_UPLOAD_SIZE
    if file.size > limit:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s. Export a smaller image (PNG, JPEG or WebP).")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    head = _read_head(file)
    kind = sniff(head)
    if kind == "SVG":
        raise ValidationError(
            _("SVG files are not accepted: they can carry scripts. Upload a PNG, JPEG or WebP instead."),
            code="svg",
        )
    if kind is None:
        raise ValidationError(
            _(
                "“%(name)s” is not a PNG, JPEG or WebP image, whatever its name says. "
                "Open it in an image editor and export it as PNG or JPEG."
            )
            % {"name": os.path.basename(file.name)},
            code="not_an_image",
        )
    _verify_with_pillow(file, kind)


def _verify_with_pillow(file, kind: str) -> None:
    from PIL import Image

    position = file.tell()
    try:
        file.seek(0)
        with Image.open(file) as image:
            if image.format != kind:
                raise ValidationError(
                    _("The file's content does not match its format. Export it again as PNG, JPEG or WebP."),
                    code="format_mismatch",
                )
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("This image is %(w)s × %(h)s pixels, too large to use. Scale it down below 40 megapixels.")
                    % {"w": width, "h": height},
                    code="too_many_pixels",
                )
            image.verify()
    except ValidationError:
        raise
    except Exception:
        raise ValidationError(
            _("This image is damaged or incomplete. Export it again as PNG, JPEG or WebP."), code="broken_image"
        ) from None
    finally:
        file.seek(position)


def sanitised_name(filename: str, *, content_head: bytes | None = None) -> str:
    """A safe file name: ASCII letters, digits, dashes; no path; the extension of the real format."""
    base = os.path.basename((filename or "").replace("\\", "/"))
    stem, _dot, ext = base.rpartition(".") if "." in base else (base, "", "")
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-").lower()[:80] or uuid.uuid4().hex[:12]
    kind = sniff(content_head) if content_head else None
    ext = EXTENSIONS.get(kind or "", re.sub(r"[^a-z0-9]", "", ext.lower())[:5])
    if ext == "jpeg":
        ext = "jpg"
    return f"{stem}.{ext}" if ext else stem


def _head_of(instance, field_name: str) -> bytes | None:
    try:
        return _read_head(getattr(instance, field_name).file, 16)
    except (AttributeError, OSError, ValueError):
        return None


def logo_upload_path(instance, filename: str) -> str:
    """Company logos are public: logos/<sanitised name>."""
    return f"logos/{sanitised_name(filename, content_head=_head_of(instance, 'logo'))}"


def release_image_upload_path(instance, filename: str) -> str:
    # Release images live outside MEDIA_ROOT's public URL space; a view serves them once public.
    return f"release-images/{uuid.uuid4().hex}/{sanitised_name(filename, content_head=_head_of(instance, 'image'))}"
