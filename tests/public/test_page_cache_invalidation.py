"""A publication, a correction or an edit of what public pages show is on every public page as soon
as it is committed, although readers were served cached copies just before."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.test import TestCase

from bulletins.services import bulletin_create, bulletin_publish
from measures.models import Measure
from members.models import SectorFigure
from tests.admin.builders import admin_form_data
from tests.bulletins.publication_data import approve_declarations, closed_campaign, registry
from tests.factories import BulletinRevisionFactory

ATOM = "{http://www.w3.org/2005/Atom}"
NOTE = "Une déclaration validée après la publication a été ajoutée."


def _committed(action, *args, **kwargs):
    """Run a write as a committed request would: its on-commit callbacks run."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return action(*args, **kwargs)


@pytest.fixture
def bulletin(staff_user):
    campaign = closed_campaign(week=0, title="Semaine du 16 mars 2020")
    approve_declarations(campaign, registry(members=5, small=3))
    bulletin = bulletin_create(campaign=campaign, user=staff_user, title="Semaine du 16 mars 2020")
    _committed(bulletin_publish, bulletin=bulletin, user=staff_user)
    return bulletin


def _read_every_page(client, bulletin) -> None:
    for url in ("/", "/bulletins/", bulletin.get_absolute_url(), "/bulletins/atom.xml", "/bulletins/serie.csv"):
        assert client.get(url).status_code == 200


def _correct(bulletin, staff_user) -> None:
    approve_declarations(bulletin.campaign, registry(members=1, small=0), telework=80)
    _committed(bulletin_publish, bulletin=bulletin, user=staff_user, note=NOTE)


@pytest.fixture
def corrected(anonymous_client, bulletin, staff_user):
    """Every page read (and cached) with revision 1, then a correction published."""
    _read_every_page(anonymous_client, bulletin)
    _correct(bulletin, staff_user)
    return bulletin


def test_a_correction_shows_at_once_on_the_bulletin_page(anonymous_client, corrected):
    page = anonymous_client.get(corrected.get_absolute_url()).content.decode()

    assert "révision 2, publiée le" in page
    assert NOTE in page


def test_a_correction_shows_at_once_on_the_home_page(anonymous_client, corrected):
    page = anonymous_client.get("/").content.decode()

    assert "corrigé (révision 2)" in page


def test_a_correction_shows_at_once_in_the_list(anonymous_client, corrected):
    page = anonymous_client.get("/bulletins/").content.decode()

    assert "corrigé (révision 2)" in page


def test_a_correction_shows_at_once_in_the_feed(anonymous_client, corrected):
    feed = ET.fromstring(anonymous_client.get("/bulletins/atom.xml").content)

    assert NOTE in feed.find(f"{ATOM}entry").find(f"{ATOM}summary").text


def test_a_correction_shows_at_once_in_the_series(anonymous_client, corrected):
    response = anonymous_client.get("/bulletins/serie.csv")

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["revision"] for row in rows] == ["2"]


def test_the_page_of_the_corrected_revision_points_to_the_correction(anonymous_client, bulletin, staff_user):
    anonymous_client.get(f"{bulletin.get_absolute_url()}revisions/1/")
    _correct(bulletin, staff_user)

    page = anonymous_client.get(f"{bulletin.get_absolute_url()}revisions/1/").content.decode()

    assert "Elle a été corrigée depuis" in page


def test_a_reader_holding_the_page_before_the_correction_gets_the_new_one(anonymous_client, bulletin, staff_user):
    etag = anonymous_client.get(bulletin.get_absolute_url())["ETag"]
    _correct(bulletin, staff_user)

    response = anonymous_client.get(bulletin.get_absolute_url(), headers={"if-none-match": etag})

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_a_first_publication_shows_at_once_in_the_list(anonymous_client, bulletin, staff_user):
    anonymous_client.get("/bulletins/")
    campaign = closed_campaign(week=1, title="Semaine du 23 mars 2020")
    approve_declarations(campaign, registry(members=5, small=3))
    second = bulletin_create(campaign=campaign, user=staff_user, title="Semaine du 23 mars 2020")
    # Another registry answers the second week: provisional, which is not the point here.
    _committed(bulletin_publish, bulletin=second, user=staff_user, confirm_provisional=True)

    assert "Semaine du 23 mars 2020" in anonymous_client.get("/bulletins/").content.decode()


def test_the_files_of_a_revision_stay_as_published(anonymous_client, corrected):
    first = anonymous_client.get(f"{corrected.get_absolute_url()}revisions/1/bulletin.json").json()

    assert first["bulletin"]["revision"] == 1


# Edits in the admin of what public pages show


def test_a_reference_figure_edited_by_staff_shows_at_once_on_the_home_page(anonymous_client, staff_client, db):
    figure = SectorFigure.objects.get(key="jobs")
    anonymous_client.get("/")
    url = f"/admin/members/sectorfigure/{figure.pk}/change/"
    data = admin_form_data(staff_client.get(url), label="Emplois directs du secteur")

    _committed(staff_client.post, url, data)

    assert "Emplois directs du secteur" in anonymous_client.get("/").content.decode()


def test_a_measure_renamed_by_staff_shows_at_once_on_the_bulletin_page(anonymous_client, staff_client, db):
    revision = BulletinRevisionFactory()
    anonymous_client.get(revision.bulletin.get_absolute_url())
    masks = Measure.objects.get(code="masks")
    url = f"/admin/measures/measure/{masks.pk}/change/"
    data = admin_form_data(staff_client.get(url), name_fr="Masques chirurgicaux fournis")

    _committed(staff_client.post, url, data)

    assert "Masques chirurgicaux fournis" in anonymous_client.get(revision.bulletin.get_absolute_url()).content.decode()


def test_a_bulletin_renamed_by_staff_shows_at_once_in_the_list(anonymous_client, staff_client, bulletin):
    anonymous_client.get("/bulletins/")
    url = f"/admin/bulletins/bulletin/{bulletin.pk}/change/"
    data = admin_form_data(staff_client.get(url), title="Semaine du 16 mars 2020 (confinement)")

    _committed(staff_client.post, url, data)

    assert "Semaine du 16 mars 2020 (confinement)" in anonymous_client.get("/bulletins/").content.decode()
