"""Every screen right on a phone, a tablet and a desktop: screenshots of the main pages at 360, 390,
768 and 1280 px (saved under pytest's tmp path), in French and in Arabic, with no sideways page
scroll; the campaign's status and button in view on phones; numbers that never wrap; chart labels
at least 12 px high; the Arabic bulletin right to left with its French editorial marked French."""

import pytest

from tests.e2e.rendered import SITE, render_pages, serve

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WIDTHS = [360, 390, 768, 1280]
LANGUAGES = ["fr", "ar"]
SCREENSHOT_PAGES = ["home", "bulletin list", "bulletin", "dashboard", "team", "login", "help"]


def _open(browser, client, path: str, width: int):
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    serve(page, render_pages(client, [path]))
    page.goto(SITE + path)
    return context, page


def _path(path: str, language: str) -> str:
    return path if language == "fr" else f"/{language}{path}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", SCREENSHOT_PAGES)
def test_the_page_never_scrolls_sideways(module_browser, site_pages, tmp_path, name, language, width):
    client, path = site_pages[name]
    context, page = _open(module_browser, client, _path(path, language), width)

    page.screenshot(path=tmp_path / f"{name.replace(' ', '-')}-{language}-{width}.png", full_page=True)
    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    context.close()

    assert scroll_width <= client_width, f"{path} at {width} px scrolls sideways by {scroll_width - client_width} px"


@pytest.mark.parametrize("width", [360, 390])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_campaign_status_and_its_button_are_in_view_on_a_phone(module_browser, site_pages, language, width):
    client, path = site_pages["dashboard"]
    context, page = _open(module_browser, client, _path(path, language), width)

    item = page.locator(".campaign-item").first
    boxes = [item.locator(".badge").first.bounding_box(), item.locator(".campaign-action a").bounding_box()]
    context.close()

    for box in boxes:
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= width


NUMBERS_ON_ONE_LINE = """() => [...document.querySelectorAll('.num, .text-date')]
    .filter(el => el.getClientRects().length > 1)
    .map(el => el.textContent)"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["bulletin", "home", "dashboard"])
def test_numbers_never_wrap(module_browser, site_pages, name, language, width):
    client, path = site_pages[name]
    context, page = _open(module_browser, client, _path(path, language), width)

    assert page.locator(".num").count() > 0
    wrapped = page.evaluate(NUMBERS_ON_ONE_LINE)
    context.close()

    assert wrapped == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["bulletin", "home"])
def test_each_key_figure_fits_its_card(module_browser, site_pages, name, language, width):
    client, path = site_pages[name]
    context, page = _open(module_browser, client, _path(path, language), width)

    overflowing = page.evaluate(
        "() => [...document.querySelectorAll('.key-figure .figure-value')]"
        ".filter(el => el.scrollWidth > el.clientWidth).map(el => el.textContent.trim())"
    )
    context.close()

    assert overflowing == []


CHART_LABEL_SIZES = """() => [...document.querySelectorAll('svg.chart')]
    .filter(svg => svg.getBoundingClientRect().width > 0)
    .flatMap(svg => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return [...svg.querySelectorAll('text')].map(text => parseFloat(getComputedStyle(text).fontSize) * scale);
    })"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["bulletin", "home"])
def test_chart_labels_are_drawn_at_least_12_px_high(module_browser, site_pages, name, width):
    client, path = site_pages[name]
    context, page = _open(module_browser, client, path, width)

    sizes = page.evaluate(CHART_LABEL_SIZES)
    context.close()

    assert sizes
    assert min(sizes) >= 12, f"chart labels drawn {min(sizes):.1f} px high at {width} px"


@pytest.mark.parametrize("name", ["bulletin", "revision"])
def test_the_arabic_bulletin_reads_right_to_left_with_its_french_editorial_marked_french(
    module_browser, site_pages, name
):
    client, path = site_pages[name]
    context, page = _open(module_browser, client, f"/ar{path}", 1280)

    document_direction = page.evaluate("document.documentElement.dir")
    editorial = page.locator(".editorial-text")
    editorial_language = editorial.get_attribute("lang")
    editorial_direction = editorial.evaluate("el => getComputedStyle(el).direction")
    page_direction = page.locator("main").evaluate("el => getComputedStyle(el).direction")
    context.close()

    assert document_direction == "rtl"
    assert page_direction == "rtl"
    assert editorial_language == "fr"
    assert editorial_direction == "ltr"


def test_a_wide_table_scrolls_inside_its_frame_with_its_first_column_in_view(module_browser, site_pages):
    client, path = site_pages["bulletin"]
    context, page = _open(module_browser, client, path, 1280)

    frame = page.locator("#table-by_segment").locator("xpath=..")
    first_header = page.locator("#table-by_segment tbody th").first
    before = first_header.bounding_box()
    frame.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    after = first_header.bounding_box()
    last_cell = page.locator("#table-by_segment tbody tr").first.locator("td").last.bounding_box()
    frame_box = frame.bounding_box()
    reachable = frame.get_attribute("tabindex")
    context.close()

    assert after["x"] == pytest.approx(before["x"], abs=1)  # the sticky row headers did not move
    assert last_cell["x"] + last_cell["width"] <= frame_box["x"] + frame_box["width"] + 1  # the last column shows
    assert reachable == "0"  # a keyboard user can focus the frame and scroll it
