"""A release's images as its outputs print them, frozen: each file's bytes kept under their SHA-256.

When a release's content is read, each uploaded image is copied once to `release-images/r<release id>/
<sha256>.<ext>`, with smaller renditions for screens (`-w480`, `-w960`, `-w1600`) and one for print (at most
`PRINT_PIXELS` wide, about 300 dpi across the PDF's text). The content, and so the snapshot that approval
freezes, names those files and their hashes: a file replaced or deleted later changes nothing that went
out. The public media view serves such a file only when a listed release's snapshot names it
(`releases.selectors.image_is_public`).
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


@dataclass(frozen=True)
class RenditionData:
    """A smaller copy of an image, for screens that do not need every pixel."""

    width: int
    height: int
    name: str  # in the media storage


@dataclass(frozen=True)
class ImageData:
    """An image of the release, frozen: its bytes are kept under their SHA-256 (see rendering.images)."""

    alt: str
    caption: str = ""
    width: int = 0
    height: int = 0
    sha256: str = ""
    media_type: str = ""
    size: int = 0  # bytes of the original
    original: str = ""  # the frozen original's name in the media storage
    print_name: str = ""  # the file the PDF prints: the original, or a copy of about 300 dpi
    renditions: tuple[RenditionData, ...] = ()


SCREEN_WIDTHS = (480, 960, 1600)
PRINT_PIXELS = 2000  # 300 dpi across 168 mm, the PDF's text width
EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
MEDIA_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
FROZEN_NAME_RE = re.compile(r"^release-images/r(\d{1,18})/([0-9a-f]{64})(?:-w\d{1,5})?\.(?:png|jpg|webp)$")


def folder(release_id: int) -> str:
    return f"release-images/r{release_id}"


def release_of_frozen(name: str) -> int | None:
    """The release a frozen file belongs to, from its name; None for any other name."""
    match = FROZEN_NAME_RE.match(name)
    return int(match.group(1)) if match else None


def freeze(*, release_id: int, data: bytes, alt: str, caption: str = "") -> ImageData:
    """The image of these bytes, copied under its hash with its renditions (each written once)."""
    from PIL import Image

    digest = hashlib.sha256(data).hexdigest()
    with Image.open(io.BytesIO(data)) as image:
        kind = image.format
        width, height = image.size
        extension = EXTENSIONS[kind]
        base = f"{folder(release_id)}/{digest}"
        original = f"{base}.{extension}"
        _write_once(original, data)
        renditions = []
        for target in sorted({*SCREEN_WIDTHS, PRINT_PIXELS}):
            if target >= width:
                continue
            name = f"{base}-w{target}.{extension}"
            size = (target, max(1, round(height * target / width)))
            if not default_storage.exists(name):
                _write_once(name, _resized(image, size, kind))
            renditions.append(RenditionData(width=size[0], height=size[1], name=name))
    print_name = next((r.name for r in renditions if r.width == PRINT_PIXELS), original)
    return ImageData(
        alt=alt,
        caption=caption,
        width=width,
        height=height,
        sha256=digest,
        media_type=MEDIA_TYPES[kind],
        size=len(data),
        original=original,
        print_name=print_name,
        renditions=tuple(r for r in renditions if r.width in SCREEN_WIDTHS),
    )


def freeze_release_image(release_image, *, alt: str | None = None, caption: str | None = None) -> ImageData:
    """A saved ReleaseImage frozen; `alt` and `caption` replace its own (a preview of unsaved words)."""
    with release_image.image.open("rb") as handle:
        data = handle.read()
    return freeze(
        release_id=release_image.release_id,
        data=data,
        alt=release_image.alt_text if alt is None else alt,
        caption=release_image.caption if caption is None else caption,
    )


def _resized(image, size: tuple[int, int], kind: str) -> bytes:
    from PIL import Image

    copy = image.copy()
    if kind == "JPEG" and copy.mode not in ("RGB", "L"):
        copy = copy.convert("RGB")
    resized = copy.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if kind == "JPEG":
        resized.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
    elif kind == "WEBP":
        resized.save(out, format="WEBP", quality=85, method=4)
    else:
        resized.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _write_once(name: str, data: bytes) -> None:
    """Content-addressed: a name that exists already holds these bytes."""
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:  # another process wrote it in between: keep theirs (the same bytes)
            default_storage.delete(saved)


# -- as the outputs print them -----------------------------------------------------------------------

TEXT_WIDTH_MM = 168  # the PDF's text width (A4 less its margins)
MAX_PRINT_HEIGHT_MM = 110
MIN_PRINT_DPI = 150  # an image is never printed larger than this resolution allows
SIZES = "(max-width: 46rem) 100vw, 46rem"  # the page's text column


@dataclass(frozen=True)
class ComposedImage:
    """An image ready for the templates: file names (the template puts the media address before them)."""

    alt: str
    caption: str
    width: int
    height: int
    src: str
    srcset: tuple[RenditionData, ...]
    sizes: str
    original: str
    media_type: str
    size: int
    print_name: str
    print_width_mm: float

    @property
    def kind(self) -> str:
        return self.media_type.removeprefix("image/").upper()


def composed_image(image: ImageData) -> ComposedImage:
    """Where each output takes the image from, and how wide the PDF prints it."""
    everything = (*image.renditions, RenditionData(image.width, image.height, image.original))
    screen = [r for r in everything if r.width <= 960] or [everything[0]]
    width_mm = min(
        TEXT_WIDTH_MM,
        image.width / MIN_PRINT_DPI * 25.4,
        MAX_PRINT_HEIGHT_MM * image.width / max(image.height, 1),
    )
    return ComposedImage(
        alt=image.alt,
        caption=image.caption,
        width=image.width,
        height=image.height,
        src=max(screen, key=lambda r: r.width).name,
        srcset=everything,
        sizes=SIZES,
        original=image.original,
        media_type=image.media_type,
        size=image.size,
        print_name=image.print_name or image.original,
        print_width_mm=round(width_mm, 1),
    )
