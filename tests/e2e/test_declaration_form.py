"""The declaration form in a real headless Chromium: a keyboard-only walk (every field reached
with Tab, the section menu followed with Enter, the draft saved with Space and the declaration
submitted with Enter), the section menu's marks following what is typed, the autosave's status
and its refusal of a stale version, and no horizontal scroll from a phone to a desktop screen.

Transactional (the live server answers from its own thread), with the data the migrations
loaded (regions, measure catalogue) loaded again before each test.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from measures.models import Campaign, Declaration, DeclarationEvent
from tests.factories import CampaignFactory, DeclarationFactory, DeclarationRegionFactory, SiteFactory, region

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # A transactional test empties the tables the data migrations filled: load them again.
    pytest.mark.usefixtures("reference_data"),
]

WIDTHS = [360, 390, 768, 1280]
# What names a control: its id, or its group for radio buttons (arrows move inside a group).
KEY_OF = """(e) => (e.type === 'radio' ? 'radio:' + e.name
  : e.id || (['A', 'BUTTON'].includes(e.tagName) ? e.textContent.trim().slice(0, 60) : e.name) || e.tagName)"""
# Everything the keyboard reaches in the form.
FORM_CONTROLS_JS = f"""() => {{
  const keyOf = {KEY_OF};
  const form = document.getElementById("declaration-form");
  const keys = new Set();
  for (const element of form.elements) {{
    if (element.tagName === "FIELDSET" || element.type === "hidden" || element.disabled) continue;
    if (!element.offsetParent && element.type !== "radio") continue;
    keys.add(keyOf(element));
  }}
  return [...keys];
}}"""
ACTIVE_KEY_JS = f"() => (document.activeElement ? ({KEY_OF})(document.activeElement) : null)"
OVERFLOW_JS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
# Inputs whose text is wider than the input itself: a figure cut off.
CUT_OFF_INPUTS_JS = """() => [...document.querySelectorAll('#declaration-form input[inputmode]')]
  .filter((input) => input.offsetParent && input.scrollWidth > input.clientWidth)
  .map((input) => input.id)"""


@pytest.fixture
def campaign(db):
    today = timezone.localdate()
    return CampaignFactory(
        title="Semaine en cours",
        period_start=today - datetime.timedelta(days=8),
        opens_on=today - datetime.timedelta(days=1),
        due_on=today + datetime.timedelta(days=3),
        locks_on=today + datetime.timedelta(days=10),
    )


@pytest.fixture
def member_page(live_server, browser, declarant_a):
    """A page of a browser context logged in as company A's declarant. The live server starts
    before the browser: once Playwright's event loop runs, the test's database connection is no
    longer the one the server's threads would share."""

    def open_page(width: int = 1280) -> Page:
        client = Client()
        client.force_login(declarant_a)
        context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    return open_page


def _url(live_server, declaration: Declaration) -> str:
    return f"{live_server.url}/espace/declarations/{declaration.pk}/"


def _complete_declaration(campaign, company) -> Declaration:
    declaration = DeclarationFactory(campaign=campaign, company=company, export_revenue=150000)
    DeclarationRegionFactory(declaration=declaration, region=region("MA-06"))
    return declaration


def _tab_until(page: Page, key: str, limit: int = 250) -> list[str]:
    reached = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE_KEY_JS)
        reached.append(active)
        if active == key:
            return reached
    raise AssertionError(f"{key} not reached with Tab; reached {reached}")


def test_the_keyboard_reaches_every_field_follows_the_menu_and_saves_and_submits(
    member_page, live_server, campaign, company_a
):
    declaration = _complete_declaration(campaign, company_a)
    page = member_page()
    page.goto(_url(live_server, declaration))
    controls = page.evaluate(FORM_CONTROLS_JS)

    # From the top of the page to the submit button, Tab alone reaches every field in between.
    reached = _tab_until(page, "Soumettre")
    assert set(controls) - set(reached) == set()

    # The section menu: a real link, followed with Enter, and Tab goes on inside the section.
    page.locator('[data-section-link="regions"]').focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{_url(live_server, declaration)}#section-regions")
    page.keyboard.press("Tab")
    assert page.evaluate("() => Boolean(document.activeElement.closest('#section-regions'))")
    expect(page.locator('[data-section-link="regions"]')).to_have_attribute("aria-current", "location")

    # Space on "Enregistrer le brouillon", then Enter on "Soumettre".
    page.get_by_role("button", name="Enregistrer le brouillon").focus()
    page.keyboard.press("Space")
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()
    _tab_until(page, "Soumettre")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Déclaration soumise. Merci !")).to_be_visible()
    declaration.refresh_from_db()
    assert declaration.status == Declaration.Status.SUBMITTED
    assert DeclarationEvent.objects.filter(declaration=declaration).count() == 1


