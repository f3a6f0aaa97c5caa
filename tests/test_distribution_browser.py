"""The subscription form and an alert email as a person sees them, in Chromium (screenshots in test-artifacts/).

The email is the real message the sender builds for the demo release (its frozen fragment), received by
a real SMTP server and shown in the browser from its HTML part.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

from releases.distribution import services
from releases.models import Dispatch
from tests.distribution_support import Inbox, SMTPServer, subscriber, use_smtp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

sync_api = pytest.importorskip("playwright.sync_api")


@contextlib.contextmanager
def chromium_page():
    """A Chromium page. Open it after the test's database work: ORM calls made while Playwright's loop
    runs would use another connection, left open at the end."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            yield browser.new_page(viewport={"width": 1100, "height": 900})
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(live_server, transactional_db):
    with chromium_page() as page:
        yield page


def test_the_subscription_form_in_a_browser(page, live_server):
    page.goto(live_server.url + "/alerts/")
    sync_api.expect(page.get_by_role("heading", name="Receive our press releases by email")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "alerts-form.png"), full_page=True)
    # Sent empty: each field says what is missing.
    page.get_by_label("English").uncheck()
    page.get_by_role("button", name="Subscribe").click()
    sync_api.expect(page.get_by_text("Enter your email address.")).to_be_visible()
    sync_api.expect(page.get_by_text("Choose at least one language.")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "alerts-form-errors.png"), full_page=True)
    page.get_by_label("Email address", exact=True).fill("reader@example.org")
    page.get_by_label("French").check()
    page.get_by_label("I agree to receive press releases").check()
    page.get_by_role("button", name="Subscribe").click()
    sync_api.expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "alerts-sent.png"), full_page=True)
    page.goto(live_server.url + "/fr/alerts/")
    sync_api.expect(page.get_by_role("heading", name="Recevez nos communiqués par e-mail")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "alerts-form-fr.png"), full_page=True)


def test_the_alert_email_of_the_demo_release_in_a_browser(transactional_db, settings):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    from releases.models import Release

    release = Release.objects.published().get(
        language="en", corrects__isnull=True, company__slug="ose-immunotherapeutics"
    )
    subscriber("investor@example.org")
    inbox = Inbox()
    with SMTPServer(inbox) as server:
        use_smtp(settings, server)
        services.dispatch_release(release.pk)
        services.send_deliveries(Dispatch.objects.get(release=release).pk)
    [message] = inbox.received
    with chromium_page() as page:
        page.set_content(message.html)
        sync_api.expect(page.get_by_role("link", name="Read it on the newsroom")).to_be_visible()
        sync_api.expect(page.get_by_role("link", name="Unsubscribe")).to_be_visible()
        assert release.headline in page.content()
        page.screenshot(path=str(ARTIFACTS / "alert-email.png"), full_page=True)
    (ARTIFACTS / "alert-email.txt").write_text(message.text)
