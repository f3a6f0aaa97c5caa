"""The PDF: fidelity, metadata, links, fonts, determinism, PDF/A, and a renderer that reads nothing foreign."""

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from releases.rendering import RenderError, content_from_release, render_all, render_pdf
from releases.rendering.fetcher import RefusedResource, SafeURLFetcher
from releases.rendering.pdf import render_pdf_bytes, write_pdf
from tests import factories as f
from tests.pdf_structure import outline, roles, structure
from tests.test_rendering import reference_words, share_in_order

FONTS_DIR = Path(settings.STATICFILES_DIRS[0]) / "fonts"
BAD_BODY = (
    "<p>today announced <script>alert(1)</script> results"
    ' <img src="x" onerror="alert(1)"><a href="javascript:alert(1)">click</a>'
    ' <img src="file:///etc/passwd"></p>'
    '<link rel="attachment" href="file:///etc/passwd">'
    '<p style="background: url(http://127.0.0.1/)">styled</p>'
    "<style>body { background: url(http://127.0.0.1/) }</style>"
)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def link_uris(reader: PdfReader) -> list[str]:
    uris = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and action.get("/URI"):
                uris.append(str(action["/URI"]))
    return uris


def embedded_fonts(reader: PdfReader) -> dict[str, bool]:
    """Each font's name and whether its program is embedded in the file."""
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            inner = descendants[0].get_object() if descendants else font
            descriptor = inner.get("/FontDescriptor").get_object()
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


_rendered: dict[str, bytes] = {}


@pytest.fixture
def demo_pdf(demo):
    """The demo's PDF, rendered once per test run (the demo is the same in every test)."""
    if "demo" not in _rendered:
        _rendered["demo"] = render_pdf(demo)
    return _rendered["demo"]


def test_pdf_reproduces_the_reference_release(demo_pdf):
    assert share_in_order(reference_words(), pdf_text(demo_pdf)) >= 0.97


@pytest.fixture
def demo_fr_pdf(demo):
    """The French demo release's PDF, rendered once per test run."""
    if "demo-fr" not in _rendered:
        from releases.models import Release

        french = Release.objects.get(slug="ose-immunotherapeutics-publication-lusvertikimab-blood", language="fr")
        _rendered["demo-fr"] = render_pdf(french)
    return _rendered["demo-fr"]


ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def keep_for_readers(name: str, pdf: bytes) -> None:
    """The PDF, its pages as PNG (pdftoppm at 60 dpi, when poppler is installed) and its structure tree."""
    import shutil
    import subprocess

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    (ARTIFACTS / f"{name}-structure.txt").write_text(outline(pdf))
    if shutil.which("pdftoppm"):
        subprocess.run(  # noqa: S603 - fixed arguments, our own file
            ["pdftoppm", "-png", "-r", "60", str(ARTIFACTS / f"{name}.pdf"), str(ARTIFACTS / name)],  # noqa: S607
            check=True,
        )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_pdf_is_tagged_in_reading_order_with_its_language(request, db, language):
    pdf = request.getfixturevalue("demo_pdf" if language == "en" else "demo_fr_pdf")
    keep_for_readers(f"pdf-demo-{language}", pdf)
    info, _rows = structure(pdf)
    assert info == {"lang": language, "marked": True, "display_title": True}
    found = roles(pdf)
    # The kicker and the headline open the document; every back-matter section opens with its heading.
    assert found[:3] == ["Document", "Art", "P"]
    assert found[3] == "H1"
    assert found.count("H1") == 1
    assert found.count("H2") == 5  # topic About, references, company About, contacts, disclaimer
    assert found.count("BlockQuote") == 2
    for role in ("P", "L", "LI", "Link", "Sect"):
        assert role in found, role
    assert found.count("Link") >= 15


def test_the_kicker_keeps_the_ordinal_small_in_capitals(demo_fr_pdf):
    first = PdfReader(io.BytesIO(demo_fr_pdf)).pages[0].extract_text()
    assert first.startswith("COMMUNIQUÉ DE PRESSE · 1er JUILLET 2024\n")
    assert "1ER" not in first


def test_the_running_head_shows_the_logo_without_the_name_beside_it(demo):
    from releases.rendering.outputs import pdf_html

    html = pdf_html(demo)
    head = html.split('<div class="running-header">', 1)[1].split("</div>", 1)[0]
    assert (
        '<img class="company-logo" src="/media/logos/ose-immunotherapeutics.png" alt="OSE Immunotherapeutics">' in head
    )
    assert "running-name" not in html


