"""The editor in a real browser: paste from Word and Google Docs, the lead as readers will see it, spelling in
the release's language, and a release's images from upload to the public page, the PDF and the media kit.

Chromium (Debian's /usr/bin/chromium) drives the admin on pytest-django's live server; each step leaves a
screenshot in test-artifacts/. The clipboard HTML under tests/data/clipboard/ has the structure Word 365 on
Windows and Google Docs put on the clipboard as Chromium hands it to a page (CF_HTML with Office markup and
conditional comments; Google Docs' docs-internal-guid wrapper and styled spans); it is pasted by dispatching
a real ClipboardEvent carrying a DataTransfer with text/html, so the editor's own paste path runs.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from releases import services
from releases.models import Release, ReleaseImage
from releases.rendering.content import ReleaseContent
from releases.services.editing import parts_of
from tests.pdf_structure import structure
from tests.test_browser_admin import (  # noqa: F401 - fixtures
    ARTIFACTS,
    Shots,
    browser,
    change_url,
    demo_site,
    expect,
    login,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).parent / "data"
CLIPBOARD = DATA / "clipboard"

PASTED = {
    "word-365-windows": (
        "<p><strong>today announced</strong> the publication of new preclinical data on lusvertikimab. More at "
        '<a href="https://www.ose-immuno.com/en/" rel="noopener">www.ose-immuno.com</a>.</p>'
        "<p>Mechanistically, lusvertikimab targets leukemic cells in two ways:</p>"
        "<ul><li><p>it blocks IL-7 receptor signalling;</p><ul><li><p>in B-ALL and T-ALL samples;</p></li></ul></li>"
        "<li><p>it induces phagocytosis by macrophages.</p></li></ul>"
        "<ol><li><p>Screening</p></li><li><p>Treatment</p></li></ol>"
        "<table><tbody><tr><th><p>Arm</p></th><th><p>Leukemic burden</p></th></tr>"
        "<tr><td><p>Lusvertikimab</p></td><td><p>−85%</p></td></tr></tbody></table>"
        "<p>The abstract is online.</p>"
    ),
    "google-docs-chrome": (
        "<p><strong>today announced</strong> the publication of new data in <em>Blood</em>. More at "
        '<a href="https://www.ose-immuno.com/en/" rel="noopener">www.ose-immuno.com</a>.</p>'
        "<p>Mechanistically, lusvertikimab targets leukemic cells in two ways:</p>"
        "<ul><li><p>it blocks IL-7 receptor signalling;</p><ul><li><p>in B-ALL and T-ALL samples;</p></li></ul></li>"
        "<li><p>it induces phagocytosis by macrophages.</p></li></ul>"
        "<table><tbody><tr><th><p>Arm</p></th><th><p>Leukemic burden</p></th></tr>"
        "<tr><td><p>Lusvertikimab</p></td><td><p>−85%</p></td></tr></tbody></table>"
    ),
}
PASTE = """(html) => {
  const editor = document.querySelector(".field-body .ProseMirror[contenteditable=true]");
  const data = new DataTransfer();
  data.setData("text/html", html);
  data.setData("text/plain", editor.innerText);
  editor.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
}"""


def writer_draft(**fields) -> Release:
    release = Release.objects.get(language="en", slug="ose-immunotherapeutics-lusvertikimab-blood-publication")
    writer = get_user_model().objects.get(username="writer")
    return services.release_create(
        user=writer,
        fields={"company": release.company, "language": "en", "headline": "A release written in the browser"} | fields,
        contacts=list(release.contacts.all()[:1]),
    )


@pytest.mark.parametrize("source", sorted(PASTED))
def test_pasting_from_an_office_suite_stores_clean_html_with_real_lists_and_exact_links(
    browser, demo_site, source, request
):
    draft = writer_draft()
    shots = Shots(f"paste-{source}")
    page = login(browser, demo_site, "writer")
    page.goto(change_url(draft))
    editor = page.locator(".field-body .ProseMirror[contenteditable=true]")
    editor.click()
    page.evaluate(PASTE, (CLIPBOARD / f"{source}.html").read_text())
    expect(editor.locator("ul ul li")).to_have_text("in B-ALL and T-ALL samples;")
    expect(editor.locator("a")).to_have_attribute("href", "https://www.ose-immuno.com/en/")
    shots(page, "pasted")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    stored = Release.objects.get(pk=draft.pk).body
    assert stored == PASTED[source]
    assert "·" not in stored and "mso" not in stored and "<o:p>" not in stored and "<p></p>" not in stored

    # The page shows the pasted table in the site's table style.
    with page.expect_popup() as popup:
        page.click("button[data-preview=page]")
    preview = popup.value
    preview.wait_for_load_state("load")  # its stylesheets applied
    header = preview.locator(".release-body table th").first
    expect(header).to_have_text("Arm")
    assert header.evaluate("th => getComputedStyle(th).backgroundColor") == "rgb(245, 247, 249)"
    assert preview.locator(".release-body ul ul li").count() == 1
    shots(preview, "preview")
    page.context.close()


def test_the_lead_is_shown_as_readers_will_see_it_and_spelling_follows_the_language(browser, demo_site):
    draft = writer_draft(body="<p>The company reports results.</p>")
    shots = Shots("lead-and-language")
    page = login(browser, demo_site, "writer")
    page.goto(change_url(draft))
    lead = page.locator(".lead-preview")
    expect(lead.locator(".lead-how")).to_contain_text("Your first paragraph cannot carry the dateline")
    expect(lead.locator(".lead-html p.lead-line")).to_contain_text("OSE Immunotherapeutics SA (ISIN: FR0012127173")
    shots(page, "lead-separate")

    editor = page.locator(".field-body .ProseMirror[contenteditable=true]")
    assert editor.get_attribute("spellcheck") == "true"
    assert editor.get_attribute("lang") == "en"
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("OSE Immunotherapeutics today announced results.")
    expect(lead.locator(".lead-how")).to_have_text(
        "Your text opens with the company's name: it is printed once, as the issuer with its identifiers."
    )
    first = lead.locator(".lead-html p")
    expect(first).to_have_count(1)
    expect(first).to_contain_text("OSE Immunotherapeutics SA (ISIN: FR0012127173; Mnemo: OSE) today announced results.")
    assert first.inner_text().count("OSE Immunotherapeutics") == 1
    shots(page, "lead-from-the-name")

    page.select_option("#id_language", "fr")
    expect(editor).to_have_attribute("lang", "fr")
    expect(page.locator("#id_headline")).to_have_attribute("lang", "fr")
    expect(first).to_contain_text(re.compile(r"\(ISIN\s: FR0012127173\s; Mnemo\s: OSE\)"))  # French spacing
    shots(page, "language-french")
    page.context.close()


def test_the_references_editor_fits_a_laptop_screen(browser, demo_site):
    release = Release.objects.get(language="en", slug="ose-immunotherapeutics-lusvertikimab-blood-publication")
    draft = writer_draft(body=release.body)
    writer = get_user_model().objects.get(username="writer")
    references = parts_of(release)["references"]
    services.release_edit(release=draft, user=writer, expected_version=draft.version, references=references)
    for width in (1280, 1366):
        page = login(browser, demo_site, "writer")
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(change_url(draft))
        # The last reference's accessed-on, as-written and delete fields are on screen, not cut off.
        for field in ("accessed_on", "accessed_label", "DELETE"):
            box = page.locator(f"#id_references-6-{field}").bounding_box()
            assert box is not None and box["x"] + box["width"] <= width, (width, field, box)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # Positions are counted from 1, never "0".
        expect(page.locator("#id_contact_links-0-position")).to_have_value("1")
        page.locator("#references-group").screenshot(path=str(ARTIFACTS / f"references-editor-{width}.png"))
        page.context.close()


def test_an_image_goes_from_upload_to_the_page_the_pdf_and_the_media_kit_and_stays_as_frozen(browser, demo_site):
    chart = (DATA / "chart-2400x1350.jpg").read_bytes()
    draft = writer_draft(
        body="<p>today announced results.</p>",
        publication_at=Release.objects.filter(language="en").first().publication_at,
    )
    shots = Shots("image-flow")
    page = login(browser, demo_site, "writer")
    page.goto(change_url(draft))
    page.click("#images-group .add-row a")
    page.set_input_files("#id_images-0-image", str(DATA / "chart-2400x1350.jpg"))
    page.fill("#id_images-0-alt_text", "Leukemic burden by treatment arm")
    page.fill("#id_images-0-caption", "Figure 1. Leukemic burden fell in every arm treated with lusvertikimab.")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    shots(page, "saved")
    with page.expect_popup() as popup:
        page.click("button[data-preview=page]")
    preview = popup.value
    figure = preview.locator(".release-figure img")
    expect(figure).to_have_attribute("alt", "Leukemic burden by treatment arm")
    figure.scroll_into_view_if_needed()  # loaded lazily, once in view
    preview.wait_for_function("img => img.complete", arg=figure.element_handle())
    assert figure.evaluate("img => img.naturalWidth") > 0
    # A screen rendition chosen from the srcset, served to the writer by the admin (the release is not public).
    assert f"/admin/releases/release/{draft.pk}/media/release-images/r{draft.pk}/" in figure.evaluate(
        "img => img.currentSrc"
    )
    shots(preview, "preview")
    page.click("button[data-action=submit]")
    expect(page.locator(".messagelist .success")).to_contain_text("is now in review")
    page.context.close()

    reviewer = login(browser, demo_site, "reviewer")
    reviewer.goto(change_url(draft))
    reviewer.click("button[data-action=approve]")
    expect(reviewer.locator(".messagelist .success")).to_contain_text("is approved")
    reviewer.context.close()
    publisher = login(browser, demo_site, "publisher")
    publisher.goto(change_url(draft))
    publisher.click("button[data-action=publish]")
    expect(publisher.locator(".messagelist .success")).to_contain_text("is published")

    release = Release.objects.get(pk=draft.pk)
    frozen = ReleaseContent.from_json(release.snapshot.content_json).images[0]
    assert frozen.sha256 == hashlib.sha256(chart).hexdigest()
    publisher.goto(release.get_absolute_url())
    image = publisher.locator(".release-figure img")
    expect(image).to_have_attribute("width", "2400")
    expect(image).to_have_attribute("height", "1350")
    assert "480w" in image.get_attribute("srcset") and "2400w" in image.get_attribute("srcset")
    image.scroll_into_view_if_needed()
    publisher.wait_for_function("img => img.complete", arg=image.element_handle())
    assert image.evaluate("img => img.naturalWidth") > 0
    expect(publisher.locator(".release-figure figcaption")).to_contain_text("Figure 1. Leukemic burden fell")
    shots(publisher, "public-page")
    kit = publisher.request.get(release.get_media_kit_url())
    assert kit.status == 200
    archive = zipfile.ZipFile(io.BytesIO(kit.body()))
    assert archive.read("01-leukemic-burden-by-treatment-arm.jpg") == chart

    # The upload replaced on disk afterwards: what went out is the frozen copy, byte for byte.
    upload = ReleaseImage.objects.get(release=release).image
    Path(upload.path).write_bytes((DATA / "shapes-640x360.png").read_bytes())
    served = publisher.request.get(f"/media/{frozen.original}")
    assert served.status == 200 and served.body() == chart
    pdf = publisher.request.get(release.get_pdf_url()).body()
    assert bytes(release.snapshot.pdf) == pdf
    figures = [attributes for _depth, role, attributes in structure(pdf)[1] if role == "Figure"]
    assert figures[0] == {"alt": "Leukemic burden by treatment arm"}
    (ARTIFACTS / "image-flow-release.pdf").write_bytes(pdf)
    publisher.context.close()


def test_the_editor_and_the_scripts_speak_the_interface_language(browser, demo_site):
    draft = writer_draft(body="<p>today announced results.</p>", language="fr")
    page = login(browser, demo_site, "writer")
    page.context.set_extra_http_headers({"Accept-Language": "fr-FR,fr;q=0.9"})
    page.goto(change_url(draft))
    expect(page.locator(".prose-editor button[title=gras]")).to_have_count(1)
    expect(page.locator(".prose-editor button[title='insérer un lien']")).to_have_count(1)
    expect(page.locator(".lead-preview .lead-title")).to_have_text("Le chapeau tel que les lecteurs le verront\u00a0:")
    expect(page.locator("#contact_links-group .order-up").first).to_have_attribute("title", "Monter")
    Shots("french-editor")(page, "form")
    page.context.close()
