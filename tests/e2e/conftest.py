"""A real headless Chromium, from Debian's package, driven by Playwright for Python.

Playwright never downloads a browser here: it launches /usr/bin/chromium. Without Chromium the
tests skip with a message saying how to enable them; in CI (REQUIRE_BROWSER_TESTS=1) they fail.
"""

import os
from pathlib import Path

import pytest

from tests.e2e import rendered

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    # The machine has no network: without these Chromium keeps trying to reach Google's hosts.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    reason = (
        f"Browser tests need Chromium at {CHROMIUM}: install Debian's package "
        "(`apt-get install chromium`) or set CHROMIUM_PATH."
    )
    if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
        raise pytest.UsageError(f"REQUIRE_BROWSER_TESTS=1 but {reason}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself (fixtures, assertions) are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="module")
def module_browser():
    """A browser of the test module's own, for tests that render pages with Django's test client
    and hand them to Chromium instead of running a live server. Not the session's browser:
    Playwright's event loop must be gone before a later test starts the live server, or that
    server's threads get another database connection than the test's."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site_pages(company_a, declarant_a, company_admin_a):
    return rendered.site_pages(company=company_a, declarant=declarant_a, company_admin=company_admin_a)
