"""Each campaign's segment references (quality.segments): computed once per state of the campaign
and cached, computed again as soon as one of its received declarations changes, and built on each
company's previous declaration even when it skipped a week."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from measures.models import Declaration
from members.models import Company
from quality.flags import FlagKind
from quality.segments import segment_references
from quality.selectors import declaration_quality_review, declarations_with_flags
from tests.factories import CompanyFactory
from tests.quality.builders import declare, weeks

pytestmark = pytest.mark.django_db

MEMBER = Company.Segment.MEMBER


def _telework_reference(campaign):
    return segment_references([campaign.pk])[campaign.pk][MEMBER]["telework"]


def _peers(last_week, this_week, changes: list[int]) -> list[Declaration]:
    """Members whose telework moves by `changes` this week (out of 100 staff)."""
    declared = []
    for change in changes:
        peer = CompanyFactory(segment=MEMBER)
        declare(peer, last_week, telework=40)
        declared.append(declare(peer, this_week, telework=40 + change))
    return declared


def test_the_references_are_read_from_the_cache_while_the_campaign_is_unchanged(django_assert_num_queries):
    last_week, this_week = weeks(2)
    _peers(last_week, this_week, [0, 1, 2, 3, 1, 2])
    first = _telework_reference(this_week)

    # Only the campaign's state is read.
    with django_assert_num_queries(1):
        again = _telework_reference(this_week)

    assert again == first
    assert (first.count, first.median) == (6, 1.5)


def test_a_new_declaration_in_the_campaign_enters_the_references():
    last_week, this_week = weeks(2)
    _peers(last_week, this_week, [0, 1, 2])
    assert _telework_reference(this_week).count == 3

    _peers(last_week, this_week, [4])

    assert _telework_reference(this_week).count == 4


def test_a_corrected_declaration_changes_the_references_at_once():
    last_week, this_week = weeks(2)
    *_, typo = _peers(last_week, this_week, [0, 1, 2, 50])
    assert _telework_reference(this_week).median == 1.5

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        typo.telework, typo.on_site = 30, 70
        typo.save()

    assert _telework_reference(this_week).median == 0.5


def test_a_returned_declaration_leaves_the_references():
    last_week, this_week = weeks(2)
    *_, returned = _peers(last_week, this_week, [0, 1, 2, 50])

    returned.status = Declaration.Status.RETURNED
    returned.save()

    assert _telework_reference(this_week).count == 3


def test_a_company_that_skipped_a_week_is_compared_with_its_latest_declaration():
    two_weeks_ago, last_week, this_week = weeks(3)
    _peers(last_week, this_week, [0, 1, 2])
    back = CompanyFactory(segment=MEMBER)
    declare(back, two_weeks_ago, telework=40)
    declare(back, this_week, telework=70)

    reference = _telework_reference(this_week)

    assert reference.count == 4
    assert reference.median == 1.5


def test_a_campaign_without_received_declarations_has_no_references():
    (campaign,) = weeks(1)
    declare(CompanyFactory(), campaign, status=Declaration.Status.DRAFT)

    assert segment_references([campaign.pk]) == {campaign.pk: {}}


def test_the_cached_references_flag_what_fresh_ones_flag():
    last_week, this_week = weeks(2)
    _peers(last_week, this_week, [0, 1, 2, 3, 1, 2])
    company = CompanyFactory(segment=MEMBER)
    declare(company, last_week, telework=40)
    outlier = declare(company, this_week, telework=80, status=Declaration.Status.SUBMITTED)

    cold = declarations_with_flags([outlier])[0].quality_flags
    warm = declarations_with_flags([outlier])[0].quality_flags

    assert cold == warm
    assert FlagKind.SEGMENT in {flag.kind for flag in warm}


def test_a_company_back_after_more_than_the_history_window_is_compared_with_its_last_declaration(settings):
    settings.QUALITY_HISTORY_DAYS = 14
    campaigns = weeks(6)
    company = CompanyFactory()
    declare(company, campaigns[0], telework=20)
    current = declare(company, campaigns[5], telework=60, status=Declaration.Status.SUBMITTED)

    review = declaration_quality_review(current)

    assert review.previous["pk"] == Declaration.objects.get(campaign=campaigns[0], company=company).pk
    assert FlagKind.SHARE_JUMP in {flag.kind for flag in review.assessment.flags}
