"""Every page of the follow-up is for association staff: a member, even a company administrator,
and a visitor are sent to the admin's login and change nothing."""

import pytest
from django.urls import reverse

from followup.models import CampaignSchedule, Reminder, ReminderBatch


@pytest.fixture
def batch(open_campaign, company_a):
    batch = ReminderBatch.objects.create(campaign=open_campaign, kind=ReminderBatch.Kind.BEFORE_DUE)
    Reminder.objects.create(batch=batch, company=company_a)
    return batch


@pytest.fixture
def staff_pages(open_campaign, batch) -> list[str]:
    schedule = CampaignSchedule.objects.create(name="Hebdomadaire")
    return [
        reverse("admin:index"),
        reverse("admin:followup_campaignfollowup_changelist"),
        reverse("admin:followup_campaignfollowup_change", args=[open_campaign.pk]),
        reverse("admin:followup_campaignfollowup_csv", args=[open_campaign.pk]),
        reverse("admin:followup_campaignfollowup_xlsx", args=[open_campaign.pk]),
        reverse("admin:followup_campaignfollowup_remind", args=[open_campaign.pk]),
        reverse("admin:followup_reminderbatch_changelist"),
        reverse("admin:followup_reminderbatch_change", args=[batch.pk]),
        reverse("admin:followup_reminderbatch_progress", args=[batch.pk]),
        reverse("admin:followup_reminder_changelist"),
        reverse("admin:followup_campaignschedule_changelist"),
        reverse("admin:followup_campaignschedule_change", args=[schedule.pk]),
        reverse("admin:followup_staffdigest_changelist"),
    ]


@pytest.mark.parametrize("persona", ["declarant_a_client", "company_admin_a_client", "anonymous_client"])
def test_a_member_or_a_visitor_is_sent_to_the_admin_login(request, persona, staff_pages):
    client = request.getfixturevalue(persona)

    for page in staff_pages:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("admin:login")), page


def test_staff_reach_every_page(staff_client, staff_pages):
    for page in staff_pages:
        assert staff_client.get(page).status_code == 200, page


@pytest.mark.parametrize("persona", ["declarant_a_client", "company_admin_a_client", "anonymous_client"])
def test_a_member_or_a_visitor_cannot_send_reminders(request, persona, open_campaign, declarant_a, mailoutbox):
    client = request.getfixturevalue(persona)

    response = client.post(reverse("admin:followup_campaignfollowup_remind", args=[open_campaign.pk]))

    assert response.status_code == 302
    assert not ReminderBatch.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("persona", ["declarant_a_client", "company_admin_a_client"])
def test_a_member_cannot_change_a_schedule(db, request, persona):
    schedule = CampaignSchedule.objects.create(name="Hebdomadaire")
    client = request.getfixturevalue(persona)

    client.post(
        reverse("admin:followup_campaignschedule_change", args=[schedule.pk]), {"name": "Piraté", "is_active": ""}
    )

    schedule.refresh_from_db()
    assert (schedule.name, schedule.is_active) == ("Hebdomadaire", True)
