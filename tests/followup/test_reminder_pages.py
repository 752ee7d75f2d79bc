"""Sending reminders from the admin: a confirmation showing whom they reach and the e-mail as it
reads, then a page following the sending until every e-mail has left."""

import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from followup.models import Reminder, ReminderBatch
from measures.models import Campaign
from members.models import Company
from tests.factories import CompanyFactory, MembershipFactory, UserFactory, region
from tests.followup.builders import TODAY
from tests.login import log_in


def _remind_url(campaign) -> str:
    return reverse("admin:followup_campaignfollowup_remind", args=[campaign.pk])


def test_the_confirmation_says_whom_it_reaches_and_shows_the_e_mail(staff_client, open_campaign, declarant_a):
    response = staff_client.get(_remind_url(open_campaign))

    assert response.status_code == 200
    assert response.context["plan"].to_remind == 1
    assertContains(response, "Avant la date limite")
    assertContains(response, "Date limite : 13 juin 2024")
    assertContains(response, "Envoyer 1 rappel")
    assert not ReminderBatch.objects.exists()


def test_confirming_queues_the_sending_and_shows_its_progress(
    staff_client, staff_user, open_campaign, declarant_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(_remind_url(open_campaign))

    batch = ReminderBatch.objects.get()
    assertRedirects(response, reverse("admin:followup_reminderbatch_change", args=[batch.pk]))
    assert batch.requested_by == staff_user
    assert [message.to for message in mailoutbox] == [["declarant@atlas.ma"]]


def test_the_filters_of_the_follow_up_narrow_the_sending(
    staff_client, open_campaign, declarant_a, mailoutbox, django_capture_on_commit_callbacks
):
    small = CompanyFactory(trade_name="Petit Rabat", segment=Company.Segment.SMALL, region=region("MA-04"))
    MembershipFactory(company=small, user=UserFactory(email="petit@rabat.ma"))

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(_remind_url(open_campaign), {"segment": "small"})

    assert [message.to for message in mailoutbox] == [["petit@rabat.ma"]]


def test_a_filter_that_does_not_hold_sends_nothing(staff_client, open_campaign, declarant_a, mailoutbox):
    response = staff_client.post(_remind_url(open_campaign), {"region": "999999"})

    assert response.status_code == 400
    assertContains(response, "aucun rappel n'est envoyé", status_code=400)
    assert not ReminderBatch.objects.exists()


def test_a_second_click_within_24_hours_sends_nothing_more(
    staff_client, open_campaign, declarant_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(_remind_url(open_campaign))
        response = staff_client.post(_remind_url(open_campaign), follow=True)

    assertContains(response, "relancées il y a moins de 24 heures")
    assert len(mailoutbox) == 1


def test_a_locked_campaign_cannot_be_reminded_of(staff_client, staff_user, open_campaign, declarant_a, clock):
    clock.move_to(TODAY + datetime.timedelta(days=10))
    log_in(staff_client, staff_user)

    response = staff_client.post(_remind_url(open_campaign))

    assertContains(response, "est verrouillée")
    assert not ReminderBatch.objects.exists()


def test_staff_without_the_right_to_send_cannot(client, open_campaign, declarant_a):
    viewer = UserFactory(email="lecture@amrc.ma", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_campaignfollowup"))
    log_in(client, viewer)

    page = client.get(reverse("admin:followup_campaignfollowup_change", args=[open_campaign.pk]))
    refused = client.post(_remind_url(open_campaign))

    assert page.status_code == 200
    assertNotContains(page, _remind_url(open_campaign))
    assert refused.status_code == 403
    assert not ReminderBatch.objects.exists()


def test_the_campaign_list_action_reminds_the_selected_campaigns(
    staff_client, open_campaign, declarant_a, mailoutbox, django_capture_on_commit_callbacks
):
    changelist = reverse("admin:followup_campaignfollowup_changelist")
    selection = {"action": "remind_non_respondents", "_selected_action": [open_campaign.pk]}

    confirmation = staff_client.post(changelist, selection)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(changelist, {**selection, "apply": "1"})

    assertContains(confirmation, "Envoyer les rappels")
    batch = ReminderBatch.objects.get()
    assertRedirects(response, reverse("admin:followup_reminderbatch_change", args=[batch.pk]))
    assert len(mailoutbox) == 1


# --- Progress ---


@pytest.fixture
def batch(open_campaign, company_a, company_b):
    batch = ReminderBatch.objects.create(campaign=open_campaign, kind=ReminderBatch.Kind.BEFORE_DUE, skipped=4)
    Reminder.objects.create(batch=batch, company=company_a, status=Reminder.Status.SENT, sent_at=TODAY)
    Reminder.objects.create(batch=batch, company=company_b, status=Reminder.Status.FAILED, error="550 inconnu")
    Reminder.objects.create(batch=batch, company=CompanyFactory())
    return batch


def test_the_progress_page_shows_the_counts_and_the_failures(staff_client, batch):
    response = staff_client.get(reverse("admin:followup_reminderbatch_change", args=[batch.pk]))

    assert response.status_code == 200
    assert response.context["progress"] == {
        "total": 3,
        "sent": 1,
        "failed": 1,
        "cancelled": 0,
        "pending": 1,
        "processed": 2,
        "skipped": 4,
        "done": False,
    }
    assertContains(response, '<progress max="3" value="2"', html=False)
    assertContains(response, "550 inconnu")
    assertContains(response, "js/reminder-progress.js")


def test_the_progress_is_served_as_json_for_the_page_to_follow(staff_client, batch):
    response = staff_client.get(reverse("admin:followup_reminderbatch_progress", args=[batch.pk]))

    assert response["Content-Type"] == "application/json"
    assert response.json()["pending"] == 1
    assert response.json()["done"] is False


def test_the_sending_is_done_once_nothing_waits(staff_client, batch):
    batch.reminders.filter(status=Reminder.Status.PENDING).update(status=Reminder.Status.SENT)

    response = staff_client.get(reverse("admin:followup_reminderbatch_progress", args=[batch.pk]))

    assert response.json()["done"] is True


@pytest.mark.parametrize("pk", ["999999", "abc"])
def test_an_unknown_sending_is_not_found(staff_client, pk):
    response = staff_client.get(f"/admin/followup/reminderbatch/{pk}/progression/")

    assert response.status_code == 404


def test_the_reminder_log_lists_who_was_reminded_by_whom(staff_client, batch):
    response = staff_client.get(reverse("admin:followup_reminder_changelist"), {"batch__id__exact": batch.pk})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 3
    assertContains(response, "Tâche planifiée")


@pytest.mark.parametrize("rows", [3, 30])
def test_the_progress_page_loads_in_a_fixed_number_of_queries(
    staff_client, open_campaign, rows, django_assert_max_num_queries
):
    batch = ReminderBatch.objects.create(campaign=open_campaign, kind=ReminderBatch.Kind.BEFORE_DUE)
    for company in CompanyFactory.create_batch(rows):
        Reminder.objects.create(batch=batch, company=company, status=Reminder.Status.FAILED, error="550")

    with django_assert_max_num_queries(5):
        staff_client.get(reverse("admin:followup_reminderbatch_change", args=[batch.pk]))
    with django_assert_max_num_queries(4):
        staff_client.get(reverse("admin:followup_reminderbatch_progress", args=[batch.pk]))


@pytest.mark.parametrize("rows", [3, 30])
def test_the_reminder_lists_load_in_a_fixed_number_of_queries(
    staff_client, open_campaign, rows, django_assert_max_num_queries
):
    batch = ReminderBatch.objects.create(campaign=open_campaign, kind=ReminderBatch.Kind.BEFORE_DUE)
    for company in CompanyFactory.create_batch(rows):
        Reminder.objects.create(batch=batch, company=company)

    with django_assert_max_num_queries(9):
        staff_client.get(reverse("admin:followup_reminder_changelist"))
    with django_assert_max_num_queries(9):
        staff_client.get(reverse("admin:followup_reminderbatch_changelist"))


# --- The command for the scheduler ---


@pytest.fixture
def send_reminders(django_capture_on_commit_callbacks):
    """The command, with what its commits trigger (the sending task) run at once."""

    def run(**options) -> str:
        output = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", stdout=output, **options)
        return output.getvalue()

    return run


def test_the_command_reminds_before_the_due_date_within_the_days_given(
    send_reminders, open_campaign, declarant_a, mailoutbox
):
    output = send_reminders(before_due=1)

    batch = ReminderBatch.objects.get()
    assert (batch.kind, batch.requested_by) == (ReminderBatch.Kind.BEFORE_DUE, None)
    assert "1 rappels en file" in output
    assert len(mailoutbox) == 1


def test_the_command_leaves_a_campaign_whose_due_date_is_further(send_reminders, open_campaign, declarant_a):
    output = send_reminders(before_due=0)

    assert "Aucune campagne à relancer" in output
    assert not ReminderBatch.objects.exists()


def test_the_command_reminds_after_the_due_date_until_the_lock_date(send_reminders, open_campaign, declarant_a, clock):
    clock.move_to(TODAY + datetime.timedelta(days=3))
    send_reminders(after_due=True)
    clock.move_to(TODAY + datetime.timedelta(days=9))
    output = send_reminders(after_due=True)

    assert list(ReminderBatch.objects.values_list("kind", flat=True)) == [ReminderBatch.Kind.AFTER_DUE]
    assert "Aucune campagne" in output


def test_running_the_command_twice_a_day_reminds_once(send_reminders, open_campaign, declarant_a, mailoutbox, clock):
    send_reminders(before_due=3)
    clock.move_to(TODAY + datetime.timedelta(hours=6))

    output = send_reminders(before_due=3)

    assert "moins de 24 heures" in output
    assert len(mailoutbox) == 1


def test_the_command_can_be_limited_to_one_campaign(send_reminders, open_campaign, declarant_a, monthly_campaign):
    send_reminders(before_due=7, campaign=monthly_campaign.pk)

    assert list(ReminderBatch.objects.values_list("campaign", flat=True)) == [monthly_campaign.pk]


@pytest.fixture
def monthly_campaign(db):
    return Campaign.objects.create(
        title="Mai 2024",
        period_start=datetime.date(2024, 5, 1),
        period_end=datetime.date(2024, 5, 31),
        opens_on=datetime.date(2024, 6, 1),
        due_on=datetime.date(2024, 6, 14),
        locks_on=datetime.date(2024, 6, 30),
        status=Campaign.Status.OPEN,
    )


@pytest.mark.parametrize("options", [{}, {"before_due": -1}])
def test_the_command_asks_which_reminders_to_send(send_reminders, db, options):
    with pytest.raises(CommandError):
        send_reminders(**options)
