import xml.etree.ElementTree as ET

import pytest

from bulletins.selectors import feed_revisions
from tests.factories import BulletinFactory, BulletinRevisionFactory

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def feed(anonymous_client, db):
    def read() -> ET.Element:
        response = anonymous_client.get("/bulletins/atom.xml")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        return ET.fromstring(response.content)

    return read


def test_the_feed_is_an_atom_document(feed):
    root = feed()

    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text == "Bulletins sectoriels de l'AMRC"
    assert root.find(f"{ATOM}updated") is not None


def test_the_feed_has_an_entry_per_published_bulletin(feed):
    revision = BulletinRevisionFactory(bulletin__title="Semaine du 30 mars 2020")
    BulletinFactory(title="Brouillon secret")

    entries = feed().findall(f"{ATOM}entry")

    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["Semaine du 30 mars 2020"]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link == f"http://testserver{revision.bulletin.get_absolute_url()}"


def test_each_entry_has_an_absolute_id_and_dates(feed):
    BulletinRevisionFactory()

    entry = feed().find(f"{ATOM}entry")

    assert entry.find(f"{ATOM}id").text.startswith("http://testserver/bulletins/")
    assert entry.find(f"{ATOM}published") is not None
    assert entry.find(f"{ATOM}updated") is not None


def test_the_entry_summarises_the_key_figures(feed):
    BulletinRevisionFactory()

    summary = feed().find(f"{ATOM}entry").find(f"{ATOM}summary").text

    assert "en télétravail : 64,0 %" in summary


def test_a_correction_updates_the_entry_rather_than_adding_one(feed):
    first = BulletinRevisionFactory()
    BulletinRevisionFactory(bulletin=first.bulletin, number=2, correction_note="Deux déclarations corrigées.")

    entries = feed().findall(f"{ATOM}entry")

    assert len(entries) == 1
    assert "Deux déclarations corrigées." in entries[0].find(f"{ATOM}summary").text


def test_the_home_page_links_the_feed(anonymous_client, db):
    page = anonymous_client.get("/").content.decode()

    assert '<link rel="alternate" type="application/atom+xml"' in page
    assert 'href="/bulletins/atom.xml"' in page


def test_the_feed_reads_the_key_figures_without_loading_whole_snapshots(db):
    BulletinRevisionFactory()

    entry = feed_revisions()[0]

    assert "snapshot" in entry.get_deferred_fields()
    assert entry.key_figures["telework_share"]["value"] == 0.64
