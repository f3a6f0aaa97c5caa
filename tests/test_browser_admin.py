"""The editorial admin in a real browser: a release composed, reviewed, approved, scheduled and published.

Chromium (Debian's /usr/bin/chromium) drives the admin on pytest-django's live server. Each step
writes a screenshot to test-artifacts/. The live server runs in this process, so moving
`django.utils.timezone.now` moves the clock the publication gate reads.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from releases.models import BoilerplateBlock, Company, Release, Snapshot, WorkflowEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PASSWORDS = {
    "writer": "writer-demo-2024",
    "reviewer": "reviewer-demo-2024",
    "publisher": "publisher-demo-2024",
}

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture(scope="module")
def browser(django_db_setup):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made here stay synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def demo_site(live_server):
    call_command("load_demo", verbosity=0)
    company = Company.objects.get(slug="ose-immunotherapeutics")
    BoilerplateBlock.objects.create(
        company=company,
        kind=BoilerplateBlock.Kind.TOPIC_ABOUT,
        language="en",
        title="About Lusvertikimab (OSE-127)",
        body="<p>Lusvertikimab is a full antagonist antibody of the IL-7 receptor.</p>",
    )
    return live_server


class Shots:
    """Numbered full-page screenshots of one test's steps."""

    def __init__(self, name: str):
        self.name, self.n = name, 0
        ARTIFACTS.mkdir(exist_ok=True)

    def __call__(self, page, step: str) -> None:
        self.n += 1
        page.screenshot(path=ARTIFACTS / f"{self.name}-{self.n:02d}-{step}.png", full_page=True)


@pytest.fixture
def shots(request):
    return Shots(request.node.name.removeprefix("test_")[:40])


def login(browser, live_server, username: str):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, base_url=live_server.url)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # confirmations are read and accepted
    page.on("console", lambda message: _note_csp_violation(page, message.text))
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORDS[username])
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_contain_text("OSE Immunotherapeutics")
    return page


CSP_VIOLATIONS: list[str] = []


def _note_csp_violation(page, text: str) -> None:
    if "Content Security Policy" in text:
        CSP_VIOLATIONS.append(f"{page.url}: {text}")


@pytest.fixture(autouse=True)
def no_content_security_policy_violation():
    """Every admin page a test walks works under the site's Content-Security-Policy: nothing refused."""
    CSP_VIOLATIONS.clear()
    yield
    assert not CSP_VIOLATIONS, "\n".join(CSP_VIOLATIONS)


def success_message(page) -> str:
    return page.locator(".messagelist li.success").inner_text()


def change_url(release) -> str:
    return f"/admin/releases/release/{release.pk}/change/"


def type_in_editor(page, text: str) -> None:
    page.keyboard.type(text)


def add_row(page, group: str) -> None:
    page.click(f"#{group}-group .add-row a")


