"""Reviewing a flagged declaration in a real headless Chromium: staff list the flagged
declarations, open one, read this week's figures beside last week's with the flag explained,
and approve it."""

import pytest
from playwright.sync_api import Page, expect

from measures.models import Declaration
from members.models import Region
from tests.factories import DEFAULT_PASSWORD, CompanyFactory
from tests.quality.builders import QUIET_TELEWORK, series, weeks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def casablanca() -> Region:
    # Another transactional test run before this one flushes the regions the data migration loaded.
    region, _ = Region.objects.get_or_create(
        code="MA-06", defaults={"name_fr": "Casablanca-Settat", "name_ar": "الدار البيضاء سطات"}
    )
    return region


def _log_in(page: Page, base: str) -> None:
    page.goto(f"{base}/connexion/")
    page.locator("#id_username").fill("staff@amrc.ma")
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_review_a_flagged_declaration_beside_last_week_and_approve_it(live_server, page, staff_user, casablanca):
    campaigns = weeks(9)
    atlas = CompanyFactory(trade_name="Atlas Contact", region=casablanca)
    *_, jumped = series(atlas, campaigns, telework=[*QUIET_TELEWORK, 94])
    series(CompanyFactory(trade_name="Bahia Calme", region=casablanca), campaigns, telework=[*QUIET_TELEWORK, 53])
    base = live_server.url

    _log_in(page, base)
    page.goto(f"{base}/admin/measures/declaration/?qualite=flagged")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".quality-badge").first).to_be_visible()
    expect(rows.first).to_contain_text("Part en télétravail : Saut de répartition")

    rows.first.get_by_role("link", name="Atlas Contact").click()
    review = page.locator("#quality-review")
    expect(review.get_by_role("heading", name="Cette semaine et la déclaration précédente")).to_be_visible()
    expect(review.locator("caption")).to_have_text("Semaine 9 comparée à Semaine 8")
    telework = review.locator("tr", has=page.get_by_role("rowheader", name="dont en télétravail", exact=True))
    expect(telework.locator("td")).to_have_text(["94", "52", "+42", "+81 %"])
    expect(review.locator(".quality-flags")).to_contain_text(
        "Part en télétravail : +42 points en une semaine ; l'entreprise varie habituellement de"
    )

    page.get_by_role("button", name="Valider").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Déclaration validée")
    jumped.refresh_from_db()
    assert jumped.status == Declaration.Status.APPROVED
