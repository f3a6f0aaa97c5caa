"""A release's images: frozen under their hashes with renditions, on the page (srcset, size, alt, caption), in the
PDF at print resolution, in a media kit of the originals, and nothing published changes when a file does."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from releases import rendering, services
from releases.models import ReleaseImage, Snapshot
from releases.rendering.content import ReleaseContent
from releases.rendering.images import composed_image, freeze, release_of_frozen
from releases.rendering.outputs import pdf_html
from tests import factories
from tests.pdf_structure import structure

DATA = Path(__file__).parent / "data"
CHART = (DATA / "chart-2400x1350.jpg").read_bytes()
SHAPES = (DATA / "shapes-640x360.png").read_bytes()
CHART_SHA = hashlib.sha256(CHART).hexdigest()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def with_images(release, writer):
    services.release_edit(
        release=release,
        user=writer,
        expected_version=release.version,
        images=[
            {"file": SimpleUploadedFile("chart.jpg", CHART), "alt_text": "Leukemic burden by arm", "caption": "Fig. 1"},
            {"file": SimpleUploadedFile("shapes.png", SHAPES), "alt_text": "Mode of action", "caption": ""},
        ],
    )
    return release


def test_freezing_copies_the_bytes_under_their_hash_with_renditions(media):
    image = freeze(release_id=7, data=CHART, alt="Chart", caption="A caption")
    base = f"release-images/r7/{CHART_SHA}"
    assert (image.width, image.height, image.sha256, image.media_type, image.size) == (
        2400,
        1350,
        CHART_SHA,
        "image/jpeg",
        len(CHART),
    )
    assert image.original == f"{base}.jpg"
    assert (media / image.original).read_bytes() == CHART
    assert [(r.width, r.height, r.name) for r in image.renditions] == [
        (480, 270, f"{base}-w480.jpg"),
        (960, 540, f"{base}-w960.jpg"),
        (1600, 900, f"{base}-w1600.jpg"),
    ]
    assert image.print_name == f"{base}-w2000.jpg"
    assert (media / image.print_name).exists()
    # Written once: freezing again finds the same files and changes none of them.
    stamps = {p: p.stat().st_mtime_ns for p in media.rglob("*.jpg")}
    assert freeze(release_id=7, data=CHART, alt="Chart", caption="A caption") == image
    assert {p: p.stat().st_mtime_ns for p in media.rglob("*.jpg")} == stamps


def test_a_small_image_prints_as_it_is_and_never_below_150_dpi(media):
    image = freeze(release_id=7, data=SHAPES, alt="Shapes")
    assert image.print_name == image.original and [r.width for r in image.renditions] == [480]
    composed = composed_image(image)
    assert composed.print_width_mm == 108.4  # 640 px at 150 dpi
    assert composed_image(freeze(release_id=7, data=CHART, alt="Chart")).print_width_mm == 168.0  # the text width


def test_frozen_names_say_which_release_they_belong_to():
    assert release_of_frozen(f"release-images/r12/{CHART_SHA}.jpg") == 12
    assert release_of_frozen(f"release-images/r12/{CHART_SHA}-w480.jpg") == 12
    for name in ("release-images/0123abcd/chart.jpg", f"release-images/r12/../{CHART_SHA}.jpg", "logos/x.png"):
        assert release_of_frozen(name) is None


def test_the_page_shows_each_image_responsive_with_its_size_alt_text_and_caption(media, writer):
    release = with_images(factories.ready_release(writer), writer)
    page = rendering.render_page(release)
    base = f"/media/release-images/r{release.pk}/{CHART_SHA}"
    assert (
        f'<img src="{base}-w960.jpg" srcset="{base}-w480.jpg 480w, {base}-w960.jpg 960w, {base}-w1600.jpg 1600w, '
        f'{base}.jpg 2400w" sizes="(max-width: 46rem) 100vw, 46rem" width="2400" height="1350" '
        'alt="Leukemic burden by arm" loading="lazy" decoding="async">'
    ) in page
    assert (
        f'<figcaption>Fig. 1 <a class="media-original" href="{base}.jpg" download>Original (JPEG, 2400 × 1350 px,'
        in page
    )
    assert page.index("Leukemic burden by arm") < page.index("Mode of action")
    kit = settings.SITE_URL + release.get_media_kit_url()
    assert f'<a class="button-pdf button-media-kit" href="{kit}" type="application/zip">' in page
    assert "Media kit (2 images, ZIP)" in page


def test_the_pdf_prints_the_print_rendition_as_a_tagged_figure_with_its_alt_text(media, writer):
    release = with_images(factories.ready_release(writer), writer)
    html = pdf_html(release)
    assert f'<img src="/media/release-images/r{release.pk}/{CHART_SHA}-w2000.jpg" alt="Leukemic burden by arm"' in html
    pdf = rendering.render_pdf(release)
    figures = [attrs for _depth, role, attrs in structure(pdf)[1] if role == "Figure"]
    assert figures == [{"alt": "Leukemic burden by arm"}, {"alt": "Mode of action"}]
    reader = PdfReader(io.BytesIO(pdf))
    sizes = []
    for page in reader.pages:
        sizes += [(image.image.width, image.image.height) for image in page.images]
    assert (2000, 1125) in sizes  # about 300 dpi across the 168 mm text width


def test_approval_freezes_the_images_and_a_file_replaced_later_changes_nothing_published(
    client, media, writer, reviewer, publisher
):
    release = with_images(factories.ready_release(writer, publication_at=factories.PAST), writer)
    published = factories.published(writer, reviewer, publisher, release)
    frozen = ReleaseContent.from_json(published.snapshot.content_json).images
    assert [(i.alt, i.sha256) for i in frozen] == [
        ("Leukemic burden by arm", CHART_SHA),
        ("Mode of action", hashlib.sha256(SHAPES).hexdigest()),
    ]
    page_before = client.get(published.get_absolute_url()).content
    # The uploaded file is overwritten on disk (or replaced in a correction): the frozen copy is another file.
    upload = ReleaseImage.objects.filter(release=published).first().image.name
    with default_storage.open(upload, "wb") as handle:
        handle.write(SHAPES)
    assert client.get(published.get_absolute_url()).content == page_before
    served = client.get(f"/media/{frozen[0].original}")
    assert served.status_code == 200 and b"".join(served.streaming_content) == CHART
    assert hashlib.sha256(CHART).hexdigest() == frozen[0].sha256


def test_frozen_images_are_public_only_with_their_listed_release(client, media, writer, reviewer, publisher):
    hidden = with_images(factories.ready_release(writer), writer)  # moment tomorrow
    factories.published(writer, reviewer, publisher, hidden)
    frozen = ReleaseContent.from_json(Snapshot.objects.get(release=hidden).content_json).images[0]
    for name in (frozen.original, frozen.renditions[0].name, frozen.print_name):
        assert (media / name).exists()
        assert client.get(f"/media/{name}").status_code == 404
    assert client.get(hidden.get_media_kit_url()).status_code == 404

    shown = with_images(factories.ready_release(writer, publication_at=factories.PAST), writer)
    factories.published(writer, reviewer, publisher, shown)
    mine = ReleaseContent.from_json(Snapshot.objects.get(release=shown).content_json).images[0]
    for name in (mine.original, mine.renditions[0].name, mine.print_name):
        assert client.get(f"/media/{name}").status_code == 200, name
    # The same bytes filed under the hidden release's folder stay hidden: a folder is its release's.
    assert client.get(f"/media/{frozen.original}").status_code == 404
    assert client.get(f"/media/release-images/r{shown.pk}/{'0' * 64}.jpg").status_code == 404


def test_the_media_kit_is_the_frozen_originals_in_one_zip(client, media, writer, reviewer, publisher):
    release = with_images(factories.ready_release(writer, publication_at=factories.PAST), writer)
    factories.published(writer, reviewer, publisher, release)
    response = client.get(release.get_media_kit_url())
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (f'inline; filename="2024-07-01-{release.slug}-media-kit.zip"')
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == ["01-leukemic-burden-by-arm.jpg", "02-mode-of-action.png", "captions.txt"]
    assert archive.read("01-leukemic-burden-by-arm.jpg") == CHART
    assert archive.read("02-mode-of-action.png") == SHAPES
    assert "Leukemic burden by arm\n  Fig. 1" in archive.read("captions.txt").decode()
    assert client.get(release.get_media_kit_url()).content == response.content  # the same bytes every time


def test_an_image_needs_its_alternative_text(media, writer):
    release = factories.ready_release(writer)
    with pytest.raises(ValidationError) as refused:
        services.release_edit(
            release=release,
            user=writer,
            expected_version=release.version,
            images=[{"file": SimpleUploadedFile("chart.jpg", CHART), "alt_text": "", "caption": "Fig. 1"}],
        )
    assert "alt_text" in str(refused.value)
    assert not ReleaseImage.objects.filter(release=release).exists()
