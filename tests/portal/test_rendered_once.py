"""The member's pages keep what is costly to render (the sector comparison, until the next
publication), and what the member or staff change shows at once all the same."""

import datetime

import pytest
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext

from bulletins.services import bulletin_create, bulletin_publish
from measures.models import Campaign, Declaration, Measure
from members.models import Region
from tests.admin.builders import admin_form_data
from tests.bulletins.publication_data import approve_declarations, closed_campaign, registry
from tests.factories import CampaignFactory, DeclarationFactory, DeclarationRegionFactory, SiteFactory
from tests.login import log_in
from tests.portal.declaration_data import declaration_post_data


@pytest.fixture
def draft(campaign, company_a):
    return Declaration.objects.create(campaign=campaign, company=company_a, headcount=120)


def _url(declaration: Declaration) -> str:
    return f"/espace/declarations/{declaration.pk}/"


def _form(html: str) -> str:
    """The page's form without its (per-request) CSRF token."""
    form = html.split('id="declaration-form"')[1].split("</form>")[0]
    return "".join(line for line in form.splitlines() if "csrfmiddlewaretoken" not in line)


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def test_a_saved_draft_shows_its_new_figures_at_once(declarant_a_client, draft):
    declarant_a_client.get(_url(draft))

    declarant_a_client.post(_url(draft), declaration_post_data(draft, figures={"hires": 17}))

    page = declarant_a_client.get(_url(draft)).content.decode()
    assert 'name="hires" value="17"' in page


def test_a_correction_by_staff_shows_at_once_to_the_member(declarant_a_client, staff_client, campaign, company_a):
    declaration = Declaration.objects.create(campaign=campaign, company=company_a, headcount=100, hires=2)
    DeclarationRegionFactory(declaration=declaration, headcount=100, on_site=40, telework=50)
    declarant_a_client.get(_url(declaration))
    url = f"/admin/measures/declaration/{declaration.pk}/change/"

    staff_client.post(url, admin_form_data(staff_client.get(url), hires="9"))

    assert 'name="hires" value="9"' in declarant_a_client.get(_url(declaration)).content.decode()


def test_a_form_sent_back_with_errors_shows_what_was_typed(declarant_a_client, draft):
    declarant_a_client.get(_url(draft))

    response = declarant_a_client.post(_url(draft), declaration_post_data(draft, figures={"hires": -4}))

    assert 'name="hires" value="-4"' in response.content.decode()


def test_each_language_has_its_own_form(declarant_a_client, draft):
    french = declarant_a_client.get(_url(draft)).content.decode()

    english = declarant_a_client.get(f"/en{_url(draft)}").content.decode()

    assert _form(english) != _form(french)


def test_the_page_read_again_is_served_as_kept(declarant_a_client, draft, settings):
    _first_count, first = _queries(declarant_a_client, _url(draft))

    again_count, again = _queries(declarant_a_client, _url(draft))

    # Session (unless Redis holds it: TEST_REDIS_URL), user and the page's state (portal.page_cache).
    session_reads = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
    assert again_count == session_reads + 2
    assert again == first


def test_a_page_rendered_again_for_another_change_reuses_the_kept_form(declarant_a_client, draft, company_a):
    first_count, first = _queries(declarant_a_client, _url(draft))
    # Changes the page's state (the company's declarations), not what the form shows: a draft
    # is no base for the headcount warning.
    earlier = CampaignFactory(period_start=datetime.date(2020, 3, 2), status=Campaign.Status.CLOSED)
    DeclarationFactory(campaign=earlier, company=company_a, status=Declaration.Status.DRAFT)

    again_count, again = _queries(declarant_a_client, _url(draft))

    # Neither its lines nor its answers are read: the kept body shows them.
    assert again_count == first_count - 2
    assert _form(again) == _form(first)


def test_a_colleague_gets_the_kept_form_with_a_token_of_their_own(declarant_a_client, company_admin_a, draft):
    declarant_a_client.get(_url(draft))
    colleague = log_in(Client(enforce_csrf_checks=True), company_admin_a)

    page = colleague.get(_url(draft)).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = colleague.post(
        _url(draft), {**declaration_post_data(draft, figures={"hires": 5}), "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert Declaration.objects.get(pk=draft.pk).hires == 5


def test_a_measure_renamed_in_the_admin_shows_at_once(declarant_a_client, staff_client, draft):
    declarant_a_client.get(_url(draft))
    url = f"/admin/measures/measure/{Measure.objects.filter(is_active=True).first().pk}/change/"

    response = staff_client.post(url, admin_form_data(staff_client.get(url), name_fr="Cellule de veille renommée"))

    assert response.status_code == 302

    assert "Cellule de veille renommée" in declarant_a_client.get(_url(draft)).content.decode()


def test_a_new_site_offers_its_region_at_once(declarant_a_client, draft, company_a):
    region = Region.objects.exclude(pk=company_a.region_id).first()
    declarant_a_client.get(_url(draft))

    SiteFactory(company=company_a, region=region)

    form = _form(declarant_a_client.get(_url(draft)).content.decode())
    assert f'<option value="{region.pk}" selected>' in form


# The sector comparison on the dashboard


@pytest.fixture
def first_week(staff_user, company_a):
    campaign = closed_campaign(week=0, title="Semaine du 16 mars 2020")
    approve_declarations(campaign, [*registry(members=6, small=0), company_a], telework=50)
    bulletin = bulletin_create(campaign=campaign, user=staff_user, title="Semaine du 16 mars 2020")
    with TestCase.captureOnCommitCallbacks(execute=True):
        bulletin_publish(bulletin=bulletin, user=staff_user)
    return bulletin


def test_the_comparison_read_again_is_not_computed_again(declarant_a_client, first_week):
    first_count, _first = _queries(declarant_a_client, "/espace/")

    again_count, again = _queries(declarant_a_client, "/espace/")

    assert again_count < first_count
    assert "Semaine du 16 mars 2020" in again.split('id="sector-comparison-title"')[1]


def test_the_comparison_follows_a_new_publication_at_once(declarant_a_client, staff_user, company_a, first_week):
    declarant_a_client.get("/espace/")
    campaign = closed_campaign(week=1, title="Semaine du 23 mars 2020")
    approve_declarations(campaign, [*registry(members=6, small=0), company_a], telework=60)
    bulletin = bulletin_create(campaign=campaign, user=staff_user, title="Semaine du 23 mars 2020")

    # Another registry answers the second week: provisional, which is not the point here.
    with TestCase.captureOnCommitCallbacks(execute=True):
        bulletin_publish(bulletin=bulletin, user=staff_user, confirm_provisional=True)

    panel = declarant_a_client.get("/espace/").content.decode().split('id="sector-comparison-title"')[1]
    assert "Semaine du 23 mars 2020" in panel


def test_another_companys_user_never_gets_a_kept_comparison(declarant_a_client, declarant_b_client, first_week):
    declarant_a_client.get("/espace/")

    page = declarant_b_client.get("/espace/").content.decode()

    assert "Atlas Contact" not in page