def test_a_release_goes_from_a_blank_form_to_the_public_page(browser, demo_site, shots, monkeypatch):
    # -- the writer composes a release from scratch ---------------------------------------------------------
    writer = login(browser, demo_site, "writer")
    shots(writer, "dashboard-writer")
    writer.click("text=Write a new release")
    writer.locator("#id_headline").press_sequentially(
        "OSE Immunotherapeutics Expects to Start a Phase 3 Trial of Lusvertikimab"
    )
    expect(writer.locator("#id_slug")).to_have_value(
        "ose-immunotherapeutics-expects-to-start-a-phase-3-trial-of-lusvertikimab"
    )
    writer.locator(".field-body .ProseMirror[contenteditable=true]").click()
    type_in_editor(writer, "today announced that it expects to start a Phase 3 trial in 2025 (1).")
    writer.keyboard.press("Enter")
    writer.click(".field-body button[title=blockquote]")
    type_in_editor(writer, "“This is a milestone for patients,” said Nicolas Poirier, Chief Executive Officer.")

    add_row(writer, "references")
    writer.fill("#id_references-0-citation", "ASH Publication – Blood (2022) 140 (Supplement 1): 1045–1047.")
    writer.fill("#id_references-0-url", "https://doi.org/10.1182/blood-2022-162281")
    expect(writer.locator("#id_references-0-position")).to_have_value("1")
    add_row(writer, "topic_links")
    writer.select_option("#id_topic_links-0-block", label="About Lusvertikimab (OSE-127) [en]")
    expect(writer.locator("#id_company_about option:checked")).to_have_text("About OSE Immunotherapeutics [en]")
    add_row(writer, "disclaimer_links")
    writer.select_option("#id_disclaimer_links-0-disclaimer", label="Forward-looking statements [en]")
    add_row(writer, "contact_links")
    writer.click("#contact_links-0 .select2-selection")
    writer.keyboard.type("Media")
    writer.click(".select2-results__option:has-text('Media relations')")
    shots(writer, "composed")
    writer.click("input[name=_continue]")
    expect(writer.locator(".messagelist .success")).to_contain_text("was added successfully")
    release = Release.objects.get(slug="ose-immunotherapeutics-expects-to-start-a-phase-3-trial-of-lusvertikimab")
    assert "<blockquote><p>“This is a milestone for patients,”" in release.body
    assert [r.citation for r in release.references.all()] == [
        "ASH Publication – Blood (2022) 140 (Supplement 1): 1045–1047."
    ]
    assert [str(t.block) for t in release.topic_links.all()] == ["About Lusvertikimab (OSE-127) [en]"]
    assert [str(c.contact) for c in release.contact_links.all()] == ["Media relations (demo) (Media)"]
    assert str(release.company_about) == "About OSE Immunotherapeutics [en]"
    # Nothing blocks; the demo's parts date from July 2024, so a release of today is warned that they have aged.
    expect(writer.locator("#checks .check.blocking")).to_have_count(0)
    warnings = writer.locator("#checks .check.warning p")
    expect(warnings).to_have_count(2)
    expect(warnings.nth(0)).to_contain_text("cites the registration document filed on April 30, 2024")
    expect(warnings.nth(1)).to_contain_text("“planned to be initiated end of 2024”")
    shots(writer, "saved-with-checks")

    # Previews show what is on the form, saved or not.
    writer.fill("#id_subheadline", "Not saved yet: the subheadline only the preview knows")
    with writer.expect_popup() as popup:
        writer.click("button[data-preview=page]")
    preview = popup.value
    expect(preview.locator("body")).to_contain_text("Not saved yet: the subheadline only the preview knows")
    expect(preview.locator("body")).to_contain_text("Preview — not published")
    shots(preview, "preview-page")
    preview.close()
    with writer.context.expect_event("response", lambda r: "/preview/pdf/" in r.url) as pdf_response:
        writer.click("button[data-preview=pdf]")
    assert pdf_response.value.status == 200
    assert pdf_response.value.header_value("content-type") == "application/pdf"
    assert Release.objects.get(pk=release.pk).subheadline == ""
    writer.fill("#id_subheadline", "")

    writer.click("button[data-action=submit]")
    expect(writer.locator(".messagelist .success")).to_contain_text("is now in review")
    shots(writer, "submitted")

    # -- the reviewer returns it with a comment ---------------------------------------------------------------
    reviewer = login(browser, demo_site, "reviewer")
    expect(reviewer.locator("#dash-review")).to_contain_text("Expects to Start a Phase 3 Trial")
    shots(reviewer, "dashboard-reviewer")
    # The dashboard leads to the review screen: the release as it will read, the thread, the two steps.
    reviewer.click("#dash-review a.dash-row")
    expect(reviewer.locator("#review-summary")).to_contain_text("First reading")
    expect(reviewer.locator(".review-doc")).to_contain_text("EXPECTS TO START A PHASE 3 TRIAL")
    shots(reviewer, "review-screen-first-reading")
    reviewer.click("button[data-action=return]")  # without a comment: the screen asks for one
    expect(reviewer.locator("#workflow_comment")).to_be_focused()
    reviewer.fill("#workflow_comment", "Say which indication the Phase 3 trial is in.")
    reviewer.click("button[data-action=return]")
    expect(reviewer.locator(".messagelist .success")).to_contain_text("went back to the writer with your comment")
    shots(reviewer, "returned")

    # -- the writer fixes it, sets the moment a few minutes ahead, and resubmits ------------------------------
    writer.goto(change_url(release))
    expect(writer.locator(".return-note")).to_contain_text("Say which indication the Phase 3 trial is in.")
    writer.fill("#id_headline", "OSE Immunotherapeutics Expects to Start a Phase 3 Trial of Lusvertikimab in ALL")
    moment = (timezone.now() + dt.timedelta(minutes=3)).replace(second=0, microsecond=0)
    local = moment.astimezone(release.company.zone)
    writer.fill("#id_publication_at_0", local.strftime("%Y-%m-%d"))
    writer.fill("#id_publication_at_1", local.strftime("%H:%M:%S"))
    writer.click("input[name=_continue]")
    expect(writer.locator(".messagelist .success")).to_contain_text("was changed successfully")
    assert Release.objects.get(pk=release.pk).publication_at == moment
    writer.click("button[data-action=submit]")
    expect(writer.locator(".messagelist .success")).to_contain_text("is now in review")

    # -- the reviewer sees what changed since the return, and approves from the review screen -----------------
    reviewer.goto(change_url(release))
    reviewer.click(".review-link a")
    expect(reviewer.locator("#review-summary")).to_contain_text("which was returned")
    expect(reviewer.locator(".review-parts")).to_contain_text("the headline")
    expect(reviewer.locator(".review-doc ins").first).to_contain_text("IN ALL")
    expect(reviewer.locator("#review-thread")).to_contain_text("Say which indication the Phase 3 trial is in.")
    shots(reviewer, "review-screen-changes")
    reviewer.click("#review_form button[data-action=approve]")
    expect(reviewer.locator(".messagelist .success")).to_contain_text("is approved")
    snapshot = Snapshot.objects.get(release=release)
    expect(reviewer.locator("#snapshot")).to_contain_text(snapshot.pdf_sha256)
    shots(reviewer, "approved-frozen")

    # -- the publisher schedules it; the public page waits for the moment -------------------------------------
    publisher = login(browser, demo_site, "publisher")
    publisher.goto(change_url(release))
    button = publisher.locator("button[data-action=publish]")
    expect(button).to_contain_text(f"Schedule for {local:%A} {local.day} {local:%B %Y, %H:%M}")
    button.click()
    expect(publisher.locator(".messagelist .success")).to_contain_text("is scheduled: it goes public on")
    publisher.goto("/admin/")
    expect(publisher.locator("#dash-scheduled .countdown")).to_have_text(re.compile(r"in 00:0\d:\d\d"))
    shots(publisher, "dashboard-scheduled")

    public_url = Release.objects.get(pk=release.pk).get_absolute_url()
    response = publisher.goto(public_url)
    assert response.status == 404
    shots(publisher, "public-before")

    real_now = timezone.now
    shift = moment - real_now() + dt.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: real_now() + shift)
    response = publisher.goto(public_url)
    assert response.status == 200
    expect(publisher.locator("h1")).to_contain_text("Phase 3 Trial of Lusvertikimab in ALL")
    shots(publisher, "public-after")

    assert list(WorkflowEvent.objects.filter(release=release).values_list("action", "actor__username"))[-5:] == [
        ("returned", "reviewer"),
        ("edited", "writer"),
        ("submitted", "writer"),
        ("approved", "reviewer"),
        ("published", "publisher"),
    ]


