"""The language is part of the address: French without a prefix, then /ar/ and /en/, each from the
compiled catalogues in locale/. Nothing about the visitor (cookie, browser preference) changes
what an address serves."""

import pytest


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Les chiffres de la relation client au Maroc"),
        ("/en/", "Customer relations in Morocco in figures"),
        ("/ar/", "أرقام قطاع علاقة الزبون بالمغرب"),
    ],
)
def test_each_language_has_its_own_address(anonymous_client, db, path, heading):
    response = anonymous_client.get(path)

    assert heading in response.content.decode()


def test_a_visitor_without_a_prefix_reads_french_whatever_the_browser_prefers(anonymous_client, db):
    response = anonymous_client.get("/", headers={"accept-language": "ar"})

    assert '<html lang="fr" dir="ltr">' in response.content.decode()


def test_the_language_switcher_links_to_the_same_page_in_each_language(anonymous_client, db):
    page = anonymous_client.get("/bulletins/").content.decode()

    assert 'href="/ar/bulletins/" lang="ar" hreflang="ar"' in page
    assert 'href="/en/bulletins/" lang="en" hreflang="en"' in page


def test_the_language_switcher_names_each_language_in_itself_with_a_capital(anonymous_client, db):
    page = anonymous_client.get("/").content.decode()

    assert ">Français</a>" in page
    assert ">English</a>" in page


def test_the_member_area_is_served_in_arabic_under_its_prefix(declarant_a_client):
    response = declarant_a_client.get("/ar/espace/")

    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/ar/", "/bulletins/", "/en/bulletins/"])
def test_public_pages_set_no_cookie_and_do_not_vary_on_it(anonymous_client, db, path):
    response = anonymous_client.get(path)

    assert response.status_code == 200
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_public_pages_are_the_same_for_a_logged_in_member(declarant_a_client, anonymous_client):
    member_view = declarant_a_client.get("/bulletins/")
    anonymous_view = anonymous_client.get("/bulletins/")

    assert "Cookie" not in member_view.get("Vary", "")
    assert member_view.content == anonymous_view.content
