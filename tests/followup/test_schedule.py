"""The campaign schedule: which campaign opens when, and the command that opens and closes them,
safe to run every hour."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError

from followup.models import CampaignSchedule, ScheduledCampaign
from followup.services import campaign_schedule_run
from measures.models import Campaign
from tests.factories import CampaignFactory

CASABLANCA = ZoneInfo("Africa/Casablanca")


def weekly(**fields) -> CampaignSchedule:
    return CampaignSchedule.objects.create(name="Hebdomadaire", **fields)


def monthly(**fields) -> CampaignSchedule:
    fields.setdefault("title_pattern", "Mois de {mois} {annee}")
    fields.setdefault("collection_days", 25)
    fields.setdefault("due_delay_days", 7)
    fields.setdefault("lock_delay_days", 10)
    return CampaignSchedule.objects.create(name="Mensuelle", frequency=CampaignSchedule.Frequency.MONTHLY, **fields)


def _run(clock, moment: datetime.datetime) -> str:
    clock.move_to(moment)
    output = io.StringIO()
    call_command("run_campaign_schedule", stdout=output)
    return output.getvalue()


# --- Dates ---


@pytest.mark.django_db
def test_a_weekly_campaign_covers_the_week_ended_before_its_opening():
    occurrence = weekly().occurrence(datetime.date(2024, 6, 10))

    assert (occurrence.period_start, occurrence.period_end) == (datetime.date(2024, 6, 3), datetime.date(2024, 6, 9))
    assert (occurrence.due_on, occurrence.locks_on, occurrence.closes_on) == (
        datetime.date(2024, 6, 13),
        datetime.date(2024, 6, 20),
        datetime.date(2024, 6, 21),
    )
    assert occurrence.title == "Semaine du 3 juin 2024"


@pytest.mark.django_db
def test_a_campaign_opening_on_a_sunday_covers_the_week_before_not_the_one_ending_that_day():
    schedule = weekly(opening_weekday=CampaignSchedule.Weekday.SUNDAY)

    occurrence = schedule.occurrence(datetime.date(2024, 6, 9))

    assert (occurrence.period_start, occurrence.period_end) == (datetime.date(2024, 5, 27), datetime.date(2024, 6, 2))


@pytest.mark.django_db
def test_the_latest_weekly_opening_is_on_the_chosen_weekday():
    schedule = weekly(opening_weekday=CampaignSchedule.Weekday.TUESDAY)

    assert schedule.latest_opening(datetime.date(2024, 6, 10)) == datetime.date(2024, 6, 4)
    assert schedule.latest_opening(datetime.date(2024, 6, 11)) == datetime.date(2024, 6, 11)


@pytest.mark.django_db
def test_a_monthly_campaign_covers_the_previous_calendar_month():
    schedule = monthly(opening_day=3)

    occurrence = schedule.occurrence(datetime.date(2024, 3, 3))

    assert (occurrence.period_start, occurrence.period_end) == (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    assert occurrence.title == "Mois de février 2024"
    assert schedule.latest_opening(datetime.date(2024, 3, 2)) == datetime.date(2024, 2, 3)
    assert schedule.next_opening(datetime.date(2024, 12, 3)) == datetime.date(2025, 1, 3)


@pytest.mark.django_db
def test_the_first_of_the_month_is_written_premier():
    occurrence = weekly().occurrence(datetime.date(2024, 7, 8))

    assert occurrence.title == "Semaine du 1er juillet 2024"


@pytest.mark.django_db
def test_the_upcoming_campaigns_are_listed_for_staff_to_check():
    titles = [occurrence.title for occurrence in weekly().upcoming(datetime.date(2024, 6, 12))]

    assert titles == ["Semaine du 10 juin 2024", "Semaine du 17 juin 2024", "Semaine du 24 juin 2024"]


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", ["Semaine {numero}", "Semaine {0}", "Semaine {debut"])
def test_an_unknown_title_field_is_refused_next_to_the_pattern(pattern):
    schedule = CampaignSchedule(name="Hebdomadaire", title_pattern=pattern)

    with pytest.raises(ValidationError) as refusal:
        schedule.full_clean()

    assert "title_pattern" in refusal.value.message_dict


@pytest.mark.django_db
def test_a_schedule_closing_before_the_lock_date_is_refused():
    schedule = CampaignSchedule(name="Trop court", due_delay_days=3, lock_delay_days=7, collection_days=10)

    with pytest.raises(ValidationError, match="après son verrouillage"):
        schedule.full_clean()


# --- The command ---


def test_it_opens_the_week_s_campaign_on_its_opening_day(db, clock):
    weekly()

    output = _run(clock, datetime.datetime(2024, 6, 10, 6, 0, tzinfo=CASABLANCA))

    campaign = Campaign.objects.get()
    assert (campaign.title, campaign.status) == ("Semaine du 3 juin 2024", Campaign.Status.OPEN)
    assert (campaign.opens_on, campaign.due_on, campaign.locks_on) == (
        datetime.date(2024, 6, 10),
        datetime.date(2024, 6, 13),
        datetime.date(2024, 6, 20),
    )
    assert "« Semaine du 3 juin 2024 » ouverte" in output


def test_running_it_every_hour_opens_the_campaign_once(db, clock):
    weekly()

    for hour in range(6, 12):
        _run(clock, datetime.datetime(2024, 6, 10, hour, 0, tzinfo=CASABLANCA))

    assert Campaign.objects.count() == 1


def test_it_closes_a_campaign_once_its_collection_is_over_and_opens_the_next(db, clock):
    weekly()
    _run(clock, datetime.datetime(2024, 6, 10, 6, 0, tzinfo=CASABLANCA))

    _run(clock, datetime.datetime(2024, 6, 17, 6, 0, tzinfo=CASABLANCA))
    # Both weeks are open: late answers to the first come in until its lock date, the 20th.
    assert list(Campaign.objects.order_by("period_start").values_list("status", flat=True)) == ["open", "open"]

    output = _run(clock, datetime.datetime(2024, 6, 21, 6, 0, tzinfo=CASABLANCA))

    assert list(Campaign.objects.order_by("period_start").values_list("status", flat=True)) == ["closed", "open"]
    assert "« Semaine du 3 juin 2024 » clôturée" in output


def test_a_campaign_staff_created_for_the_period_is_taken_over_not_doubled(db, clock):
    weekly()
    by_hand = CampaignFactory(
        title="Semaine 23",
        period_start=datetime.date(2024, 6, 3),
        opens_on=datetime.date(2024, 6, 10),
        due_on=datetime.date(2024, 6, 14),
        locks_on=datetime.date(2024, 6, 24),
        status=Campaign.Status.DRAFT,
    )

    output = _run(clock, datetime.datetime(2024, 6, 10, 6, 0, tzinfo=CASABLANCA))

    by_hand.refresh_from_db()
    assert Campaign.objects.count() == 1
    assert by_hand.status == Campaign.Status.OPEN
    # Its own dates are kept, and it is never closed before its lock date.
    assert by_hand.schedule_link.closes_on == datetime.date(2024, 6, 25)
    assert "existait déjà" in output


def test_a_campaign_it_did_not_open_is_never_closed_by_it(db, clock):
    weekly()
    other = CampaignFactory(period_start=datetime.date(2024, 5, 1), status=Campaign.Status.OPEN)

    _run(clock, datetime.datetime(2024, 6, 30, 6, 0, tzinfo=CASABLANCA))

    other.refresh_from_db()
    assert other.status == Campaign.Status.OPEN


def test_an_inactive_schedule_opens_nothing_but_still_closes_what_it_opened(db, clock):
    schedule = weekly()
    _run(clock, datetime.datetime(2024, 6, 10, 6, 0, tzinfo=CASABLANCA))
    schedule.is_active = False
    schedule.save()

    _run(clock, datetime.datetime(2024, 6, 21, 6, 0, tzinfo=CASABLANCA))

    assert list(Campaign.objects.values_list("status", flat=True)) == ["closed"]


def test_after_a_pause_it_opens_the_current_campaign_only(db, clock):
    weekly()

    # Stopped since June 1st: the week of 3 June, due on the 13th, is not opened after the fact.
    _run(clock, datetime.datetime(2024, 6, 18, 6, 0, tzinfo=CASABLANCA))

    assert list(Campaign.objects.values_list("title", flat=True)) == ["Semaine du 10 juin 2024"]


def test_between_two_collections_it_opens_nothing(db, clock):
    monthly(opening_day=1, due_delay_days=5, lock_delay_days=5, collection_days=15)

    _run(clock, datetime.datetime(2024, 6, 20, 6, 0, tzinfo=CASABLANCA))

    assert not Campaign.objects.exists()


def test_a_monthly_schedule_opens_the_month_s_campaign(db, clock):
    monthly(opening_day=5)

    _run(clock, datetime.datetime(2024, 7, 5, 6, 0, tzinfo=CASABLANCA))

    campaign = Campaign.objects.get()
    assert (campaign.title, campaign.period_start, campaign.period_end) == (
        "Mois de juin 2024",
        datetime.date(2024, 6, 1),
        datetime.date(2024, 6, 30),
    )


def test_the_database_allows_one_campaign_per_period_and_schedule(db):
    schedule = weekly()
    ScheduledCampaign.objects.create(
        schedule=schedule,
        campaign=CampaignFactory(),
        period_start=datetime.date(2024, 6, 3),
        closes_on=datetime.date(2024, 6, 21),
    )

    with pytest.raises(IntegrityError):
        ScheduledCampaign.objects.create(
            schedule=schedule,
            campaign=CampaignFactory(),
            period_start=datetime.date(2024, 6, 3),
            closes_on=datetime.date(2024, 6, 21),
        )


def test_the_run_reports_what_it_did(db, clock):
    schedule = weekly()
    clock.move_to(datetime.datetime(2024, 6, 10, 6, 0, tzinfo=CASABLANCA))

    run = campaign_schedule_run(schedule=schedule, today=datetime.date(2024, 6, 10))

    assert [campaign.title for campaign in run.opened] == ["Semaine du 3 juin 2024"]
    assert (run.adopted, run.closed) == ([], [])
