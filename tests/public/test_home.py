from members.models import SectorFigure


def test_home_shows_sector_figures_with_their_sources(anonymous_client, db):
    response = anonymous_client.get("/")

    assert response.status_code == 200
    jobs = SectorFigure.objects.get(key="jobs")
    assert jobs.label in response.content.decode()
    assert "Source : AMRC, 2019" in response.content.decode()


def test_home_is_in_french_by_default(anonymous_client, db):
    response = anonymous_client.get("/")

    assert '<html lang="fr" dir="ltr">' in response.content.decode()


def test_home_turns_right_to_left_in_arabic(anonymous_client, db):
    response = anonymous_client.get("/ar/")

    content = response.content.decode()
    assert 'dir="rtl"' in content
    assert "bootstrap.rtl.min.css" in content