def test_the_second_of_two_tabs_saving_the_same_release_gets_the_conflict_message(browser, demo_site, shots):
    release = Release.objects.get(language="en", slug="ose-immunotherapeutics-lusvertikimab-blood-publication")
    # The demo release is published; work on a fresh draft of the writer's.
    from releases import services

    writer_user = type(release.created_by).objects.get(username="writer")
    draft = services.release_create(
        user=writer_user, fields={"company": release.company, "language": "en", "headline": "Two tabs, one release"}
    )
    first = login(browser, demo_site, "writer")
    second = first.context.new_page()
    first.goto(change_url(draft))
    second.goto(change_url(draft))

    first.fill("#id_headline", "Two tabs, one release – saved first")
    first.click("input[name=_continue]")
    expect(first.locator(".messagelist .success")).to_contain_text("was changed successfully")

    second.fill("#id_subheadline", "Typed in the second tab")
    second.click("input[name=_continue]")
    expect(second.locator(".errorlist.nonfield")).to_have_text(
        "Someone else saved this release since you opened it (version 2 is current, you had 1). "
        "Reload to see their changes; nothing was overwritten."
    )
    shots(second, "conflict")
    stored = Release.objects.get(pk=draft.pk)
    assert (stored.headline, stored.subheadline, stored.version) == ("Two tabs, one release – saved first", "", 2)
