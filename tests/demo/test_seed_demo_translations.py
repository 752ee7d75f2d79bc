"""The demo's bulletins read in Arabic and English too: titles and a short editorial each."""

import datetime

import pytest
from django.utils import translation
from django.utils.formats import date_format

from bulletins.models import BulletinRevision

pytestmark = pytest.mark.slow


def test_each_demo_bulletin_has_an_arabic_and_an_english_title(seeded):
    revision = BulletinRevision.objects.get(bulletin__campaign__period_start="2020-03-30", number=1)

    assert revision.title == "Semaine du 30 mars 2020"
    assert revision.title_ar == "أسبوع 30 مارس 2020"
    assert revision.title_en == "Week of 30 March 2020"


def test_every_published_revision_carries_the_three_languages(seeded):
    revisions = BulletinRevision.objects.all()

    assert revisions.exists()
    assert not revisions.filter(title_ar="").exists()
    assert not revisions.filter(title_en="").exists()
    assert not revisions.filter(editorial_ar="").exists()
    assert not revisions.filter(editorial_en="").exists()


def test_the_english_editorial_gives_the_week_s_telework_share(seeded):
    revision = BulletinRevision.objects.filter(number=1).order_by("bulletin__campaign__period_start").last()
    telework = revision.snapshot["key_figures"]["telework_share"]["value"]

    assert f"**{telework * 100:.1f}% of the respondents' staff work remotely**" in revision.editorial_en


def test_the_arabic_editorial_writes_its_dates_as_the_arabic_pages_do(seeded):
    revision = BulletinRevision.objects.get(bulletin__campaign__period_start="2020-05-04", number=1)

    with translation.override("ar"):
        assert f"من {date_format(datetime.date(2020, 5, 4), 'DATE_FORMAT')}" in revision.editorial_ar


def test_the_arabic_page_of_a_demo_bulletin_is_wholly_arabic(seeded, anonymous_client):
    revision = BulletinRevision.objects.get(bulletin__campaign__period_start="2020-03-30", number=1)

    page = anonymous_client.get(f"/ar/bulletins/{revision.bulletin.slug}/").content.decode()

    assert '<h1 id="bulletin-title" class="h2">أسبوع 30 مارس 2020</h1>' in page
    assert '<div class="editorial-text"><p>من 30 مارس 2020' in page
