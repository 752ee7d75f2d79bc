"""A bulletin's title and editorial in French, Arabic and English: each reader gets their own
language, or French marked as French while the translation is not written; publication freezes the
three, and the feed, the JSON and the series CSV carry them."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from bulletins.models import Bulletin
from bulletins.services import bulletin_create, bulletin_publish
from tests.bulletins.publication_data import approve_declarations, closed_campaign, registry
from tests.factories import BulletinFactory, BulletinRevisionFactory

ATOM = "{http://www.w3.org/2005/Atom}"
TITLE_AR = "أسبوع 30 مارس 2020"
TITLE_EN = "Week of 30 March 2020"
EDITORIAL_AR = "يواصل **العمل عن بعد** تقدمه."
EDITORIAL_EN = "**Telework** keeps rising."


@pytest.fixture
def translated(db):
    bulletin = BulletinFactory(
        slug="semaine-du-30-mars-2020",
        title="Semaine du 30 mars 2020",
        editorial="Le **télétravail** progresse.",
        title_ar=TITLE_AR,
        title_en=TITLE_EN,
        editorial_ar=EDITORIAL_AR,
        editorial_en=EDITORIAL_EN,
        status=Bulletin.Status.PUBLISHED,
    )
    return BulletinRevisionFactory(
        bulletin=bulletin,
        title_ar=TITLE_AR,
        title_en=TITLE_EN,
        editorial_ar=EDITORIAL_AR,
        editorial_en=EDITORIAL_EN,
    )


@pytest.fixture
def french_only(db):
    return BulletinRevisionFactory(
        bulletin__slug="semaine-du-6-avril-2020",
        bulletin__title="Semaine du 6 avril 2020",
        editorial="Le télétravail se stabilise.",
    )


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def _editorial_block(page: str) -> str:
    return page.split('id="editorial-title"')[1].split("</section>")[0]


def test_the_arabic_page_shows_the_arabic_title_and_editorial(anonymous_client, translated):
    page = _page(anonymous_client, "/ar/bulletins/semaine-du-30-mars-2020/")

    assert f'<h1 id="bulletin-title" class="h2">{TITLE_AR}</h1>' in page
    assert "<strong>العمل عن بعد</strong>" in _editorial_block(page)


def test_the_english_page_shows_the_english_title_and_editorial(anonymous_client, translated):
    page = _page(anonymous_client, "/en/bulletins/semaine-du-30-mars-2020/")

    assert f'<h1 id="bulletin-title" class="h2">{TITLE_EN}</h1>' in page
    assert "<strong>Telework</strong>" in _editorial_block(page)


def test_the_french_page_shows_the_french_texts_unmarked(anonymous_client, translated):
    page = _page(anonymous_client, "/bulletins/semaine-du-30-mars-2020/")

    assert '<h1 id="bulletin-title" class="h2">Semaine du 30 mars 2020</h1>' in page
    assert '<div class="editorial-text">' in _editorial_block(page)


def test_an_arabic_page_without_a_translation_marks_the_french_editorial_as_french(anonymous_client, french_only):
    page = _page(anonymous_client, "/ar/bulletins/semaine-du-6-avril-2020/")

    assert '<html lang="ar" dir="rtl">' in page
    assert '<div class="editorial-text" lang="fr" dir="ltr"><p>Le télétravail se stabilise.</p>' in page
    assert 'lang="ar" dir="rtl"><p>Le télétravail' not in page


def test_an_arabic_page_without_a_translation_marks_the_french_title_as_french(anonymous_client, french_only):
    page = _page(anonymous_client, "/ar/bulletins/semaine-du-6-avril-2020/")

    assert '<h1 id="bulletin-title" class="h2" lang="fr" dir="ltr">Semaine du 6 avril 2020</h1>' in page


def test_a_blank_translation_counts_as_missing(anonymous_client, db):
    revision = BulletinRevisionFactory(bulletin__title="Semaine du 13 avril 2020", title_en="   ")

    page = _page(anonymous_client, f"/en/bulletins/{revision.bulletin.slug}/")

    assert 'lang="fr" dir="ltr">Semaine du 13 avril 2020</h1>' in page


def test_the_bulletin_list_titles_each_bulletin_in_the_reader_language(anonymous_client, translated, french_only):
    page = _page(anonymous_client, "/en/bulletins/")

    assert f">{TITLE_EN}</a>" in page
    assert 'lang="fr" dir="ltr">Semaine du 6 avril 2020</a>' in page


def test_the_home_page_titles_the_latest_bulletin_in_the_reader_language(anonymous_client, translated):
    page = _page(anonymous_client, "/ar/")

    assert f">{TITLE_AR}</a>" in page


def test_the_series_table_titles_each_bulletin_in_the_reader_language(anonymous_client, translated):
    page = _page(anonymous_client, "/en/bulletins/semaine-du-30-mars-2020/")
    table = page.split('id="series-chart-data"')[1].split("</table>")[0]

    assert TITLE_EN in table


@pytest.fixture
def draft(staff_user, db):
    campaign = closed_campaign(week=1)
    approve_declarations(campaign, registry())
    return bulletin_create(
        campaign=campaign,
        user=staff_user,
        title="Semaine du 23 mars 2020",
        editorial="Texte.",
        title_ar="أسبوع 23 مارس 2020",
        title_en="Week of 23 March 2020",
        editorial_ar="نص.",
        editorial_en="Text.",
    )


def test_publication_freezes_the_translations_into_the_revision(staff_user, draft):
    revision = bulletin_publish(bulletin=draft, user=staff_user)
    draft.title_en = "Week of 23 March 2020 (draft of the correction)"
    draft.save()

    revision.refresh_from_db()
    assert (revision.title_ar, revision.title_en) == ("أسبوع 23 مارس 2020", "Week of 23 March 2020")
    assert (revision.editorial_ar, revision.editorial_en) == ("نص.", "Text.")


def test_the_json_file_carries_the_texts_in_each_language(anonymous_client, staff_user, draft):
    revision = bulletin_publish(bulletin=draft, user=staff_user)

    response = anonymous_client.get(f"/bulletins/{draft.slug}/revisions/{revision.number}/bulletin.json")
    document = json.loads(response.content)

    assert document["schema"] == "amrc-bulletin/1"
    assert document["bulletin"]["title"] == "Semaine du 23 mars 2020"
    assert document["texts"] == {
        "fr": {"title": "Semaine du 23 mars 2020", "editorial": "Texte."},
        "ar": {"title": "أسبوع 23 مارس 2020", "editorial": "نص."},
        "en": {"title": "Week of 23 March 2020", "editorial": "Text."},
    }


def test_the_series_csv_adds_the_arabic_and_english_titles_after_the_figures(anonymous_client, translated):
    response = anonymous_client.get("/bulletins/serie.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert rows[0][-2:] == ["title_ar", "title_en"]
    assert rows[0][:6] == ["bulletin", "revision", "title", "period_start", "period_end", "published_at"]
    assert rows[1][-2:] == [TITLE_AR, TITLE_EN]


def test_the_arabic_feed_titles_its_entries_in_arabic(anonymous_client, translated):
    root = ET.fromstring(anonymous_client.get("/ar/bulletins/atom.xml").content)

    assert root.find(f"{ATOM}entry/{ATOM}title").text == TITLE_AR


def test_the_french_feed_keeps_the_french_titles(anonymous_client, translated):
    root = ET.fromstring(anonymous_client.get("/bulletins/atom.xml").content)

    assert root.find(f"{ATOM}entry/{ATOM}title").text == "Semaine du 30 mars 2020"


def test_staff_write_the_three_languages_when_creating_a_bulletin(staff_client, db):
    campaign = closed_campaign(week=1)

    response = staff_client.post(
        "/admin/bulletins/bulletin/add/",
        {
            "campaign": campaign.pk,
            "title": "Semaine du 23 mars 2020",
            "editorial": "Texte.",
            "title_ar": "أسبوع 23 مارس 2020",
            "editorial_ar": "نص.",
            "title_en": "Week of 23 March 2020",
            "editorial_en": "Text.",
        },
    )

    assert response.status_code == 302
    bulletin = Bulletin.objects.get()
    assert (bulletin.title_ar, bulletin.editorial_ar) == ("أسبوع 23 مارس 2020", "نص.")
    assert (bulletin.title_en, bulletin.editorial_en) == ("Week of 23 March 2020", "Text.")


def test_the_admin_form_types_arabic_from_right_to_left(staff_client, db):
    page = staff_client.get("/admin/bulletins/bulletin/add/").content.decode()

    assert 'name="title_ar"' in page
    field = page.split('name="title_ar"')[0].rsplit("<input", 1)[1] + page.split('name="title_ar"')[1].split(">")[0]
    assert 'dir="rtl"' in field
    assert 'lang="ar"' in field
