"""The admin's home lists what waits for staff, each count linking to the list behind it, in a
number of queries that does not grow with the rows."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from bulletins.models import Bulletin
from followup.selectors import declarations_to_review, work_queue
from measures.models import Campaign, Declaration
from members.models import Company
from tests.factories import BulletinFactory, CampaignFactory, CompanyFactory, DeclarationFactory
from tests.followup.builders import CASABLANCA, submitted
from tests.quality.builders import QUIET_TELEWORK, series, weeks

HOME = reverse("admin:index")


def test_declarations_to_review_come_oldest_first(open_campaign):
    newer = submitted(open_campaign, CompanyFactory(), at=datetime.datetime(2024, 6, 12, 9, 0, tzinfo=CASABLANCA))
    older = submitted(open_campaign, CompanyFactory(), at=datetime.datetime(2024, 6, 11, 9, 0, tzinfo=CASABLANCA))
    submitted(open_campaign, CompanyFactory(), status=Declaration.Status.APPROVED)
    DeclarationFactory(campaign=open_campaign, status=Declaration.Status.DRAFT)

    assert list(declarations_to_review()) == [older, newer]


def test_the_home_lists_the_declarations_to_review_with_their_count(staff_client, open_campaign, company_a):
    declaration = submitted(open_campaign, company_a)

    response = staff_client.get(HOME)

    assertContains(response, "Déclarations à vérifier")
    assertContains(response, f'href="{reverse("admin:measures_declaration_change", args=[declaration.pk])}"')
    assertContains(response, f'href="{reverse("admin:measures_declaration_changelist")}?status__exact=submitted"')
    assert response.context["queue"].review_count == 1


def test_the_home_lists_registrations_waiting_for_approval(staff_client):
    pending = CompanyFactory(trade_name="Centre Nouveau", registration_status=Company.RegistrationStatus.PENDING)
    CompanyFactory(trade_name="Centre Refusé", registration_status=Company.RegistrationStatus.REJECTED)

    response = staff_client.get(HOME)

    assertContains(response, f'href="{reverse("admin:members_company_change", args=[pending.pk])}"')
    assertNotContains(response, "Centre Refusé")
    assertContains(response, f'href="{reverse("admin:members_company_changelist")}?registration_status__exact=pending"')


def test_an_open_campaign_shows_its_response_so_far(staff_client, open_campaign, company_a, company_b):
    submitted(open_campaign, company_a)

    response = staff_client.get(HOME)

    assertContains(response, "1 / 2 (50,0\u00a0%)")
    assertContains(response, f'href="{reverse("admin:followup_campaignfollowup_change", args=[open_campaign.pk])}"')


@pytest.mark.parametrize(
    ("today", "closing_soon"),
    [
        (datetime.date(2024, 6, 9), False),
        (datetime.date(2024, 6, 10), True),
        (datetime.date(2024, 6, 13), True),
        # Past the due date, the lock date (the 20th) is what comes: 6 days away, then 3.
        (datetime.date(2024, 6, 14), False),
        (datetime.date(2024, 6, 17), True),
    ],
)
def test_a_campaign_is_flagged_when_its_due_or_lock_date_is_within_three_days(open_campaign, today, closing_soon):
    (campaign,) = work_queue(today=today).campaigns

    assert campaign.closing_soon is closing_soon


def test_a_closed_campaign_with_approved_declarations_and_no_bulletin_awaits_one(staff_client, company_a):
    closed = CampaignFactory(title="Semaine du 27 mai 2024", status=Campaign.Status.CLOSED)
    submitted(closed, company_a, status=Declaration.Status.APPROVED)
    CampaignFactory(title="Semaine sans réponse", status=Campaign.Status.CLOSED)

    queue = work_queue(today=datetime.date(2024, 6, 12))

    assert queue.bulletins_to_write == [closed]
    response = staff_client.get(HOME)
    assertContains(response, f'href="{reverse("admin:bulletins_bulletin_add")}?campaign={closed.pk}"')


def test_a_draft_bulletin_awaits_publication_and_a_published_one_does_not(company_a):
    draft = BulletinFactory()
    submitted(draft.campaign, company_a, status=Declaration.Status.APPROVED)
    BulletinFactory(status=Bulletin.Status.PUBLISHED)

    queue = work_queue(today=datetime.date(2024, 6, 12))

    assert (queue.bulletins_to_write, queue.draft_bulletins) == ([], [draft])


def test_the_bulletin_count_links_to_the_campaigns_awaiting_one(staff_client, company_a):
    closed = CampaignFactory(status=Campaign.Status.CLOSED)
    submitted(closed, company_a, status=Declaration.Status.APPROVED)
    link = f"{reverse('admin:followup_campaignfollowup_changelist')}?bulletin=a_publier"

    home = staff_client.get(HOME)
    listed = staff_client.get(link)

    assertContains(home, f'href="{link}"')
    assert list(listed.context["cl"].result_list) == [closed]


def test_the_home_keeps_the_list_of_applications_below_the_queue(staff_client):
    content = staff_client.get(HOME).content.decode()

    assert content.index("À faire") < content.index("Collecte des déclarations")


def test_every_count_of_the_home_links_to_a_list_that_loads(staff_client, open_campaign, company_a):
    submitted(open_campaign, company_a)
    CompanyFactory(registration_status=Company.RegistrationStatus.PENDING)
    submitted(CampaignFactory(status=Campaign.Status.CLOSED), company_a, status=Declaration.Status.APPROVED)
    queue_links = [
        f"{reverse('admin:measures_declaration_changelist')}?status__exact=submitted",
        f"{reverse('admin:members_company_changelist')}?registration_status__exact=pending",
        f"{reverse('admin:followup_campaignfollowup_changelist')}?status__exact=open",
        f"{reverse('admin:followup_campaignfollowup_changelist')}?bulletin=a_publier",
    ]
    home = staff_client.get(HOME)

    for link in queue_links:
        assertContains(home, f'href="{link}"')
        response = staff_client.get(link)
        assert response.status_code == 200, link
        # An unknown filter makes the admin redirect with ?e=1 instead of filtering.
        assert response.context["cl"].result_count == 1, link


def _busy_day(rows: int) -> None:
    campaigns = [
        CampaignFactory(period_start=datetime.date(2024, 6, 3) - datetime.timedelta(weeks=i)) for i in range(3)
    ]
    for index in range(rows):
        submitted(campaigns[index % 3], CompanyFactory())
        CompanyFactory(registration_status=Company.RegistrationStatus.PENDING)
        closed = CampaignFactory(status=Campaign.Status.CLOSED, period_start=datetime.date(2023, 1, 2))
        submitted(closed, CompanyFactory(), status=Declaration.Status.APPROVED)
        if index % 2:
            BulletinFactory(campaign=closed)


@pytest.mark.parametrize("rows", [3, 30])
def test_the_home_loads_in_a_fixed_number_of_queries(staff_client, rows, django_assert_max_num_queries):
    _busy_day(rows)

    # The admin's own: session, user, the second factor, recent actions; the queue: seven; the kinds of flags of every
    # declaration to review: three (their rows, their companies' history states, the campaigns'
    # states), and six more for what the cache lacks (their history, the previous declarations
    # older than it, the campaigns' segment references); the flags of the eight shown: four.
    with django_assert_max_num_queries(24):
        response = staff_client.get(HOME)

    assert response.status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_the_home_loads_in_fewer_queries_once_the_segments_are_cached(
    staff_client, rows, django_assert_max_num_queries
):
    _busy_day(rows)
    staff_client.get(HOME)

    with django_assert_max_num_queries(18):
        response = staff_client.get(HOME)

    assert response.status_code == 200


@pytest.fixture
def flagged_week(db):
    """Nine weeks; this week Atlas's telework jumps, Calme declares as usual; both wait for review."""
    campaigns = weeks(9)
    jumped = series(CompanyFactory(trade_name="Atlas"), campaigns, telework=[*QUIET_TELEWORK, 94])[-1]
    quiet = series(CompanyFactory(trade_name="Calme"), campaigns, telework=[*QUIET_TELEWORK, 53])[-1]
    return jumped, quiet


def test_each_declaration_to_review_shows_its_quality_badges(staff_client, flagged_week):
    jumped, quiet = flagged_week

    response = staff_client.get(HOME)

    review = {declaration.pk: declaration.quality_flags for declaration in response.context["queue"].review}
    assert review[jumped.pk] and not review[quiet.pk]
    assertContains(response, 'class="quality-badge quality-badge--share_jump"')
    assertContains(response, "Part en télétravail : Saut de répartition")


def test_the_flagged_declarations_to_review_are_counted_and_linked(staff_client, flagged_week):
    jumped, _ = flagged_week
    link = f"{reverse('admin:measures_declaration_changelist')}?status__exact=submitted&qualite=flagged"

    home = staff_client.get(HOME)
    listed = staff_client.get(link)

    assert home.context["queue"].review_flagged_count == 1
    assertContains(home, f'href="{link.replace("&", "&amp;")}"')
    assert list(listed.context["cl"].result_list) == [jumped]


def test_without_flags_the_home_says_none_is_flagged(staff_client, open_campaign, company_a):
    submitted(open_campaign, company_a)

    response = staff_client.get(HOME)

    assert response.context["queue"].review_flagged_count == 0
    assertContains(response, "Aucune n'est signalée par les contrôles de qualité.")
