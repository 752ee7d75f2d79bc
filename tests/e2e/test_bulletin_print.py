"""The bulletin page printed by a real Chromium: what a ministry receives on paper.

The page is rendered by Django's test client and handed to Chromium with the static files,
instead of through a live server: the data stay in the test's transaction, and the rows the data
migrations loaded survive for the transactional tests that follow."""

import os
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from playwright.sync_api import expect

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.factories import BulletinRevisionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SITE = "http://testserver"


@pytest.fixture(scope="module")
def own_browser():
    # Not the session's browser: Playwright's event loop must be gone before a later test starts
    # the live server, or that server's threads get another database connection than the test's.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(own_browser):
    context = own_browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def printed(page, anonymous_client):
    revision = BulletinRevisionFactory()
    path = revision.bulletin.get_absolute_url()
    html = anonymous_client.get(path).content

    def serve(route) -> None:
        # Runs in Playwright's thread: no database here, only the page rendered above.
        requested = urlsplit(route.request.url).path
        found = finders.find(requested.removeprefix("/static/")) if requested.startswith("/static/") else None
        if requested == path:
            route.fulfill(content_type="text/html; charset=utf-8", body=html)
        elif found:
            route.fulfill(path=found)
        else:
            route.fulfill(status=404)

    url = SITE + path
    page.route(f"{SITE}/**", serve)
    page.goto(url)
    page.emulate_media(media="print")
    return page, url


def test_the_printout_drops_the_navigation_and_the_download_buttons(printed):
    page, _url = printed

    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.locator(".downloads")).to_be_hidden()


def test_the_printout_keeps_the_charts_and_the_tables(printed):
    page, _url = printed

    expect(page.locator("#series-chart")).to_be_visible()
    expect(page.locator("#regions-chart")).to_be_visible()
    expect(page.locator("#table-by_region")).to_be_visible()


def test_the_printout_carries_the_address_of_the_page(printed):
    page, url = printed

    expect(page.locator(".print-url")).to_be_visible()
    expect(page.locator(".print-url")).to_contain_text(url)


def test_the_screen_page_does_not_show_the_printed_address(printed):
    page, _url = printed
    page.emulate_media(media="screen")

    expect(page.locator(".print-url")).to_be_hidden()


def test_the_page_prints_to_a_pdf(printed):
    page, _url = printed

    assert page.pdf(format="A4", print_background=True).startswith(b"%PDF")
