import pytest

from tests.bulletins.snapshots import make_snapshot
from tests.factories import BulletinFactory, BulletinRevisionFactory


@pytest.fixture
def revision(db):
    return BulletinRevisionFactory(bulletin__title="Semaine du 30 mars 2020", bulletin__slug="semaine-du-30-mars-2020")


@pytest.fixture
def draft(db):
    return BulletinFactory(slug="brouillon", title="Bulletin en préparation")


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_bulletin_page_is_public(anonymous_client, revision):
    page = _page(anonymous_client, "/bulletins/semaine-du-30-mars-2020/")

    assert "Semaine du 30 mars 2020" in page


def test_the_bulletin_page_shows_the_key_figures(anonymous_client, revision):
    page = _page(anonymous_client, revision.bulletin.get_absolute_url())

    assert "65\xa0000" in page
    assert "64,0 %" in page


def test_the_key_figures_show_their_change_against_the_previous_bulletin(anonymous_client, db):
    previous = {"slug": "semaine-1", "revision": 1, "headcount": 64000, "telework_share": 0.41}
    revision = BulletinRevisionFactory(snapshot=make_snapshot(previous=previous))

    page = _page(anonymous_client, revision.bulletin.get_absolute_url())

    assert "+23,0 pts" in page
    assert "29 mars 2020" in page


def test_the_bulletin_page_has_every_table(anonymous_client, revision):
    page = _page(anonymous_client, revision.bulletin.get_absolute_url())

    for table_id in ("by_segment", "by_formality", "by_region", "region_by_segment", "measures", "support_by_segment"):
        assert f'id="table-{table_id}"' in page


def test_the_tables_name_regions_and_measures_in_words(anonymous_client, revision):
    page = _page(anonymous_client, revision.bulletin.get_absolute_url())

    assert "Casablanca-Settat" in page
    assert "Masques fournis aux salariés sur site" in page


def test_a_suppressed_cell_shows_c_linked_to_the_confidentiality_note(anonymous_client, revision):
    page = _page(anonymous_client, revision.bulletin.get_absolute_url())

    assert '<a class="cell-c" href="#note-confidential"' in page
    assert 'id="note-confidential"' in page


def test_the_methodology_counts_the_suppressed_cells(anonymous_client, revision):
    page = _page(anonymous_client, revision.bulletin.get_absolute_url())

    count = revision.snapshot["methodology"]["suppressed_cells"]
    assert f"{count} cellules sont masquées dans ce bulletin." in page


def test_the_methodology_describes_the_rules_without_their_parameters(anonymous_client, revision, settings):
    page = _page(anonymous_client, revision.bulletin.get_absolute_url())

    rules = page.split('id="note-confidential"')[1].split("<p>")[1].split("</p>")[0]
    assert "Les seuils retenus ne sont pas publiés." in rules
    assert str(settings.DISCLOSURE_DOMINANCE_K) not in rules
    assert str(settings.DISCLOSURE_MIN_CONTRIBUTORS) not in rules


def test_the_estimates_are_labelled_with_their_response_base(anonymous_client, revision):
    page = _page(anonymous_client, revision.bulletin.get_absolute_url())
    estimates = page.split('id="estimates-title"')[1].split("</section>")[0]

    assert "estimation" in estimates
    assert "Répondants (base)" in estimates


def test_the_bulletin_page_links_its_downloads_and_their_documentation(anonymous_client, revision):
    page = _page(anonymous_client, revision.bulletin.get_absolute_url())

    slug = revision.bulletin.slug
    assert f"/bulletins/{slug}/revisions/1/bulletin.csv" in page
    assert f"/bulletins/{slug}/revisions/1/bulletin.json" in page
    assert "/bulletins/serie.csv" in page
    assert "/bulletins/documentation/formats/" in page


