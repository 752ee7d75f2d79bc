import datetime
import re

import pytest

from bulletins.charts import Bar, Line, share_lines_svg, stacked_bars_svg
from tests.bulletins.snapshots import make_snapshot
from tests.factories import BulletinRevisionFactory, CampaignFactory


@pytest.fixture
def page(anonymous_client, db):
    revision = BulletinRevisionFactory()
    return anonymous_client.get(revision.bulletin.get_absolute_url()).content.decode()


def test_the_bulletin_page_draws_the_share_curves_as_inline_svg(page):
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="series-chart"' in page


def test_the_bulletin_page_draws_the_regional_bars_as_inline_svg(page):
    assert 'id="regions-chart"' in page


def test_each_chart_is_labelled_for_screen_readers(page):
    assert 'aria-labelledby="series-chart-title series-chart-desc"' in page
    assert '<title id="regions-chart-title">' in page


def test_each_chart_has_a_data_table_with_a_caption_and_header_scopes(page):
    assert "Données du graphique : part de l'effectif des répondants, par bulletin" in page
    assert "Données du graphique : part de l'effectif des répondants par région" in page
    assert '<th scope="col"' in page
    assert '<th scope="row"' in page


def test_the_page_loads_no_script_to_draw_the_charts(page):
    # Bootstrap's bundle for the navigation menu, and the script that lets keyboards scroll wide tables.
    assert re.findall(r'<script src="([^"]+)"', page) == [
        "/static/bootstrap/js/bootstrap.bundle.min.js",
        "/static/js/scroll-frames.js",
    ]
    assert page.count("<script") == 2


def test_the_series_holds_one_point_per_published_bulletin_up_to_this_one(anonymous_client, db):
    revisions = []
    for week, telework in enumerate((0.3, 0.5, 0.6)):
        campaign = CampaignFactory(period_start=datetime.date(2020, 3, 16) + datetime.timedelta(weeks=week))
        revisions.append(
            BulletinRevisionFactory(
                bulletin__campaign=campaign,
                snapshot=make_snapshot(campaign=campaign, telework_share=telework, on_site_share=0.2),
            )
        )

    page = anonymous_client.get(revisions[1].bulletin.get_absolute_url()).content.decode()
    table = page.split("par bulletin</caption>")[1].split("</table>")[0]

    assert table.count('<th scope="row">') == 2
    assert "30,0 %" in table
    assert "50,0 %" in table
    assert "60,0 %" not in table


def test_a_suppressed_value_breaks_the_line_instead_of_dropping_to_zero():
    svg = share_lines_svg(
        chart_id="c",
        title="t",
        description="d",
        x_labels=["a", "b", "c"],
        lines=[Line(label="x", values=[0.5, None, 0.5])],
    )

    assert "<polyline" not in svg
    assert svg.count("<circle") == 3  # two points and the legend marker


def test_a_row_that_cannot_be_drawn_shows_its_note_instead_of_a_bar():
    svg = stacked_bars_svg(
        chart_id="r",
        title="t",
        description="d",
        part_labels=["sur site", "télétravail"],
        bars=[Bar(label="Drâa-Tafilalet", parts=[None, None], note="c (confidentiel)")],
    )

    assert "c (confidentiel)" in svg
    assert "</title></rect>" not in svg  # the bars, unlike the legend's swatches, carry a tooltip


def test_chart_labels_are_escaped():
    svg = share_lines_svg(
        chart_id="c", title="<b>", description="d", x_labels=["<i>"], lines=[Line(label="<script>", values=[0.1])]
    )

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_the_regional_bars_mark_a_suppressed_region_confidential(page):
    chart = page.split('id="regions-chart"')[1].split("</svg>")[0]

    assert "c (confidentiel)" in chart


def test_the_regional_bars_tell_a_region_without_respondents_from_a_confidential_one(anonymous_client, db):
    snapshot = make_snapshot()
    region = next(table for table in snapshot["tables"] if table["id"] == "by_region")
    region["rows"].append(
        {
            "key": "MA-10",
            "cells": {
                **{
                    column: {"value": 0, "flag": None} for column in ("respondents", "headcount", "on_site", "telework")
                },
                "on_site_share": {"value": None, "flag": None},
                "telework_share": {"value": None, "flag": None},
            },
        }
    )
    revision = BulletinRevisionFactory(snapshot=snapshot)

    page = anonymous_client.get(revision.bulletin.get_absolute_url()).content.decode()

    chart = page.split('id="regions-chart"')[1].split("</svg>")[0]
    assert "Guelmim-Oued Noun</text>" in chart
    assert "– (aucun répondant)" in chart