def test_the_section_menu_marks_follow_what_is_typed(member_page, live_server, campaign, company_a):
    SiteFactory(company=company_a, region=region("MA-06"))
    draft = Declaration.objects.create(campaign=campaign, company=company_a)
    page = member_page()
    page.goto(_url(live_server, draft))
    headcount_link = page.locator('[data-section-link="headcount"]')
    expect(headcount_link).to_have_attribute("data-state", "todo")
    expect(page.locator("[data-progress-text]")).to_have_text("0 sur 4 sections à remplir complètes")

    for label, value in [
        ("Effectif total", "120"),
        ("Dont sur site", "40"),
        ("Dont en télétravail", "70"),
        ("Dont en arrêt technique", "5"),
        ("Dont autres absences", "5"),
    ]:
        page.get_by_label(label, exact=True).fill(value)
    expect(headcount_link).to_have_attribute("data-state", "done")
    expect(headcount_link.locator("[data-state-label]")).to_have_text("complète")
    expect(page.locator("[data-progress-text]")).to_have_text("1 sur 4 sections à remplir complètes")

    page.get_by_label("Dont autres absences", exact=True).fill("9")
    expect(headcount_link).to_have_attribute("data-state", "check")
    expect(page.locator('[data-check="split"]')).to_have_text(
        "Sur site, télétravail, arrêt technique et autres absences doivent totaliser l'effectif : "
        "ils font 124 pour un effectif de 120."
    )

    page.locator('input[name="measures-0-status"][value="in_place"]').check()
    expect(page.locator("[data-measures-count]")).to_have_text("1 sur 22 renseignées")


def test_the_autosave_says_when_it_saved_and_stops_on_a_newer_version(member_page, live_server, campaign, company_a):
    draft = Declaration.objects.create(campaign=campaign, company=company_a)
    page = member_page()
    page.goto(_url(live_server, draft))

    page.get_by_label("Recrutements", exact=True).fill("12")
    status = page.locator("[data-autosave-status]")
    expect(status).to_have_text(re.compile(r"^Brouillon enregistré automatiquement à \d\d:\d\d\.$"), timeout=20_000)
    draft.refresh_from_db()
    assert (draft.hires, draft.version) == (12, 2)
    expect(page.locator("#id_version")).to_have_value("2")

    # Meanwhile a colleague saves: this page's next autosave must not overwrite it.
    Declaration.objects.filter(pk=draft.pk).update(hires=30, version=3)
    page.get_by_label("Départs", exact=True).fill("4")
    expect(status).to_contain_text("modifiée ailleurs", timeout=20_000)
    expect(status.get_by_role("link", name="Recharger la page")).to_be_visible()
    draft.refresh_from_db()
    assert (draft.hires, draft.separations, draft.version) == (30, None, 3)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_form_never_scrolls_sideways(member_page, live_server, campaign, company_a, tmp_path, width):
    earlier = CampaignFactory(period_start=campaign.period_start - datetime.timedelta(days=7))
    Campaign.objects.filter(pk=earlier.pk).update(status=Campaign.Status.CLOSED)
    previous = DeclarationFactory(
        campaign=earlier,
        company=company_a,
        status=Declaration.Status.APPROVED,
        headcount=1_234_567,
        on_site=1_000_000,
        telework=200_000,
        technical_unemployment=34_000,
        other_absence=567,
    )
    draft = DeclarationFactory(
        campaign=campaign,
        company=company_a,
        prefilled_from=previous,
        headcount=2_345_678,
        on_site=1_000_000,
        telework=1_000_000,
        technical_unemployment=345_000,
        other_absence=678,
        hires=None,
    )
    for code, headcount in (("MA-01", 345_678), ("MA-03", 1_000_000), ("MA-06", 1_000_000)):
        DeclarationRegionFactory(
            declaration=draft, region=region(code), headcount=headcount, on_site=headcount // 2, telework=999
        )
    page = member_page(width)
    page.goto(_url(live_server, draft))
    expect(page.get_by_text("Pré-remplie à partir de votre déclaration")).to_be_visible()

    page.screenshot(path=tmp_path / f"declaration-form-{width}.png", full_page=True)
    scroll_width, client_width = page.evaluate(OVERFLOW_JS)
    assert scroll_width <= client_width
    assert page.evaluate(CUT_OFF_INPUTS_JS) == []
    # The region menus are wide enough for "L'Oriental" or "Tanger-Tétouan-Al Hoceïma".
    assert page.locator("#id_lines-0-region").bounding_box()["width"] >= 200
    toggle = page.locator("[data-section-nav-toggle]")
    if width < 992:
        expect(toggle).to_be_visible()
        expect(page.locator("#section-nav-list")).to_be_hidden()
    else:
        expect(toggle).to_be_hidden()
        expect(page.locator("#section-nav-list")).to_be_visible()
