"""Every declaration of the member's companies, on pages of their own: the dashboard shows only
the last weeks."""

import datetime

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from measures.models import Campaign, Declaration
from portal.views import HISTORY_PAGE_SIZE
from tests.factories import CampaignFactory, DeclarationFactory, MembershipFactory

URL = "/espace/declarations/"


def _weeks(company, weeks: int, *, first: int = 1) -> None:
    for index in range(weeks):
        start = datetime.date(2020, 3, 16) + datetime.timedelta(weeks=index)
        campaign = CampaignFactory(title=f"Semaine n° {first + index}", period_start=start, status="closed")
        DeclarationFactory(campaign=campaign, company=company, status=Declaration.Status.APPROVED)


def test_anonymous_visitors_are_sent_to_log_in(anonymous_client, db):
    assertRedirects(anonymous_client.get(URL), f"/connexion/?next={URL}", fetch_redirect_response=False)


def test_staff_are_sent_to_the_admin(staff_client):
    assertRedirects(staff_client.get(URL), "/admin/", fetch_redirect_response=False)


def test_it_lists_my_declarations_latest_first_with_their_status(declarant_a_client, company_a):
    _weeks(company_a, 3)

    page = declarant_a_client.get(URL).content.decode()

    assert page.index("Semaine n° 3<") < page.index("Semaine n° 2<") < page.index("Semaine n° 1<")
    assert "Validée" in page


def test_another_companys_declarations_are_not_listed(declarant_a_client, company_b):
    campaign = CampaignFactory(title="Semaine secrète", status=Campaign.Status.CLOSED)
    DeclarationFactory(campaign=campaign, company=company_b)

    assertNotContains(declarant_a_client.get(URL), "Semaine secrète")


def test_a_user_of_two_companies_sees_which_company_declared(declarant_a_client, declarant_a, company_b):
    MembershipFactory(user=declarant_a, company=company_b)
    _weeks(company_b, 1)

    assertContains(declarant_a_client.get(URL), f"<td>{company_b.trade_name}</td>", html=False)


def test_older_weeks_are_on_the_next_page(declarant_a_client, company_a):
    _weeks(company_a, HISTORY_PAGE_SIZE + 1)

    first = declarant_a_client.get(URL).content.decode()
    second = declarant_a_client.get(f"{URL}?page=2").content.decode()

    assert "Semaine n° 1<" not in first
    assert "Semaine n° 1<" in second
    assert 'href="?page=2"' in first


@pytest.mark.parametrize("page", ["0", "x", "99"])
def test_a_page_out_of_range_shows_a_page_of_the_list(declarant_a_client, company_a, page):
    _weeks(company_a, 1)

    assertContains(declarant_a_client.get(f"{URL}?page={page}"), "Semaine n° 1<")


@pytest.mark.parametrize("weeks", [1, 30])
def test_it_runs_in_a_fixed_number_of_queries(declarant_a_client, company_a, weeks, django_assert_max_num_queries):
    _weeks(company_a, weeks)

    # Session, user, whether the member has several companies, the count, the page's rows.
    with django_assert_max_num_queries(5):
        response = declarant_a_client.get(URL)
    assert response.status_code == 200
