"""A campaign's response: expected, received, approved, on time and late, in total and by segment,
formality and region, counted by the database in a fixed number of queries."""

import datetime

import pytest

from followup.selectors import campaign_response, non_respondents
from measures.models import Declaration
from members.models import Company
from tests.factories import CampaignFactory, CompanyFactory, DeclarationFactory, region
from tests.followup.builders import CASABLANCA, submitted

ON_TIME = datetime.datetime(2024, 6, 11, 9, 0, tzinfo=CASABLANCA)
# The due date is the 13th, in Casablanca: a declaration at 23:30 that day is on time.
LAST_MINUTE = datetime.datetime(2024, 6, 13, 23, 30, tzinfo=CASABLANCA)
LATE = datetime.datetime(2024, 6, 14, 8, 0, tzinfo=CASABLANCA)


@pytest.fixture
def registry(db):
    """Three AMRC members in Casablanca, two small operators in Rabat (one informal)."""
    members = CompanyFactory.create_batch(3, segment=Company.Segment.MEMBER, registered_headcount=1000)
    small = [
        CompanyFactory(
            segment=Company.Segment.SMALL,
            formality=Company.Formality.FORMAL,
            region=region("MA-04"),
            registered_headcount=50,
        ),
        CompanyFactory(
            segment=Company.Segment.SMALL,
            formality=Company.Formality.INFORMAL,
            region=region("MA-04"),
            registered_headcount=50,
        ),
    ]
    return members, small


def test_it_counts_the_registry_s_active_companies_as_expected(open_campaign, registry):
    CompanyFactory(is_active=False)
    CompanyFactory(registration_status=Company.RegistrationStatus.PENDING)

    assert campaign_response(open_campaign).total.expected == 5


def test_a_draft_is_not_received(open_campaign, registry):
    members, _small = registry
    DeclarationFactory(campaign=open_campaign, company=members[0], status=Declaration.Status.DRAFT)

    total = campaign_response(open_campaign).total

    assert (total.received, total.drafts) == (0, 1)


def test_it_tells_on_time_from_late_by_the_due_date_in_casablanca(open_campaign, registry):
    members, small = registry
    submitted(open_campaign, members[0], at=ON_TIME)
    submitted(open_campaign, members[1], at=LAST_MINUTE)
    submitted(open_campaign, small[0], at=LATE)

    total = campaign_response(open_campaign).total

    assert (total.received, total.on_time, total.late) == (3, 2, 1)


def test_returned_and_approved_declarations_are_received(open_campaign, registry):
    members, _small = registry
    submitted(open_campaign, members[0], status=Declaration.Status.RETURNED)
    submitted(open_campaign, members[1], status=Declaration.Status.APPROVED)

    total = campaign_response(open_campaign).total

    assert (total.received, total.approved) == (2, 1)


def test_declarations_of_another_campaign_do_not_count(open_campaign, registry):
    members, _small = registry
    submitted(CampaignFactory(), members[0])

    assert campaign_response(open_campaign).total.received == 0


def test_it_breaks_the_response_down_by_segment_formality_and_region(open_campaign, registry):
    members, small = registry
    submitted(open_campaign, members[0])
    submitted(open_campaign, small[1])

    response = campaign_response(open_campaign)

    assert [(group.label, group.expected, group.received) for group in response.by_segment] == [
        ("Membre AMRC", 3, 1),
        ("Petit opérateur", 2, 1),
    ]
    assert [(group.label, group.expected, group.received) for group in response.by_formality] == [
        ("Formelle (vérifiée)", 4, 1),
        ("Informelle", 1, 1),
    ]
    assert [(group.label, group.expected, group.received) for group in response.by_region] == [
        ("Rabat-Salé-Kénitra", 2, 1),
        ("Casablanca-Settat", 3, 1),
    ]


def test_it_gives_the_share_of_the_registered_headcount_covered(open_campaign, registry):
    members, small = registry
    submitted(open_campaign, members[0])
    submitted(open_campaign, small[0])

    total = campaign_response(open_campaign).total

    assert (total.received_headcount, total.expected_headcount) == (1050, 3100)
    assert total.headcount_coverage == pytest.approx(1050 / 3100)


def test_a_campaign_nobody_is_expected_in_has_no_rate(open_campaign):
    total = campaign_response(open_campaign).total

    assert (total.expected, total.response_rate, total.headcount_coverage) == (0, None, None)


@pytest.mark.parametrize("companies", [5, 40])
def test_it_runs_two_queries_whatever_the_number_of_companies(open_campaign, companies, django_assert_num_queries):
    for index, company in enumerate(CompanyFactory.create_batch(companies)):
        if index % 2:
            submitted(open_campaign, company)

    with django_assert_num_queries(2):
        campaign_response(open_campaign)


def test_non_respondents_are_the_active_companies_without_a_received_declaration(open_campaign, registry):
    members, small = registry
    submitted(open_campaign, members[0])
    DeclarationFactory(campaign=open_campaign, company=members[1], status=Declaration.Status.DRAFT)
    CompanyFactory(is_active=False)

    assert set(non_respondents(open_campaign)) == {members[1], members[2], *small}