def test_pdf_metadata_names_the_release_company_language_and_moment(demo, demo_pdf):
    reader = PdfReader(io.BytesIO(demo_pdf))
    meta = reader.metadata
    assert meta.title == demo.headline
    assert meta.author == "OSE Immunotherapeutics SA"
    assert meta.subject == (demo.subheadline or demo.headline)
    assert "OSE Immunotherapeutics" in meta["/Keywords"]
    assert meta.creation_date == dt.datetime(2024, 7, 1, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert meta.modification_date == meta.creation_date
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert 3 <= len(reader.pages) <= 5
    assert {round(float(v)) for v in reader.pages[0].mediabox[2:]} == {595, 842}  # A4


def test_pdf_is_pdf_a_3a_archival_and_tagged(demo_pdf):
    """PDF/A-3 at level A: everything level U asks (Unicode text) plus the tagged structure."""
    reader = PdfReader(io.BytesIO(demo_pdf))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3" pdfaid:conformance="A"' in xmp
    assert "/OutputIntents" in reader.trailer["/Root"]
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_pdf_links_are_live_and_references_numbered(demo_pdf):
    reader = PdfReader(io.BytesIO(demo_pdf))
    uris = link_uris(reader)
    assert "https://www.cancer.org/cancer/acute-lymphocytic-leukemia/about/key-statistics.html#references" in uris
    assert any(uri.startswith("https://ashpublications.org/blood/") for uri in uris)
    assert "https://www.ose-immuno.com" in {u.rstrip("/") for u in uris}
    text = pdf_text(demo_pdf)
    for number in range(1, 8):
        assert f"({number})" in text


def test_pdf_has_bookmarks_for_its_sections(demo_pdf):
    titles = [item.title for item in PdfReader(io.BytesIO(demo_pdf)).outline if hasattr(item, "title")]
    assert any("Lusvertikimab" in t for t in titles)
    reader = PdfReader(io.BytesIO(demo_pdf))
    flat = str(reader.outline)
    for section in ("About Acute Lymphoblastic Leukemia (ALL)", "References", "Forward-looking statements"):
        assert section in flat


def test_pdf_embeds_only_the_shipped_fonts(demo_pdf):
    fonts = embedded_fonts(PdfReader(io.BytesIO(demo_pdf)))
    assert fonts and all(fonts.values()), fonts
    # "Newsroom Sans/Serif" exist only as @font-face families over the files in static/fonts.
    assert all("Newsroom" in name for name in fonts), fonts
    assert (FONTS_DIR / "inter" / "OFL.txt").exists() and (FONTS_DIR / "source-serif-4" / "OFL.txt").exists()


def test_pdf_shows_header_and_page_numbers(demo_pdf):
    reader = PdfReader(io.BytesIO(demo_pdf))
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"{number} / {total}" in text
        assert "OSE Immunotherapeutics" in text


def test_two_renders_of_the_same_release_are_byte_identical(demo):
    content = content_from_release(demo)
    assert render_pdf(content) == render_pdf(content)
    first, second = render_all(content), render_all(content)
    assert first == second


def test_render_past_the_time_bound_fails_in_plain_words_without_a_pdf(demo):
    with pytest.raises(RenderError, match=r"took longer than 0\.01 seconds"):
        render_pdf(demo, timeout=0.01)


def test_french_release_hyphenates_in_french(db):
    company = f.CompanyFactory(city="Nantes", translations={"fr": {"city": "Nantes"}})
    release = f.ReleaseFactory(
        company=company,
        language="fr",
        publication_at=dt.datetime(2024, 7, 1, 5, 30, tzinfo=dt.UTC),
        body="<p>annonce aujourd’hui des résultats.</p>",
    )
    reader = PdfReader(io.BytesIO(render_pdf(release)))
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert "Nantes, le 1er juillet 2024 – 7h30 CEST –" in reader.pages[0].extract_text()


# -- bad input ----------------------------------------------------------------------------------


def test_bad_body_is_cleaned_on_save_and_nothing_foreign_reaches_the_outputs(db):
    release = f.ReleaseFactory(body=BAD_BODY, publication_at=dt.datetime(2024, 7, 1, 5, 30, tzinfo=dt.UTC))
    release.refresh_from_db()
    for bad in ("<script", "onerror", "javascript:", "file://", "<link", "url(", "127.0.0.1/", "<style", "<img"):
        assert bad not in release.body
    out = render_all(release)
    article = out.page_html.split("<main", 1)[1]
    for bad in ("<script", "onerror", "javascript:", "file://", "attachment", "url(http"):
        assert bad not in article
        assert bad not in out.fragment_html
    assert "/EmbeddedFile" not in out.pdf.decode("latin-1")
    assert b"root:x:0:0" not in out.pdf
    reader = PdfReader(io.BytesIO(out.pdf))
    assert "/Names" not in reader.trailer["/Root"] or "/EmbeddedFiles" not in reader.trailer["/Root"]["/Names"]
    assert not any(uri.startswith(("javascript:", "file:")) for uri in link_uris(reader))


@pytest.mark.parametrize(
    "html",
    [
        '<p>x</p><img src="file:///etc/passwd">',
        '<link rel="attachment" href="file:///etc/passwd"><p>x</p>',
        '<link rel="attachment" href="/static/css/pdf.css"><p>x</p>',
        "<style>p { background: url(http://127.0.0.1/) }</style><p>x</p>",
        '<p style="background-image: url(https://example.com/x.png)">x</p>',
        '<img src="http://169.254.169.254/latest/meta-data/">',
        '<img src="/static/../../../../etc/passwd">',
    ],
)
def test_unsanitised_html_asking_for_foreign_resources_is_refused_at_render(html):
    with pytest.raises(RenderError, match="refused"):
        render_pdf_bytes(f"<!doctype html><html><body>{html}</body></html>", identifier=b"0" * 32)


def test_renderer_in_process_refuses_too():
    with pytest.raises(RenderError, match="refused"):
        write_pdf('<img src="file:///etc/passwd">', identifier=b"0" * 32)


# -- the fetcher --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/",
        "http://localhost:8000/admin/",
        "http://10.0.0.1/static/css/pdf.css",
        "https://example.com/",
        "https://example.com/static/css/pdf.css",
        "//example.com/static/css/pdf.css",
        "/static/../../etc/passwd",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/css/../../config/settings/base.py",
        "/media/../../etc/passwd.png",
        "/etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "data:image/svg+xml,<svg/>",
        "ftp://example.com/x.css",
        "/static/css/missing.css",
    ],
)
def test_fetcher_refuses_everything_but_project_files(url):
    with pytest.raises(RefusedResource):
        SafeURLFetcher().fetch(url)


