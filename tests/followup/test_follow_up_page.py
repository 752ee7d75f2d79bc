"""A campaign's follow-up page: its response by group and the non-respondents with their contacts,
last declaration and last reminder; reached from the campaign's pages."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from followup.models import Reminder, ReminderBatch
from measures.models import Campaign, Declaration
from members.models import Company, CompanyMembership
from tests.factories import CampaignFactory, CompanyFactory, DeclarationFactory, MembershipFactory, UserFactory, region
from tests.followup.builders import TODAY, submitted
from tests.login import log_in


def _page(campaign: Campaign) -> str:
    return reverse("admin:followup_campaignfollowup_change", args=[campaign.pk])


def test_it_shows_the_response_in_total_and_by_group(staff_client, open_campaign, company_a, company_b):
    submitted(open_campaign, company_a)

    response = staff_client.get(_page(open_campaign))

    assert response.status_code == 200
    assert response.context["response"].total.received == 1
    assertContains(response, '<dd data-figure="expected">2</dd>', html=True)
    assertContains(response, "Par segment")
    assertContains(response, "Par formalité")
    assertContains(response, "Par région du siège")


def test_it_lists_the_non_respondents_with_their_contacts(staff_client, open_campaign, company_a, company_b):
    submitted(open_campaign, company_b)
    MembershipFactory(
        company=company_a,
        role=CompanyMembership.Role.ADMIN,
        user=UserFactory(email="karim@atlas.ma", full_name="Karim Tazi", phone="+212 522 00 00 00"),
    )

    response = staff_client.get(_page(open_campaign))

    assert [row.company for row in response.context["rows"]] == [company_a]
    assertContains(response, "Karim Tazi")
    assertContains(response, 'href="mailto:karim@atlas.ma"')
    assertContains(response, "+212 522 00 00 00")
    assertNotContains(response, "Bahia Relation Client")


def test_an_inactive_contact_is_not_listed(staff_client, open_campaign, company_a):
    MembershipFactory(company=company_a, user=UserFactory(email="parti@atlas.ma", is_active=False))

    response = staff_client.get(_page(open_campaign))

    assertNotContains(response, "parti@atlas.ma")
    assertContains(response, "Aucun contact actif")


def test_it_shows_each_non_respondent_s_last_declaration_and_last_reminder(staff_client, open_campaign, company_a):
    earlier = CampaignFactory(
        title="Semaine du 27 mai 2024", period_start=datetime.date(2024, 5, 27), status=Campaign.Status.CLOSED
    )
    oldest = CampaignFactory(
        title="Semaine du 20 mai 2024", period_start=datetime.date(2024, 5, 20), status=Campaign.Status.CLOSED
    )
    submitted(earlier, company_a, status=Declaration.Status.APPROVED)
    submitted(oldest, company_a, status=Declaration.Status.APPROVED)
    DeclarationFactory(campaign=open_campaign, company=company_a, status=Declaration.Status.DRAFT)
    batch = ReminderBatch.objects.create(campaign=open_campaign, kind=ReminderBatch.Kind.BEFORE_DUE)
    Reminder.objects.create(batch=batch, company=company_a, status=Reminder.Status.SENT, sent_at=TODAY)

    response = staff_client.get(_page(open_campaign))

    (row,) = response.context["rows"]
    assert row.last_declaration.campaign == earlier
    assert row.draft_status == "Brouillon"
    assert row.last_reminder.status == Reminder.Status.SENT
    assertContains(response, "Semaine du 27 mai 2024")


def test_the_largest_non_respondents_come_first(staff_client, open_campaign):
    CompanyFactory(trade_name="Petit", registered_headcount=10)
    CompanyFactory(trade_name="Grand", registered_headcount=2000)

    response = staff_client.get(_page(open_campaign))

    assert [row.company.trade_name for row in response.context["rows"]] == ["Grand", "Petit"]


def test_the_non_respondents_can_be_filtered_by_segment_formality_and_region(staff_client, open_campaign):
    CompanyFactory(trade_name="Membre Casablanca")
    CompanyFactory(trade_name="Petit Rabat", segment=Company.Segment.SMALL, region=region("MA-04"))

    response = staff_client.get(_page(open_campaign), {"segment": "small", "region": region("MA-04").pk})

    assert [row.company.trade_name for row in response.context["rows"]] == ["Petit Rabat"]
    assertContains(response, f"non-repondants.csv?segment=small&amp;region={region('MA-04').pk}")


def test_a_filter_that_does_not_hold_is_reported_next_to_its_field(staff_client, open_campaign, company_a):
    response = staff_client.get(_page(open_campaign), {"region": "999999"})

    assert response.status_code == 200
    assert "region" in response.context["filters"].errors


def test_the_non_respondents_come_one_hundred_to_a_page(staff_client, open_campaign):
    CompanyFactory.create_batch(101)

    first = staff_client.get(_page(open_campaign))
    second = staff_client.get(_page(open_campaign), {"page": 2})

    assert (len(first.context["rows"]), len(second.context["rows"])) == (100, 1)
    assertContains(first, "Page 1 sur 2")


def test_it_lists_the_campaign_s_sendings_of_reminders(staff_client, open_campaign, company_a):
    batch = ReminderBatch.objects.create(campaign=open_campaign, kind=ReminderBatch.Kind.BEFORE_DUE)
    Reminder.objects.create(batch=batch, company=company_a, status=Reminder.Status.SENT, sent_at=TODAY)

    response = staff_client.get(_page(open_campaign))

    assertContains(response, f'href="{reverse("admin:followup_reminderbatch_change", args=[batch.pk])}"')
    assertContains(response, "Tâche planifiée")


def test_a_locked_campaign_says_why_nobody_can_be_reminded(staff_client, staff_user, open_campaign, company_a, clock):
    clock.move_to(TODAY + datetime.timedelta(days=10))
    log_in(staff_client, staff_user)

    response = staff_client.get(_page(open_campaign))

    assertContains(response, "est verrouillée depuis le 20/06/2024")
    assertNotContains(response, reverse("admin:followup_campaignfollowup_remind", args=[open_campaign.pk]))


def test_the_campaign_change_page_and_list_link_to_the_follow_up(staff_client, open_campaign):
    change = staff_client.get(reverse("admin:measures_campaign_change", args=[open_campaign.pk]))
    changelist = staff_client.get(reverse("admin:measures_campaign_changelist"))

    assertContains(change, f'href="{_page(open_campaign)}"')
    assertContains(changelist, f'href="{reverse("admin:followup_campaignfollowup_changelist")}"')


def test_the_follow_up_list_shows_each_campaign_s_response(staff_client, open_campaign, company_a, company_b):
    submitted(open_campaign, company_a)

    response = staff_client.get(reverse("admin:followup_campaignfollowup_changelist"))

    assertContains(response, "1 / 2 (50%)")
    assertContains(response, f'href="{_page(open_campaign)}"')


def test_several_sendings_do_not_multiply_the_response_counted(staff_client, open_campaign, company_a, company_b):
    submitted(open_campaign, company_a)
    for _ in range(3):
        ReminderBatch.objects.create(campaign=open_campaign, kind=ReminderBatch.Kind.BEFORE_DUE)

    response = staff_client.get(reverse("admin:followup_campaignfollowup_changelist"))

    (campaign,) = response.context["cl"].result_list
    assert (campaign.n_received, campaign.n_expected) == (1, 2)


def test_an_unknown_campaign_is_not_found(staff_client):
    response = staff_client.get(reverse("admin:followup_campaignfollowup_change", args=[999999]))

    assert response.status_code in (302, 404)


def _registry(rows: int, campaign: Campaign) -> None:
    earlier = CampaignFactory(period_start=datetime.date(2024, 5, 27), status=Campaign.Status.CLOSED)
    batch = ReminderBatch.objects.create(campaign=campaign, kind=ReminderBatch.Kind.BEFORE_DUE)
    for index, company in enumerate(CompanyFactory.create_batch(rows)):
        MembershipFactory(company=company)
        MembershipFactory(company=company, role=CompanyMembership.Role.ADMIN)
        submitted(earlier, company, status=Declaration.Status.APPROVED)
        Reminder.objects.create(batch=batch, company=company, status=Reminder.Status.SENT, sent_at=TODAY)
        if index % 3 == 0:
            submitted(campaign, company)


@pytest.mark.parametrize("rows", [3, 30])
def test_the_page_loads_in_a_fixed_number_of_queries(staff_client, open_campaign, rows, django_assert_max_num_queries):
    _registry(rows, open_campaign)

    with django_assert_max_num_queries(13):
        response = staff_client.get(_page(open_campaign))

    assert response.status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_the_follow_up_list_loads_in_a_fixed_number_of_queries(
    staff_client, rows, django_assert_max_num_queries, company_a
):
    for index in range(rows):
        campaign = CampaignFactory(period_start=datetime.date(2024, 1, 1) + datetime.timedelta(weeks=index))
        submitted(campaign, company_a)

    with django_assert_max_num_queries(8):
        response = staff_client.get(reverse("admin:followup_campaignfollowup_changelist"))

    assert response.status_code == 200
