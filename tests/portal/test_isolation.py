"""A member reaches only their own company: every portal URL carrying an id of company A answers
404 to a user of company B; anonymous visitors are sent to log in; staff go to the admin."""

import pytest
from pytest_django.asserts import assertRedirects

from measures.models import Declaration
from tests.factories import DeclarationFactory, MembershipFactory
from tests.portal.declaration_data import declaration_post_data


@pytest.fixture
def declaration_a(campaign, company_a):
    return DeclarationFactory(campaign=campaign, company=company_a, headcount=None)


def test_another_companys_user_cannot_see_a_declaration(declarant_b_client, declaration_a):
    response = declarant_b_client.get(f"/espace/declarations/{declaration_a.pk}/")

    assert response.status_code == 404


def test_another_companys_user_cannot_save_a_declaration(declarant_b_client, declaration_a):
    data = declaration_post_data(declaration_a, action="submit")

    response = declarant_b_client.post(f"/espace/declarations/{declaration_a.pk}/", data)

    assert response.status_code == 404
    declaration_a.refresh_from_db()
    assert (declaration_a.status, declaration_a.headcount) == (Declaration.Status.DRAFT, None)


def test_another_companys_user_cannot_autosave_a_declaration(declarant_b_client, declaration_a):
    data = declaration_post_data(declaration_a)

    response = declarant_b_client.post(f"/espace/declarations/{declaration_a.pk}/brouillon/", data)

    assert response.status_code == 404
    declaration_a.refresh_from_db()
    assert (declaration_a.headcount, declaration_a.version) == (None, 1)


def test_another_companys_user_cannot_empty_a_declaration(declarant_b_client, campaign, company_a):
    declaration = DeclarationFactory(campaign=campaign, company=company_a)

    response = declarant_b_client.post(f"/espace/declarations/{declaration.pk}/vider/", {"version": 1})

    assert response.status_code == 404
    declaration.refresh_from_db()
    assert (declaration.headcount, declaration.version) == (100, 1)


def test_another_companys_user_cannot_start_its_declaration(declarant_b_client, campaign, company_a):
    response = declarant_b_client.post(f"/espace/campagnes/{campaign.pk}/declarer/", {"company": company_a.pk})

    assert response.status_code == 404
    assert not Declaration.objects.exists()


def test_a_company_id_that_is_not_a_number_is_not_found(declarant_a_client, campaign):
    response = declarant_a_client.post(f"/espace/campagnes/{campaign.pk}/declarer/", {"company": "1 OR 1=1"})

    assert response.status_code == 404


def test_a_user_of_several_companies_must_say_which_one(declarant_a_client, declarant_a, company_b, campaign):
    MembershipFactory(user=declarant_a, company=company_b)

    response = declarant_a_client.post(f"/espace/campagnes/{campaign.pk}/declarer/")

    assert response.status_code == 404


def test_a_colleague_of_the_same_company_can_open_the_declaration(company_admin_a_client, declaration_a):
    response = company_admin_a_client.get(f"/espace/declarations/{declaration_a.pk}/")

    assert response.status_code == 200


def test_an_unknown_declaration_is_not_found(declarant_a_client, db):
    response = declarant_a_client.get("/espace/declarations/987654/")

    assert response.status_code == 404


def _member_urls(declaration: Declaration) -> list[tuple[str, str]]:
    return [
        ("get", "/espace/"),
        ("get", f"/espace/declarations/{declaration.pk}/"),
        ("post", f"/espace/declarations/{declaration.pk}/"),
        ("post", f"/espace/declarations/{declaration.pk}/brouillon/"),
        ("post", f"/espace/declarations/{declaration.pk}/vider/"),
        ("post", f"/espace/campagnes/{declaration.campaign_id}/declarer/"),
    ]


@pytest.mark.parametrize("index", range(6))
def test_anonymous_visitors_are_sent_to_log_in(anonymous_client, declaration_a, index):
    method, url = _member_urls(declaration_a)[index]

    response = getattr(anonymous_client, method)(url)

    assertRedirects(response, f"/connexion/?next={url}", fetch_redirect_response=False)


@pytest.mark.parametrize("index", range(6))
def test_staff_are_not_members_and_go_to_the_admin(staff_client, declaration_a, index):
    method, url = _member_urls(declaration_a)[index]

    response = getattr(staff_client, method)(url)

    assertRedirects(response, "/admin/", fetch_redirect_response=False)


def test_members_cannot_enter_the_admin(declarant_a_client, declaration_a):
    response = declarant_a_client.get(f"/admin/measures/declaration/{declaration_a.pk}/change/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
