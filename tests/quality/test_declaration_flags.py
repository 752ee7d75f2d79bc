"""Flags read from the database (quality.selectors): the company's history, its segment this
week, and flags that follow later declarations instead of going stale."""

import pytest

from measures.models import Declaration
from members.models import Company
from quality import reads, selectors
from quality.flags import FlagKind
from quality.selectors import declaration_assessments, declarations_with_flags, flagged_declaration_ids
from tests.factories import CompanyFactory
from tests.quality.builders import QUIET_REVENUE, QUIET_TELEWORK, declare, series, weeks

pytestmark = pytest.mark.django_db


def _kinds(declaration: Declaration, figure: str) -> set[str]:
    return {flag.kind for flag in declarations_with_flags([declaration])[0].quality_flags if flag.figure == figure}


def test_export_revenue_ten_times_off_is_flagged_against_the_company_history():
    *_, current = series(CompanyFactory(), weeks(9), export_revenue=[*QUIET_REVENUE, 1_000_000])

    assert FlagKind.HISTORY in _kinds(current, "export_revenue")


def test_a_telework_jump_is_flagged_against_the_history_and_as_a_share_jump():
    *_, current = series(CompanyFactory(), weeks(9), telework=[*QUIET_TELEWORK, 94])

    assert _kinds(current, "telework") == {FlagKind.HISTORY, FlagKind.SHARE_JUMP}


def test_a_quiet_week_is_not_flagged():
    *_, current = series(CompanyFactory(), weeks(9), telework=[*QUIET_TELEWORK, 53])

    assert declarations_with_flags([current])[0].quality_flags == []


def test_the_history_reads_only_the_company_s_own_declarations():
    campaigns = weeks(9)
    # Another company jumps about every week; ours is quiet until this week.
    series(CompanyFactory(), campaigns, telework=[10, 60, 10, 60, 10, 60, 10, 60, 10])
    *_, current = series(CompanyFactory(), campaigns, telework=[*QUIET_TELEWORK, 75])

    assert FlagKind.HISTORY in _kinds(current, "telework")


def test_returned_declarations_are_not_history():
    campaigns = weeks(9)
    company = CompanyFactory()
    declarations = series(company, campaigns, telework=[*QUIET_TELEWORK, 94])
    Declaration.objects.filter(pk__in=[d.pk for d in declarations[:3]]).update(status=Declaration.Status.RETURNED)

    assessment = declaration_assessments([declarations[-1]])[declarations[-1].pk]

    assert assessment.history_changes == 4
    assert FlagKind.HISTORY not in {flag.kind for flag in assessment.flags}


def _segment_week(peer_changes: list[int], *, segment: str = Company.Segment.MEMBER):
    """Two weeks: peers move their telework by `peer_changes`; the company under review by 40."""
    last_week, this_week = weeks(2)
    for change in peer_changes:
        peer = CompanyFactory(segment=segment)
        declare(peer, last_week, telework=40)
        declare(peer, this_week, telework=40 + change)
    company = CompanyFactory(segment=Company.Segment.MEMBER)
    declare(company, last_week, telework=40)
    return declare(company, this_week, telework=80, status=Declaration.Status.SUBMITTED), (last_week, this_week)


def test_a_change_far_from_the_segment_s_changes_this_week_is_flagged():
    current, _ = _segment_week([0, 1, 2, 3, 1, 2])

    assert FlagKind.SEGMENT in _kinds(current, "telework")


def test_the_other_segment_is_not_a_reference():
    current, _ = _segment_week([0, 1, 2, 3, 1, 2], segment=Company.Segment.SMALL)

    assert FlagKind.SEGMENT not in _kinds(current, "telework")


def test_a_flag_follows_the_declarations_that_arrive_later_in_the_segment():
    current, (last_week, this_week) = _segment_week([0, 1, 2])
    assert FlagKind.SEGMENT not in _kinds(current, "telework")

    # Two more members declare: the segment is now large enough to compare with.
    for change in (1, 2):
        peer = CompanyFactory(segment=Company.Segment.MEMBER)
        declare(peer, last_week, telework=40)
        declare(peer, this_week, telework=40 + change)

    assert FlagKind.SEGMENT in _kinds(current, "telework")


def test_a_draft_has_no_flags():
    last_week, this_week = weeks(2)
    company = CompanyFactory()
    declare(company, last_week, telework=10)
    draft = declare(company, this_week, telework=90, status=Declaration.Status.DRAFT)

    assert declarations_with_flags([draft])[0].quality_flags == []


def test_flagged_declarations_can_be_filtered_by_kind():
    campaigns = weeks(9)
    *_, jumped = series(CompanyFactory(), campaigns, telework=[*QUIET_TELEWORK, 94])
    *_, quiet = series(CompanyFactory(), campaigns, telework=[*QUIET_TELEWORK, 53])
    oversized = declare(CompanyFactory(registered_headcount=20), campaigns[-1])
    this_week = Declaration.objects.filter(campaign=campaigns[-1])

    assert set(flagged_declaration_ids(this_week)) == {jumped.pk, oversized.pk}
    assert flagged_declaration_ids(this_week, kind=FlagKind.REGISTERED_HEADCOUNT) == [oversized.pk]
    assert quiet.pk not in flagged_declaration_ids(this_week)


@pytest.mark.parametrize("companies", [3, 30])
def test_flags_of_a_list_take_three_queries_once_the_segments_are_known(django_assert_num_queries, companies):
    campaigns = weeks(9)
    current = [series(CompanyFactory(), campaigns, telework=[*QUIET_TELEWORK, 94])[-1] for _ in range(companies)]
    declarations_with_flags(current)

    # The declarations, their companies' history, and the campaign's state.
    with django_assert_num_queries(3):
        flagged = declarations_with_flags(current)

    assert all(declaration.quality_flags for declaration in flagged)


@pytest.mark.parametrize("companies", [3, 30])
def test_flags_of_a_list_take_a_fixed_number_of_queries_from_a_cold_cache(django_assert_num_queries, companies):
    campaigns = weeks(9)
    current = [series(CompanyFactory(), campaigns, telework=[*QUIET_TELEWORK, 94])[-1] for _ in range(companies)]

    # Three more for the segment references: the campaign, the periods, the week before.
    with django_assert_num_queries(6):
        declarations_with_flags(current)


def test_once_the_segments_are_known_a_page_reads_only_its_own_companies(monkeypatch):
    campaigns = weeks(9)
    current = [series(CompanyFactory(), campaigns, telework=[*QUIET_TELEWORK, 94])[-1] for _ in range(5)]
    declarations_with_flags(current)
    read = []

    def recording(queryset):
        read.extend(found := reads.rows(queryset))
        return found

    monkeypatch.setattr(selectors, "rows", recording)
    declarations_with_flags(current[:2])

    assert {row["company_id"] for row in read} == {declaration.company_id for declaration in current[:2]}
