"""Numbers and dates as readers in Morocco write them: Arabic figures grouped by a no-break space
with Western digits, English dates day first, and chart labels free of right-to-left marks."""

import datetime
import re

import pytest
from django.utils import translation
from django.utils.formats import date_format

from bulletins.charts import COMPACT, Line, share_lines_svg
from bulletins.templatetags.bulletin_tags import format_change, format_number
from tests.bulletins.snapshots import make_snapshot
from tests.factories import BulletinRevisionFactory, CampaignFactory

DAY = datetime.date(2020, 3, 30)
BIDI_MARKS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize(("value", "expected"), [(65443, "65\xa0443"), (115851500, "115\xa0851\xa0500")])
def test_arabic_groups_the_digits_of_large_numbers(value, expected):
    with translation.override("ar"):
        assert format_number(value, "count") == expected


def test_arabic_keeps_the_decimal_comma_of_shares():
    with translation.override("ar"):
        assert format_number(0.905, "share") == "90,5 %"


def test_arabic_groups_money_and_changes_too():
    with translation.override("ar"):
        assert format_number(181000000.0, "money") == "181\xa0000\xa0000"
        assert format_change({"delta": 12500}, "count") == "+12\xa0500"


def test_french_numbers_keep_their_grouping_and_comma():
    with translation.override("fr"):
        assert format_number(115851500, "count") == "115\xa0851\xa0500"
        assert format_number(0.067, "share") == "6,7 %"


def test_english_shares_take_no_space_before_the_percent_sign():
    with translation.override("en"):
        assert format_number(0.905, "share") == "90.5%"
        assert format_number(115851500, "count") == "115,851,500"


@pytest.mark.parametrize(
    ("language", "long", "short"),
    [
        ("en", "30 March 2020", "30/03/2020"),
        ("fr", "30 mars 2020", "30/03/2020"),
        ("ar", "30 مارس 2020", "30/03/2020"),
    ],
)
def test_dates_are_written_day_first_in_every_language(language, long, short):
    with translation.override(language):
        assert date_format(DAY, "DATE_FORMAT") == long
        assert date_format(DAY, "SHORT_DATE_FORMAT") == short


def test_english_date_and_time_use_a_24_hour_clock_after_the_day():
    moment = datetime.datetime(2020, 3, 30, 14, 5)

    with translation.override("en"):
        assert date_format(moment, "DATETIME_FORMAT") == "30 March 2020, 14:05"
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "30/03/2020 14:05"


def test_the_english_bulletin_page_gives_its_period_day_first(anonymous_client, db):
    campaign = CampaignFactory(period_start=datetime.date(2020, 3, 30))
    revision = BulletinRevisionFactory(bulletin__campaign=campaign)

    page = anonymous_client.get(f"/en/bulletins/{revision.bulletin.slug}/").content.decode()

    assert "30 March 2020" in page
    assert "March 30" not in page


@pytest.fixture
def arabic_page(anonymous_client, db):
    for week in range(3):
        campaign = CampaignFactory(period_start=datetime.date(2020, 3, 16) + datetime.timedelta(weeks=week))
        revision = BulletinRevisionFactory(bulletin__campaign=campaign, snapshot=make_snapshot(campaign=campaign))
    return anonymous_client.get(f"/ar/bulletins/{revision.bulletin.slug}/").content.decode()


def test_the_arabic_chart_date_axis_has_no_right_to_left_marks(arabic_page):
    for chart_id in ("series-chart", "series-chart-compact"):
        chart = arabic_page.split(f'id="{chart_id}"')[1].split("</svg>")[0]
        assert ">05/04/2020</text>" in chart
        assert not BIDI_MARKS.search(chart)


def test_every_chart_label_is_isolated_from_its_neighbours(arabic_page):
    chart = arabic_page.split('id="series-chart"')[1].split("</svg>")[0]

    assert chart.count("<text") == chart.count('unicode-bidi="isolate"')


def test_a_label_carrying_bidi_marks_is_drawn_without_them():
    svg = share_lines_svg(
        chart_id="c", title="t", description="d", x_labels=["30\u200f/03\u200f/2020"], lines=[Line("x", [0.5])]
    )

    assert ">30/03/2020</text>" in svg


def test_the_compact_drawing_is_half_as_wide_with_the_same_label_size():
    # Drawn in a 336 px column (a 360 px phone less the page margins), a 360-unit-wide drawing
    # keeps 13-unit labels above 12 px; the browser suite measures them (tests/e2e).
    svg = share_lines_svg(
        chart_id="c", title="t", description="d", x_labels=["a", "b"], lines=[Line("x", [0.5, 0.6])], layout=COMPACT
    )

    assert 'viewBox="0 0 360 ' in svg
    assert 'font-size="13"' in svg
