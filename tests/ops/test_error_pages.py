"""A visitor who meets an error gets a page in the site's design and language, never Django's
bare text, and the 500 page renders even when the database is gone."""

import pytest
from django.test import Client, RequestFactory

from ops.views import server_error
from tests.factories import DeclarationFactory


@pytest.fixture
def failing_site(settings):
    settings.ROOT_URLCONF = "tests.ops.failing_urls"
    return Client(raise_request_exception=False)


def test_an_unknown_address_gets_the_site_s_404_page(anonymous_client, db):
    response = anonymous_client.get("/cette-page-n-existe-pas/")

    content = response.content.decode()
    assert response.status_code == 404
    assert "Page introuvable" in content
    assert "navbar-amrc" in content
    assert 'href="/bulletins/"' in content


def test_the_404_page_speaks_the_language_of_the_address(anonymous_client, db):
    response = anonymous_client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert '<html lang="en" dir="ltr">' in response.content.decode()


def test_the_404_page_turns_right_to_left_in_arabic(anonymous_client, db):
    response = anonymous_client.get("/ar/no-such-page/")

    assert '<html lang="ar" dir="rtl">' in response.content.decode()


def test_the_404_page_sets_no_cookie(declarant_a_client):
    response = declarant_a_client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_another_company_s_declaration_gets_the_same_404_page(declarant_b_client, company_a):
    declaration = DeclarationFactory(company=company_a)

    response = declarant_b_client.get(f"/espace/declarations/{declaration.pk}/")

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_a_bug_gets_the_site_s_500_page(failing_site, db):
    response = failing_site.get("/tests/fails/")

    content = response.content.decode()
    assert response.status_code == 500
    assert "La page n'a pas pu être affichée" in content
    assert "navbar-amrc" in content


def test_the_500_page_gives_the_request_s_reference(failing_site, db):
    response = failing_site.get("/tests/fails/")

    assert response["X-Request-ID"]
    assert f"<code>{response['X-Request-ID']}</code>" in response.content.decode()


def test_the_500_page_renders_when_the_database_is_gone(failing_site):
    # No django_db mark: the page itself may not query the database.
    response = failing_site.get("/tests/loses-the-database/")

    assert response.status_code == 500
    assert "La page n'a pas pu être affichée" in response.content.decode()


def test_the_500_page_renders_without_a_request_context():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "La page n'a pas pu être affichée" in response.content.decode()


def test_the_500_page_speaks_the_language_of_the_address(failing_site, db):
    response = failing_site.get("/en/tests/fails/")

    assert response.status_code == 500
    assert '<html lang="en" dir="ltr">' in response.content.decode()


def test_the_500_page_sets_no_cookie(failing_site, db):
    response = failing_site.get("/tests/fails/")

    assert not response.cookies


def test_a_request_for_another_site_gets_the_site_s_400_page(db):
    response = Client().get("/", headers={"host": "attaquant.example"})

    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()
