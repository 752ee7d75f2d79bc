"""The Content-Security-Policy in a real Chromium: the platform's pages and the admin's own (index,
lists, change forms with inlines, the publish page, the autocomplete, the second-factor set-up)
work under the strict policy without a single violation. (django-simple-history's history list
carries one inline style, a paginator's border, which the policy blocks harmlessly.)

Pages are served by Django's test client, with their headers, to Chromium through Playwright's
request interception (as in tests/e2e/test_bulletin_print.py): the data stay in the test's
transaction, and every script and stylesheet a page loads goes through the policy."""

import os
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.factories import (
    BulletinFactory,
    BulletinRevisionFactory,
    CampaignFactory,
    DeclarationFactory,
    DeclarationMeasureFactory,
    DeclarationRegionFactory,
    MembershipFactory,
    SiteFactory,
    region,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SITE = "http://testserver"
# Console messages about the policy, and violation events reported by the page itself.
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture(scope="module")
def own_browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """A Chromium tab showing pages rendered by Django's test client as `client`'s user.

    Playwright answers requests in its own context, where the test's database connection is not
    reachable: each page (and the other addresses it calls) is rendered beforehand."""

    def __init__(self, browser, client: Client) -> None:
        self.client = client
        self.rendered: dict[str, tuple[int, dict, bytes]] = {}
        self.context = browser.new_context(locale="fr-FR")
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.console: list[str] = []
        self.page.on("console", self._on_console)
        self.page.route(f"{SITE}/**", self._serve)

    def render(self, path: str, *, serve_as: str | None = None, **headers: str) -> None:
        response = self.client.get(path, headers=headers)
        kept = {key: value for key, value in response.items() if key.lower() != "content-length"}
        self.rendered[serve_as or urlsplit(path).path] = (response.status_code, kept, response.content)

    def _on_console(self, message) -> None:
        if message.type in ("error", "warning"):
            self.console.append(message.text)

    def _serve(self, route) -> None:
        path = urlsplit(route.request.url).path
        if path.startswith("/static/"):
            found = finders.find(path.removeprefix("/static/"))
            if found:
                route.fulfill(path=found)
            else:
                route.fulfill(status=404)
        elif path in self.rendered:
            status, headers, body = self.rendered[path]
            route.fulfill(status=status, headers=headers, body=body)
        else:
            route.fulfill(status=404)

    def open(self, path: str):
        self.render(path)
        self.render("/admin/jsi18n/")
        self.page.goto(SITE + path)
        self.page.wait_for_load_state("load")
        return self.page

    def violations(self) -> list[str]:
        reported = self.page.evaluate("window.__cspViolations")
        logged = [text for text in self.console if "Content Security Policy" in text or "Permissions-Policy" in text]
        return reported + logged

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(own_browser):
    visits = []

    def _visit(client: Client) -> Visit:
        visits.append(Visit(own_browser, client))
        return visits[-1]

    yield _visit
    for opened in visits:
        opened.close()


@pytest.fixture
def declaration(company_a, declarant_a):
    SiteFactory(company=company_a, region=region("MA-06"))
    declaration = DeclarationFactory(company=company_a, campaign=CampaignFactory(), status="submitted")
    DeclarationRegionFactory(declaration=declaration, region=region("MA-06"), headcount=10, on_site=4, telework=6)
    DeclarationMeasureFactory(declaration=declaration)
    return declaration


def test_the_admin_pages_raise_no_violation(visit, staff_client, declaration, company_a):
    MembershipFactory(company=company_a)
    bulletin = BulletinFactory()
    tab = visit(staff_client)

    for path in (
        "/admin/",
        "/admin/members/company/",
        f"/admin/members/company/{company_a.pk}/change/",
        "/admin/measures/declaration/",
        f"/admin/measures/declaration/{declaration.pk}/change/",
        f"/admin/bulletins/bulletin/{bulletin.pk}/change/",
        f"/admin/bulletins/bulletin/{bulletin.pk}/publier/",
        "/admin/members/companymessage/add/",
        "/admin/axes/accessattempt/",
    ):
        tab.open(path)
        assert tab.violations() == [], path


def test_the_admins_scripts_run_under_the_policy(visit, staff_client, company_a):
    tab = visit(staff_client)
    tab.render(
        "/admin/autocomplete/?term=Atlas&app_label=members&model_name=companymessage&field_name=company",
        x_requested_with="XMLHttpRequest",
    )
    page = tab.open("/admin/members/companymessage/add/")

    # The autocomplete (select2, jQuery) opens and queries the server.
    page.locator(".select2-selection").first.click()
    page.locator(".select2-search__field").fill("Atlas")
    page.locator(".select2-results__option", has_text="Atlas Contact").wait_for()
    # An inline row is added by the admin's inlines.js.
    page = tab.open(f"/admin/members/company/{company_a.pk}/change/")
    page.locator("#sites-group .add-row a").click()
    page.locator("#sites-group tr.dynamic-sites").first.wait_for()

    assert tab.violations() == []


def test_the_second_factor_set_up_raises_no_violation(visit, staff_user):
    client = Client()
    client.force_login(staff_user)
    tab = visit(client)

    page = tab.open("/admin/deux-facteurs/activer/")

    assert page.locator(".two-factor-qr svg").is_visible()
    assert tab.violations() == []


def test_the_member_pages_raise_no_violation(visit, declarant_a_client, company_a):
    declaration = DeclarationFactory(company=company_a, campaign=CampaignFactory())
    tab = visit(declarant_a_client)

    for path in ("/espace/", f"/espace/declarations/{declaration.pk}/", f"/compte/entreprises/{company_a.pk}/equipe/"):
        tab.open(path)
        assert tab.violations() == [], path


def test_the_public_pages_raise_no_violation(visit, anonymous_client):
    revision = BulletinRevisionFactory()
    tab = visit(anonymous_client)

    for path in ("/", "/bulletins/", revision.bulletin.get_absolute_url(), "/bulletins/documentation/formats/"):
        tab.open(path)
        assert tab.violations() == [], path
