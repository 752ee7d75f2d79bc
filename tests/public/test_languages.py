"""French by default; English and Arabic from the compiled catalogues in locale/."""

import pytest


@pytest.mark.parametrize(
    ("accept_language", "heading"),
    [
        ("fr", "Les chiffres de la relation client au Maroc"),
        ("en", "Customer relations in Morocco in figures"),
        ("ar", "أرقام قطاع علاقة الزبون بالمغرب"),
    ],
)
def test_the_home_page_speaks_the_visitors_language(anonymous_client, db, accept_language, heading):
    response = anonymous_client.get("/", headers={"accept-language": accept_language})

    assert heading in response.content.decode()


def test_a_visitor_without_a_preference_reads_french(anonymous_client, db):
    response = anonymous_client.get("/")

    assert "Les chiffres de la relation client au Maroc" in response.content.decode()


def test_the_language_switcher_keeps_the_choice(anonymous_client, db):
    anonymous_client.post("/i18n/setlang/", {"language": "ar", "next": "/"})

    response = anonymous_client.get("/")

    assert '<html lang="ar" dir="rtl">' in response.content.decode()
