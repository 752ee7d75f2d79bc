"""The CSV files again, for spreadsheets set to French conventions: semicolons and decimal commas,
same cells as the comma files, which stay as they were for scripts."""

import csv
import io

import pytest

from bulletins.downloads import spreadsheet_csv
from tests.bulletins.snapshots import make_snapshot
from tests.factories import BulletinRevisionFactory

REVISION = "/bulletins/semaine-du-30-mars-2020/revisions/1/"


@pytest.fixture
def revision(db):
    return BulletinRevisionFactory(
        bulletin__slug="semaine-du-30-mars-2020", snapshot=make_snapshot(telework_share=0.64, on_site_share=0.21)
    )


def _rows(response, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=delimiter))


def test_the_spreadsheet_csv_is_named_after_the_bulletin_and_revision(anonymous_client, revision):
    response = anonymous_client.get(f"{REVISION}bulletin-tableur.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"] == 'attachment; filename="amrc-bulletin-semaine-du-30-mars-2020-r1-tableur.csv"'
    )


def test_the_spreadsheet_csv_starts_with_a_byte_order_mark(anonymous_client, revision):
    assert anonymous_client.get(f"{REVISION}bulletin-tableur.csv").content.startswith(b"\xef\xbb\xbf")


def test_the_spreadsheet_csv_separates_cells_with_semicolons_and_decimals_with_commas(anonymous_client, revision):
    rows = _rows(anonymous_client.get(f"{REVISION}bulletin-tableur.csv"), ";")

    assert rows[0] == ["table", "row", "column", "value", "flag"]
    assert ["key_figures", "total", "telework_share", "0,64", ""] in rows


def test_the_spreadsheet_csv_holds_the_same_cells_as_the_comma_file(anonymous_client, revision):
    comma = _rows(anonymous_client.get(f"{REVISION}bulletin.csv"), ",")
    semicolon = _rows(anonymous_client.get(f"{REVISION}bulletin-tableur.csv"), ";")

    assert [row[:3] + row[4:] for row in semicolon] == [row[:3] + row[4:] for row in comma]
    assert [row[3].replace(",", ".") for row in semicolon[1:]] == [row[3] for row in comma[1:]]


def test_a_suppressed_cell_stays_empty_and_flagged(anonymous_client, revision):
    rows = _rows(anonymous_client.get(f"{REVISION}bulletin-tableur.csv"), ";")

    assert any(row[3] == "" and row[4] == "c" for row in rows[1:])


def test_the_comma_file_is_unchanged(anonymous_client, revision):
    rows = _rows(anonymous_client.get(f"{REVISION}bulletin.csv"), ",")

    assert ["key_figures", "total", "telework_share", "0.64", ""] in rows


def test_the_series_has_a_spreadsheet_csv_too(anonymous_client, revision):
    response = anonymous_client.get("/bulletins/serie-tableur.csv")
    rows = _rows(response, ";")

    assert response["Content-Disposition"] == 'attachment; filename="amrc-bulletins-serie-tableur.csv"'
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["telework_share"] == "0,64"
    assert record["period_start"] == revision.bulletin.campaign.period_start.isoformat()


def test_an_unpublished_revision_has_no_spreadsheet_csv(anonymous_client, db):
    assert anonymous_client.get(f"{REVISION}bulletin-tableur.csv").status_code == 404


@pytest.mark.parametrize("path", [f"{REVISION}bulletin-tableur.csv", "/bulletins/serie-tableur.csv"])
def test_the_spreadsheet_files_refuse_a_post(anonymous_client, revision, path):
    assert anonymous_client.post(path).status_code == 405


def test_only_the_number_columns_take_a_decimal_comma():
    text = "title,value,published_at\r\nSemaine 1.5,0.125,2020-04-05T10:00:00.5+00:00\r\n"

    assert spreadsheet_csv(text, number_columns=["value"]) == (
        "title;value;published_at\r\nSemaine 1.5;0,125;2020-04-05T10:00:00.5+00:00\r\n"
    )


def test_numbers_in_scientific_notation_are_written_out():
    assert spreadsheet_csv("value\r\n1e-05\r\n", number_columns=["value"]) == "value\r\n0,00001\r\n"


def test_a_cell_holding_a_semicolon_is_quoted():
    assert spreadsheet_csv('title,value\r\n"a;b",1\r\n', number_columns=["value"]) == 'title;value\r\n"a;b";1\r\n'


def test_the_downloads_offer_both_files(anonymous_client, revision):
    page = anonymous_client.get("/bulletins/semaine-du-30-mars-2020/").content.decode()

    assert f'href="{REVISION}bulletin.csv"' in page
    assert f'href="{REVISION}bulletin-tableur.csv"' in page
    assert 'href="/bulletins/serie-tableur.csv"' in page
