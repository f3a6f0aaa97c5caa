"""The PDF's last page: a few stray lines are pulled back onto the page before when a tighter setting fits them."""

import io

from pypdf import PdfReader
from weasyprint import HTML

from releases.rendering.fetcher import SafeURLFetcher
from releases.rendering.outputs import pdf_html
from releases.rendering.pagefit import SHORT_LAST_PAGE, last_page_fill, with_root_class
from releases.rendering.pdf import base_url
from tests.test_pdf import demo_pdf  # noqa: F401 - the fixture, rendered once per run


def test_a_last_page_of_a_few_lines_is_pulled_back_onto_the_page_before(demo, demo_pdf):  # noqa: F811
    loose = HTML(string=pdf_html(demo), base_url=base_url(), url_fetcher=SafeURLFetcher()).render()
    assert len(loose.pages) == 4
    assert last_page_fill(loose) < SHORT_LAST_PAGE  # the disclaimer's last lines, alone on page 4
    fitted = PdfReader(io.BytesIO(demo_pdf))
    assert len(fitted.pages) == 3
    assert "issues this press release at the date hereof" in fitted.pages[2].extract_text()


def test_a_release_that_needs_its_last_page_keeps_it(db):
    from tests import factories as f

    release = f.ReleaseFactory(body="<p>Acme Biotech today reported results.</p>" * 3)
    document = HTML(string=pdf_html(release), base_url=base_url(), url_fetcher=SafeURLFetcher()).render()
    assert len(document.pages) == 1
    assert last_page_fill(document) < SHORT_LAST_PAGE  # short, but one page: nothing to pull back


def test_the_tighter_setting_is_a_class_on_the_root_element():
    assert with_root_class('<!doctype html>\n<html lang="fr"><body></body></html>', "fit-2") == (
        '<!doctype html>\n<html class="fit-2" lang="fr"><body></body></html>'
    )
    assert with_root_class("<p>no root</p>", "fit-1") == "<p>no root</p>"