def test_the_bulletin_page_prints_its_own_address(anonymous_client, revision):
    page = _page(anonymous_client, revision.bulletin.get_absolute_url())

    assert f"http://testserver/bulletins/{revision.bulletin.slug}/" in page
    assert "print-url" in page


def test_the_bulletin_page_shows_the_latest_revision(anonymous_client, revision):
    BulletinRevisionFactory(bulletin=revision.bulletin, number=2, title="Titre corrigé")

    page = _page(anonymous_client, revision.bulletin.get_absolute_url())

    assert "Titre corrigé" in page


def test_an_earlier_revision_stays_readable_at_its_own_address(anonymous_client, revision):
    BulletinRevisionFactory(bulletin=revision.bulletin, number=2, title="Titre corrigé")

    page = _page(anonymous_client, f"/bulletins/{revision.bulletin.slug}/revisions/1/")

    assert "Semaine du 30 mars 2020" in page
    assert "Elle a été corrigée depuis" in page


def test_the_revision_history_lists_each_revision_with_its_dated_note(anonymous_client, revision):
    BulletinRevisionFactory(bulletin=revision.bulletin, number=2, correction_note="Deux déclarations corrigées.")

    page = _page(anonymous_client, revision.bulletin.get_absolute_url())
    history = page.split('id="history-title"')[1]

    assert f"/bulletins/{revision.bulletin.slug}/revisions/1/" in history
    assert f"/bulletins/{revision.bulletin.slug}/revisions/2/" in history
    assert "Deux déclarations corrigées." in history
    assert "<time datetime=" in history


def test_a_revision_that_does_not_exist_is_not_found(anonymous_client, revision):
    response = anonymous_client.get(f"/bulletins/{revision.bulletin.slug}/revisions/2/")

    assert response.status_code == 404


def test_an_unknown_bulletin_is_not_found(anonymous_client, db):
    assert anonymous_client.get("/bulletins/inconnu/").status_code == 404


def test_an_unpublished_bulletin_is_not_found_for_an_anonymous_visitor(anonymous_client, draft):
    assert anonymous_client.get("/bulletins/brouillon/").status_code == 404


def test_an_unpublished_bulletin_is_not_found_for_a_member(declarant_a_client, draft):
    assert declarant_a_client.get("/bulletins/brouillon/").status_code == 404


def test_an_unpublished_bulletin_is_left_out_of_the_list(anonymous_client, draft, revision):
    page = _page(anonymous_client, "/bulletins/")

    assert revision.bulletin.title in page
    assert draft.title not in page


def test_the_preview_is_not_found_for_a_member(declarant_a_client, draft):
    assert declarant_a_client.get("/bulletins/brouillon/apercu/").status_code == 404


def test_the_preview_is_not_found_for_an_anonymous_visitor(anonymous_client, draft):
    assert anonymous_client.get("/bulletins/brouillon/apercu/").status_code == 404


def test_the_bulletin_page_refuses_a_post(anonymous_client, revision):
    response = anonymous_client.post(revision.bulletin.get_absolute_url())

    assert response.status_code == 405


def test_the_bulletin_page_turns_right_to_left_in_arabic(anonymous_client, revision):
    response = anonymous_client.get("/ar" + revision.bulletin.get_absolute_url())

    page = response.content.decode()
    assert 'dir="rtl"' in page
    assert "الدار البيضاء سطات" in page


def test_the_bulletin_page_links_the_print_stylesheet(anonymous_client, revision):
    page = _page(anonymous_client, revision.bulletin.get_absolute_url())

    assert '<link rel="stylesheet" href="/static/css/bulletins.css">' in page
    assert "print-only" in page


def test_the_print_stylesheet_hides_the_navigation_and_keeps_tables_and_charts_whole(settings):
    css = (settings.BASE_DIR / "static" / "css" / "bulletins.css").read_text()
    print_rules = css.split("@media print")[1]

    assert ".navbar" in print_rules
    assert "break-inside: avoid" in print_rules
    assert "thead" in print_rules
