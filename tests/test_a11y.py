"""Accessibility: axe-core (vendored, MPL-2.0) in Chromium finds no serious or critical violation.

Set NEWSROOM_SCREENSHOTS=/some/dir to also keep desktop and phone screenshots of each page.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from releases.models import Release

# Live server threads read committed data; keep the roles the migrations made across the flush.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture
def site():
    call_command("load_demo", verbosity=0)
    english = Release.objects.published().filter(language="en", corrects__isnull=True).first()
    french = Release.objects.published().filter(language="fr", corrects__isnull=True).first()
    return {"en": english, "fr": french}


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def serious_violations(page) -> list[str]:
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_index_search_and_release_pages_have_no_serious_accessibility_violation(live_server, site, browser):
    pages = {"index": "/", "index-fr": "/fr/", "search": "/search/?q=lusvertikimab"}
    if site["en"]:
        pages["release"] = site["en"].get_absolute_url()
    if site["fr"]:
        pages["release-fr"] = site["fr"].get_absolute_url()
    shots = os.environ.get("NEWSROOM_SCREENSHOTS")
    problems = {}
    for label, (width, height) in WIDTHS.items():
        # axe-core is injected by the test: the page's own Content-Security-Policy would refuse it.
        context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        page = context.new_page()
        for name, path in pages.items():
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            found = serious_violations(page)
            if found:
                problems[f"{name} ({label})"] = found
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{shots}/{name}-{label}.png", full_page=True)
        context.close()
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_keyboard_focus_is_visible_and_the_skip_link_comes_first(live_server, site, browser):
    page = browser.new_page(bypass_csp=True)
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
