import datetime

import pytest

from demo.builder import demo_campaign_dates, week_title
from measures.models import Campaign

# A Monday, then every day of that week.
WEEK = [datetime.date(2024, 6, 10) + datetime.timedelta(days=offset) for offset in range(7)]


def _campaign(today: datetime.date) -> Campaign:
    return Campaign(status=Campaign.Status.OPEN, **demo_campaign_dates(today))


@pytest.mark.parametrize("today", WEEK, ids=lambda day: day.strftime("%A"))
def test_the_demo_campaign_accepts_edits_whatever_the_weekday(today):
    assert _campaign(today).accepts_edits(today)


@pytest.mark.parametrize("today", WEEK, ids=lambda day: day.strftime("%A"))
def test_the_demo_campaign_covers_a_full_monday_to_sunday_week(today):
    campaign = _campaign(today)

    assert campaign.period_start.weekday() == 0
    assert campaign.period_end - campaign.period_start == datetime.timedelta(days=6)


@pytest.mark.parametrize("today", WEEK, ids=lambda day: day.strftime("%A"))
def test_the_demo_campaign_opened_the_day_after_its_week_and_before_yesterday(today):
    campaign = _campaign(today)

    assert campaign.opens_on == campaign.period_end + datetime.timedelta(days=1)
    assert campaign.opens_on <= today - datetime.timedelta(days=1)


@pytest.mark.parametrize("today", WEEK, ids=lambda day: day.strftime("%A"))
def test_a_demo_declaration_made_today_is_on_time(today):
    assert _campaign(today).due_on > today


def test_the_demo_campaign_is_the_last_week_that_ended_two_days_ago_or_more():
    wednesday = datetime.date(2024, 6, 12)

    assert demo_campaign_dates(wednesday)["period_start"] == datetime.date(2024, 6, 3)
    assert demo_campaign_dates(datetime.date(2024, 6, 10))["period_start"] == datetime.date(2024, 5, 27)


@pytest.mark.parametrize(
    ("monday", "title"),
    [
        (datetime.date(2020, 3, 16), "Semaine du 16 mars 2020"),
        (datetime.date(2020, 6, 1), "Semaine du 1er juin 2020"),
        (datetime.date(2020, 8, 3), "Semaine du 3 août 2020"),
    ],
)
def test_week_titles_are_written_in_french(monday, title):
    assert week_title(monday) == title
