"""The PDF renderer under production's static storage: hashed names written by `collectstatic`.

Production stores static files under hashed names (`css/pdf.<hash>.css`, WhiteNoise's compressed manifest
storage); the page and the PDF template name them so. The fetcher must find them there, and still refuse
anything that is not one of the project's files.
"""

import shutil

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import override_settings

from releases import services
from releases.rendering import RenderError
from releases.rendering.fetcher import RefusedResource, SafeURLFetcher
from releases.rendering.pdf import write_pdf
from tests import factories

MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


FILES_ONLY = ["django.contrib.staticfiles.finders.FileSystemFinder"]


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """The project's static files collected with hashed names, once for this module (compressing takes seconds).

    Only the project's own folder: the apps' files (admin, API docs) are not what a PDF loads.
    """
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=MANIFEST_STORAGES, STATICFILES_FINDERS=FILES_ONLY):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def hashed_static(settings, collected, tmp_path):
    """Production's static storage over a fresh copy of the collected files, as `collectstatic` left them."""
    root = tmp_path / "staticfiles"
    shutil.copytree(collected, root)
    settings.STATIC_ROOT = root
    settings.STORAGES = MANIFEST_STORAGES
    settings.STATICFILES_FINDERS = FILES_ONLY
    return root


def test_static_urls_are_hashed_under_the_manifest_storage(hashed_static):
    url = static("css/pdf.css")
    assert url.startswith("/static/css/pdf.") and url != "/static/css/pdf.css"
    assert (hashed_static / url.removeprefix("/static/")).is_file()


def test_fetcher_reads_the_hashed_stylesheet_and_the_hashed_fonts_it_names(hashed_static, settings):
    css = SafeURLFetcher().fetch(settings.SITE_URL + static("css/pdf.css"))
    assert css.content_type == "text/css"
    body = css.read()
    assert b"@page" in body
    font_url = static("fonts/inter/Inter-Regular.otf")
    assert font_url != "/static/fonts/inter/Inter-Regular.otf"
    assert SafeURLFetcher().fetch(font_url).read()[:4] == b"OTTO"


def test_fetcher_still_reads_source_names_and_refuses_made_up_hashes(hashed_static):
    assert b"@page" in SafeURLFetcher().fetch("/static/css/pdf.css").read()
    for url in ["/static/css/pdf.0123456789ab.css", "/static/../staticfiles.json", "/static/staticfiles.json"]:
        with pytest.raises(RefusedResource):
            SafeURLFetcher().fetch(url)


def test_a_hashed_name_whose_copy_is_gone_is_read_from_its_source_file(hashed_static):
    url = static("css/pdf.css")
    (hashed_static / url.removeprefix("/static/")).unlink()
    assert b"@page" in SafeURLFetcher().fetch(url).read()


def test_the_pdf_template_renders_with_hashed_static_files(hashed_static):
    html = f'<html><head><link rel="stylesheet" href="{static("css/pdf.css")}"></head><body><p>Hello</p></body></html>'
    assert write_pdf(html, identifier=b"0" * 32).startswith(b"%PDF-")


def test_a_refused_resource_still_stops_the_render_under_the_manifest_storage(hashed_static):
    with pytest.raises(RenderError, match="refused"):
        write_pdf('<img src="/static/../config/settings/base.png">', identifier=b"0" * 32)


def test_approval_renders_and_freezes_the_pdf_under_production_static_storage(hashed_static, release, reviewer):
    """The real renderer (WeasyPrint in its time-bounded child), the real approval service."""
    services.release_submit(release=release, user=release.created_by)
    approved = factories.approve(release, reviewer)
    assert approved.status == "approved"
    snapshot = approved.snapshot
    assert bytes(snapshot.pdf).startswith(b"%PDF-")
    assert static("css/site.css") in snapshot.page_html  # the page names the hashed copy, as it is served
