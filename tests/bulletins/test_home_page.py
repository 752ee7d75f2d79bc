import datetime

import pytest

from tests.bulletins.snapshots import make_snapshot
from tests.factories import BulletinFactory, BulletinRevisionFactory, CampaignFactory


@pytest.fixture
def two_weeks(db):
    revisions = []
    for week, telework in enumerate((0.3, 0.6)):
        campaign = CampaignFactory(
            title=f"Semaine {week + 1}", period_start=datetime.date(2020, 3, 16) + datetime.timedelta(weeks=week)
        )
        revisions.append(
            BulletinRevisionFactory(
                bulletin__campaign=campaign,
                bulletin__title=f"Bulletin de la semaine {week + 1}",
                snapshot=make_snapshot(campaign=campaign, telework_share=telework, on_site_share=0.2),
            )
        )
    return revisions


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_page_shows_the_key_figures_of_the_latest_bulletin(anonymous_client, two_weeks):
    latest = _home(anonymous_client).split('id="latest-bulletin"')[1].split("</section>")[0]

    assert "Bulletin de la semaine 2" in latest
    assert "60,0 %" in latest


def test_the_home_page_lists_the_published_bulletins(anonymous_client, two_weeks):
    BulletinFactory(title="Bulletin en préparation")

    page = _home(anonymous_client)

    assert "Bulletin de la semaine 1" in page
    assert two_weeks[0].bulletin.get_absolute_url() in page
    assert "Bulletin en préparation" not in page


def test_the_home_page_draws_the_series_of_published_bulletins(anonymous_client, two_weeks):
    page = _home(anonymous_client)

    assert 'id="home-series-chart"' in page
    table = page.split("par bulletin</caption>")[1].split("</table>")[0]
    assert table.count('<th scope="row">') == 2


def test_the_home_page_keeps_the_sector_reference_figures_with_their_sources(anonymous_client, two_weeks):
    assert "Source : AMRC, 2019" in _home(anonymous_client)


def test_the_home_page_without_any_bulletin_says_so(anonymous_client, db):
    page = _home(anonymous_client)

    assert "Aucun bulletin n'est encore publié." in page
    assert "<svg" not in page


def test_the_home_page_links_the_downloads_and_the_feed(anonymous_client, db):
    page = _home(anonymous_client)

    assert "/bulletins/serie.csv" in page
    assert "/bulletins/atom.xml" in page
