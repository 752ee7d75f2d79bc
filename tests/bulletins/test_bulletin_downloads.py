import csv
import datetime
import io
import json

import pytest

from bulletins.services import bulletin_create, bulletin_publish
from tests.bulletins.publication_data import approve_declarations, closed_campaign, registry
from tests.bulletins.snapshots import make_snapshot
from tests.factories import BulletinFactory, BulletinRevisionFactory, CampaignFactory


@pytest.fixture
def revision(db):
    return BulletinRevisionFactory(bulletin__slug="semaine-du-30-mars-2020")


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_download_names_its_file_after_the_bulletin_and_revision(anonymous_client, revision):
    response = anonymous_client.get("/bulletins/semaine-du-30-mars-2020/revisions/1/bulletin.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="amrc-bulletin-semaine-du-30-mars-2020-r1.csv"'


def test_the_csv_has_one_row_per_table_cell(anonymous_client, revision):
    rows = _csv(anonymous_client.get("/bulletins/semaine-du-30-mars-2020/revisions/1/bulletin.csv"))

    assert list(rows[0]) == ["table", "row", "column", "value", "flag"]
    by_segment = [row for row in rows if row["table"] == "by_segment"]
    assert len(by_segment) == 3 * 14  # member, small and total, fourteen columns each


def test_the_csv_values_match_the_snapshot(anonymous_client, revision):
    rows = _csv(anonymous_client.get("/bulletins/semaine-du-30-mars-2020/revisions/1/bulletin.csv"))

    table = next(t for t in revision.snapshot["tables"] if t["id"] == "by_region")
    expected = table["rows"][0]["cells"]["headcount"]["value"]
    row = next(r for r in rows if (r["table"], r["row"], r["column"]) == ("by_region", "MA-06", "headcount"))
    assert row == {"table": "by_region", "row": "MA-06", "column": "headcount", "value": str(expected), "flag": ""}


def test_a_suppressed_cell_stays_suppressed_in_the_csv(anonymous_client, revision):
    rows = _csv(anonymous_client.get("/bulletins/semaine-du-30-mars-2020/revisions/1/bulletin.csv"))

    row = next(r for r in rows if (r["table"], r["row"], r["column"]) == ("by_region", "MA-08", "headcount"))
    assert row["value"] == ""
    assert row["flag"] == "c"


def test_the_csv_never_writes_a_value_for_a_flagged_cell_even_if_the_snapshot_held_one(anonymous_client, db):
    snapshot = make_snapshot()
    snapshot["key_figures"]["hires"] = {"value": 17, "flag": "c"}
    revision = BulletinRevisionFactory(snapshot=snapshot)

    response = anonymous_client.get(f"/bulletins/{revision.bulletin.slug}/revisions/1/bulletin.csv")

    row = next(r for r in _csv(response) if (r["table"], r["column"]) == ("key_figures", "hires"))
    assert (row["value"], row["flag"]) == ("", "c")


def test_the_json_download_is_the_public_snapshot(anonymous_client, revision):
    response = anonymous_client.get("/bulletins/semaine-du-30-mars-2020/revisions/1/bulletin.json")

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="amrc-bulletin-semaine-du-30-mars-2020-r1.json"'
    assert json.loads(response.content) == revision.snapshot


def test_the_json_download_keeps_suppressed_cells_without_value(anonymous_client, revision):
    document = json.loads(anonymous_client.get("/bulletins/semaine-du-30-mars-2020/revisions/1/bulletin.json").content)

    region = next(t for t in document["tables"] if t["id"] == "by_region")
    suppressed = next(r for r in region["rows"] if r["key"] == "MA-08")
    assert suppressed["cells"]["headcount"] == {"value": None, "flag": "c"}


def test_the_json_download_leaves_out_the_internal_record(anonymous_client, revision):
    body = anonymous_client.get("/bulletins/semaine-du-30-mars-2020/revisions/1/bulletin.json").content.decode()

    assert "declarations" not in body
    assert "threshold" not in body


def test_the_downloads_of_an_unpublished_bulletin_are_not_found(anonymous_client, staff_client, db):
    draft = BulletinFactory(slug="brouillon")

    assert anonymous_client.get("/bulletins/brouillon/revisions/1/bulletin.csv").status_code == 404
    assert staff_client.get(f"/bulletins/{draft.slug}/revisions/1/bulletin.json").status_code == 404


def test_the_downloads_of_a_missing_revision_are_not_found(anonymous_client, revision):
    assert anonymous_client.get("/bulletins/semaine-du-30-mars-2020/revisions/9/bulletin.csv").status_code == 404


def test_the_series_csv_has_one_row_per_published_bulletin_from_its_latest_revision(anonymous_client, db):
    for week, telework in enumerate((0.3, 0.5)):
        campaign = CampaignFactory(period_start=datetime.date(2020, 3, 16) + datetime.timedelta(weeks=week))
        first = BulletinRevisionFactory(
            bulletin__campaign=campaign,
            snapshot=make_snapshot(campaign=campaign, telework_share=telework, on_site_share=0.2),
        )
    BulletinRevisionFactory(
        bulletin=first.bulletin, number=2, snapshot=make_snapshot(telework_share=0.55, on_site_share=0.2)
    )
    BulletinFactory()  # a draft: not in the series

    response = anonymous_client.get("/bulletins/serie.csv")

    assert response["Content-Disposition"] == 'attachment; filename="amrc-bulletins-serie.csv"'
    rows = _csv(response)
    assert [(row["revision"], row["telework_share"]) for row in rows] == [("1", "0.3"), ("2", "0.55")]
    assert rows[0]["period_start"] == "2020-03-16"


def test_the_series_csv_keeps_suppressed_key_figures_suppressed(anonymous_client, db):
    snapshot = make_snapshot()
    snapshot["key_figures"]["export_revenue"] = {"value": None, "flag": "c"}
    BulletinRevisionFactory(snapshot=snapshot)

    row = _csv(anonymous_client.get("/bulletins/serie.csv"))[0]

    assert (row["export_revenue"], row["export_revenue_flag"]) == ("", "c")


def test_a_published_download_does_not_change_when_a_declaration_changes_afterwards(anonymous_client, staff_user):
    campaign = closed_campaign()
    declarations = approve_declarations(campaign, registry())
    bulletin = bulletin_create(campaign=campaign, user=staff_user, title="Semaine du 16 mars 2020")
    bulletin_publish(bulletin=bulletin, user=staff_user)
    url = f"/bulletins/{bulletin.slug}/revisions/1/"
    before = {name: anonymous_client.get(url + name).content for name in ("bulletin.csv", "bulletin.json")}
    before_page = anonymous_client.get(url).content.decode().split("<main")[1]

    declarations[0].telework, declarations[0].on_site = 90, 0
    declarations[0].save()

    after = {name: anonymous_client.get(url + name).content for name in ("bulletin.csv", "bulletin.json")}
    assert after == before
    assert anonymous_client.get(url).content.decode().split("<main")[1] == before_page


def test_the_files_document_their_format_on_a_public_page(anonymous_client, db):
    page = anonymous_client.get("/bulletins/documentation/formats/").content.decode()

    assert "amrc-bulletin/1" in page
    assert "Downloads" in page
