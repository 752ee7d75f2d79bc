"""The demo's follow-up: the open demo campaign has non-respondents to chase, some of them were
reminded yesterday, and staff find it all from the admin's home."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from demo import sector
from followup.models import CampaignSchedule, Reminder, ReminderBatch
from measures.models import Campaign
from tests.demo.conftest import SEEDED_AT
from tests.login import log_in, password_logs_in

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("seeded")]


@pytest.fixture
def staff_client() -> Client:
    assert password_logs_in(sector.STAFF_EMAIL, sector.DEMO_PASSWORD)
    # Verified by the demo's own authenticator application, as the admin's second-factor page does.
    return log_in(Client(), User.objects.get(email=sector.STAFF_EMAIL))


def _demo_campaign() -> Campaign:
    return Campaign.objects.get(title=sector.DEMO_CAMPAIGN_TITLE)


def test_the_follow_up_of_the_demo_campaign_lists_non_respondents_with_their_contacts(staff_client):
    response = staff_client.get(reverse("admin:followup_campaignfollowup_change", args=[_demo_campaign().pk]))

    assert response.status_code == 200
    assert response.context["page"].paginator.count > 100
    names = [row.company.trade_name for row in response.context["rows"]]
    assert sector.DEMO_MEMBER in names
    assert all(row.contacts for row in response.context["rows"])


def test_the_largest_non_respondents_were_reminded_yesterday_morning_by_staff():
    batch = ReminderBatch.objects.get(campaign=_demo_campaign())

    assert batch.requested_by.email == sector.STAFF_EMAIL
    assert batch.kind == ReminderBatch.Kind.BEFORE_DUE
    assert batch.created_at.date() == SEEDED_AT.date() - datetime.timedelta(days=1)
    statuses = list(batch.reminders.values_list("status", flat=True))
    assert statuses.count(Reminder.Status.SENT) == 39
    assert statuses.count(Reminder.Status.FAILED) == 1


def test_each_sent_reminder_names_its_recipients():
    sent = Reminder.objects.filter(status=Reminder.Status.SENT)

    assert not sent.filter(recipients="").exists()
    assert sent.filter(company__trade_name=sector.DEMO_MEMBER, recipients__contains="declarant@atlas-demo.ma").exists()


def test_the_reminded_companies_have_not_declared():
    campaign = _demo_campaign()

    assert not Reminder.objects.filter(
        company__declarations__campaign=campaign, company__declarations__submitted_at__isnull=False
    ).exists()


def test_a_weekly_schedule_is_set_up():
    schedule = CampaignSchedule.objects.get()

    assert (schedule.frequency, schedule.opening_weekday, schedule.is_active) == ("weekly", 0, True)
    schedule.full_clean()


def test_the_staff_account_hears_of_registrations_at_once_and_of_submissions_daily():
    staff = User.objects.get(email=sector.STAFF_EMAIL)

    assert (staff.notify_registrations, staff.notify_submissions) == ("immediate", "daily")


def test_the_admin_home_shows_the_work_waiting(staff_client):
    response = staff_client.get(reverse("admin:index"))

    queue = response.context["queue"]
    assert queue.review_count > 0
    assert [open_campaign.campaign.title for open_campaign in queue.campaigns] == [sector.DEMO_CAMPAIGN_TITLE]
