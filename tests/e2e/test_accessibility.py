"""axe-core, from the npm registry (package.json; `npm ci`), run by Chromium on every public page,
the login, the member's dashboard, declaration form and team pages, in French and in Arabic:
no violation of WCAG 2.1 level A or AA is tolerated.

The pages are rendered by Django's test client and handed to the browser (tests/e2e/rendered.py);
axe is injected from node_modules, never from a CDN."""

import os

import pytest
from django.conf import settings

from tests.e2e.rendered import SITE, render_pages, serve

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGUAGES = ["fr", "ar"]


@pytest.fixture(scope="module")
def axe_script():
    if AXE.exists():
        return AXE
    reason = f"Accessibility tests need axe-core at {AXE}: run `npm ci` at the repository root."
    if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
        pytest.fail(f"REQUIRE_BROWSER_TESTS=1 but {reason}")
    pytest.skip(reason)


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


PAGES = [
    "home",
    "bulletin list",
    "bulletin",
    "revision",
    "formats",
    "help",
    "contact",
    "privacy",
    "login",
    "registration",
    "dashboard",
    "declaration form",
    "preferences",
    "team",
    "team removal",
]
# On a phone the navigation folds into its menu button, charts switch to their compact drawing and
# more tables scroll: the pages whose layout changes most are checked there too.
PHONE_PAGES = ["home", "bulletin", "dashboard", "declaration form", "team"]


def _axe_violations(browser, axe_script, client, path: str, width: int) -> list[dict]:
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
    page = context.new_page()
    serve(page, render_pages(client, [path]))
    page.goto(SITE + path)
    page.add_script_tag(path=str(axe_script))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_21_AA,
    )
    context.close()
    return results["violations"]


def _path(path: str, language: str) -> str:
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_the_page_has_no_wcag_21_aa_violation(module_browser, axe_script, site_pages, name, language):
    client, path = site_pages[name]
    path = _path(path, language)

    violations = _axe_violations(module_browser, axe_script, client, path, width=1280)

    assert not violations, f"{path}:\n{_describe(violations)}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PHONE_PAGES)
def test_the_page_has_no_wcag_21_aa_violation_on_a_phone(module_browser, axe_script, site_pages, name, language):
    client, path = site_pages[name]
    path = _path(path, language)

    violations = _axe_violations(module_browser, axe_script, client, path, width=360)

    assert not violations, f"{path} at 360 px:\n{_describe(violations)}"
