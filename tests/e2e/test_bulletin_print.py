"""The bulletin page printed by a real Chromium: what a ministry receives on paper.

The page is rendered by Django's test client and handed to Chromium with the static files,
instead of through a live server: the data stay in the test's transaction, and the rows the data
migrations loaded survive for the transactional tests that follow."""

import pytest
from playwright.sync_api import expect

from tests.e2e.rendered import SITE, render_pages, serve
from tests.factories import BulletinRevisionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def page(module_browser):
    context = module_browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def printed(page, anonymous_client):
    revision = BulletinRevisionFactory()
    path = revision.bulletin.get_absolute_url()
    serve(page, render_pages(anonymous_client, [path]))
    url = SITE + path
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
