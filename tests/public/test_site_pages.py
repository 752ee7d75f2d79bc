"""The site's frame and its information pages: the footer's help, contact and privacy pages, the
icon and the web manifest, and the account menu of a logged-in user."""

import datetime
import json

import pytest
from django.contrib.staticfiles import finders
from pytest_django.asserts import assertContains, assertNotContains

from measures.models import Campaign
from tests.factories import CampaignFactory

INFORMATION_PAGES = ["/aide/", "/contact/", "/confidentialite/"]


@pytest.mark.parametrize("path", ["/", "/bulletins/", "/aide/"])
def test_the_footer_links_to_help_contact_and_privacy(anonymous_client, db, path):
    page = anonymous_client.get(path).content.decode()
    footer = page.split("<footer")[1]

    assert 'href="/aide/"' in footer
    assert 'href="/contact/"' in footer
    assert 'href="/confidentialite/"' in footer


def test_the_footer_of_the_member_area_keeps_the_reader_language(declarant_a_client):
    footer = declarant_a_client.get("/ar/espace/").content.decode().split("<footer")[1]

    assert 'href="/ar/confidentialite/"' in footer


@pytest.mark.parametrize("path", [*INFORMATION_PAGES, *[f"/ar{path}" for path in INFORMATION_PAGES]])
def test_the_information_pages_are_public_and_set_no_cookie(anonymous_client, db, path):
    response = anonymous_client.get(path)

    assert response.status_code == 200
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize("path", INFORMATION_PAGES)
def test_the_information_pages_refuse_a_post(anonymous_client, db, path):
    assert anonymous_client.post(path).status_code == 405


@pytest.mark.parametrize("path", INFORMATION_PAGES)
def test_the_information_pages_are_the_same_for_a_logged_in_member(anonymous_client, declarant_a_client, path):
    assert declarant_a_client.get(path).content == anonymous_client.get(path).content


def test_the_help_page_lists_the_open_campaigns_with_their_dates(anonymous_client, db):
    CampaignFactory(
        title="Semaine du 30 mars 2020",
        period_start=datetime.date(2020, 3, 30),
        due_on=datetime.date(2020, 4, 9),
        locks_on=datetime.date(2020, 4, 16),
    )
    CampaignFactory(title="Brouillon de campagne", status=Campaign.Status.DRAFT)

    response = anonymous_client.get("/aide/")

    assertContains(response, '<th scope="row">Semaine du 30 mars 2020</th>')
    assertContains(response, "09/04/2020")
    assertContains(response, "16/04/2020")
    assertNotContains(response, "Brouillon de campagne")


def test_the_help_page_reads_campaigns_in_one_query(anonymous_client, db, django_assert_max_num_queries):
    CampaignFactory.create_batch(3)

    with django_assert_max_num_queries(1):
        anonymous_client.get("/aide/")


def test_the_help_page_says_whom_to_write_to(anonymous_client, db, settings):
    settings.CONTACT_EMAIL = "aide@amrc.example"

    assertContains(anonymous_client.get("/aide/"), 'href="mailto:aide@amrc.example"')


def test_the_contact_page_shows_the_phone_only_when_there_is_one(anonymous_client, db, settings):
    settings.CONTACT_PHONE = ""
    assertNotContains(anonymous_client.get("/contact/"), "tel:")

    settings.CONTACT_PHONE = "+212 5 22 00 00 00"
    assertContains(anonymous_client.get("/contact/"), 'href="tel:+212522000000"')


def test_the_privacy_page_says_who_sees_what(anonymous_client, db):
    response = anonymous_client.get("/confidentialite/")

    assertContains(response, "Jamais les données d'une autre entreprise.")
    assertContains(response, "Seulement des totaux protégés par le secret statistique")
    assertContains(response, "L'équipe de l'AMRC")


def test_the_privacy_page_says_how_long_data_are_kept_and_how_to_ask_for_them(anonymous_client, db, settings):
    settings.PRIVACY_EMAIL = "donnees@amrc.example"

    response = anonymous_client.get("/confidentialite/")

    assertContains(response, "Combien de temps")
    assertContains(response, 'href="mailto:donnees@amrc.example"')
    assertContains(response, "loi 09-08")
    assertContains(response, 'href="https://www.cndp.ma/"')


def test_the_privacy_page_quotes_the_cndp_declaration_once_there_is_one(anonymous_client, db, settings):
    settings.CNDP_DECLARATION = ""
    assertNotContains(anonymous_client.get("/confidentialite/"), "déclaré à la CNDP")

    settings.CNDP_DECLARATION = "D-GC-123/2026"
    assertContains(anonymous_client.get("/confidentialite/"), "déclaré à la CNDP sous le numéro D-GC-123/2026")


def test_every_page_names_its_icons_and_manifest(anonymous_client, db):
    page = anonymous_client.get("/").content.decode()

    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    assert '<link rel="icon" href="/static/img/favicon.ico" sizes="32x32">' in page
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page


@pytest.mark.parametrize("name", ["favicon.svg", "favicon.ico", "apple-touch-icon.png", "icon-192.png", "icon-512.png"])
def test_the_icons_are_static_files(name):
    assert finders.find(f"img/{name}")


def test_the_favicon_at_the_root_leads_to_the_static_icon(anonymous_client, db):
    response = anonymous_client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.ico"


@pytest.mark.parametrize(
    ("path", "language", "direction", "start"),
    [("/manifest.webmanifest", "fr", "ltr", "/"), ("/ar/manifest.webmanifest", "ar", "rtl", "/ar/")],
)
def test_the_manifest_speaks_the_language_of_its_address(anonymous_client, db, path, language, direction, start):
    response = anonymous_client.get(path)
    manifest = json.loads(response.content)

    assert response["Content-Type"] == "application/manifest+json"
    assert (manifest["lang"], manifest["dir"], manifest["start_url"]) == (language, direction, start)
    assert not response.cookies


def test_every_icon_of_the_manifest_exists(anonymous_client, db):
    manifest = json.loads(anonymous_client.get("/manifest.webmanifest").content)

    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_the_user_name_opens_an_account_menu(declarant_a_client):
    page = declarant_a_client.get("/espace/").content.decode()
    menu = page.split('class="nav-item dropdown account-menu"')[1].split("</li>\n          {% else %}")[0]

    assert '<button class="nav-link dropdown-toggle" type="button" id="account-menu"' in menu
    assert "Amina" in menu.split("</button>")[0]
    assert 'href="/compte/preferences/"' in menu
    assert 'href="/compte/mot-de-passe/modifier/"' in menu
    assert 'action="/deconnexion/"' in menu


def test_the_user_name_is_no_longer_a_bare_link(declarant_a_client):
    page = declarant_a_client.get("/espace/").content.decode()

    assert 'title="Mes préférences">Amina</a>' not in page