def test_fetcher_reads_static_files_from_disk():
    response = SafeURLFetcher().fetch("/static/css/pdf.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_fetcher_reads_static_files_under_the_site_origin():
    response = SafeURLFetcher().fetch(settings.SITE_URL + "/static/fonts/inter/Inter-Regular.otf")
    assert response.read()[:4] == b"OTTO"


def test_fetcher_reads_media_files(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos" / "logo.png").write_bytes(b"\x89PNG fake")
    assert SafeURLFetcher().fetch("/media/logos/logo.png").read() == b"\x89PNG fake"


# -- bounds: memory, and how many render at once ------------------------------------------------------


def test_a_render_past_its_memory_bound_stops_in_plain_words():
    """In a fresh process (a long-lived one may have memory to spare already mapped), 16 MB is too little."""
    import subprocess
    import sys

    script = (
        "import django; django.setup()\n"
        "from releases.rendering import RenderError\n"
        "from releases.rendering.pdf import render_pdf_bytes\n"
        "html = '<!doctype html><html lang=en><body>' + '<p>Acme Biotech results.</p>' * 3000 + '</body></html>'\n"
        "try:\n"
        "    render_pdf_bytes(html, identifier=b'memory-test')\n"
        "    print('RENDERED')\n"
        "except RenderError as error:\n"
        "    print(error)\n"
    )
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "PDF_RENDER_MEMORY_MB": "16"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    assert "needed more memory than a render may use" in result.stdout
    assert "nothing was produced" in result.stdout


def test_when_every_render_slot_is_taken_a_render_is_refused_as_busy(settings, tmp_path):
    import fcntl

    from releases.rendering import RenderBusy

    settings.PDF_RENDER_SLOT_DIR = str(tmp_path)
    settings.PDF_RENDER_SLOTS = 2
    settings.PDF_RENDER_SLOT_WAIT = 0.3
    held = []
    for number in range(2):  # another worker process holds both slots
        handle = open(tmp_path / f"slot-{number}.lock", "a+b")  # noqa: SIM115
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.append(handle)
    try:
        with pytest.raises(RenderBusy, match="Every PDF renderer is busy"):
            render_pdf_bytes("<p>x</p>", identifier=b"busy-test")
    finally:
        for handle in held:
            handle.close()
    # Freed, a slot takes the next render.
    assert render_pdf_bytes("<!doctype html><p>x</p>", identifier=b"busy-test").startswith(b"%PDF")
