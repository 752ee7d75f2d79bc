"""The kinds of flags of many declarations at once (quality.selectors.declaration_flag_kinds), for
the list's filter and the work queue: the same as each declaration's full assessment, kept per
declaration in the cache and computed again only for the declarations a write concerns."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from measures.models import Declaration
from members.models import Company
from quality import selectors
from quality.flags import FlagKind
from quality.selectors import declaration_assessments, declaration_flag_kinds
from tests.factories import CompanyFactory
from tests.quality.builders import QUIET_REVENUE, QUIET_TELEWORK, declare, series, weeks

pytestmark = pytest.mark.django_db


@pytest.fixture
def later():
    """A minute later: a write then leaves a later modification time than the rows before it."""

    def travel():
        return time_machine.travel(timezone.now() + datetime.timedelta(minutes=1))

    return travel


@pytest.fixture
def nine_weeks():
    """Members over nine weeks: Atlas's telework jumps this week, Bahia's export revenue is ten
    times off, Calme is quiet, Dakhla declares five times its registered headcount, and five
    more members move by a point or two."""
    campaigns = weeks(9)
    for telework in ([*QUIET_TELEWORK, 51], [*QUIET_TELEWORK, 54], [*QUIET_TELEWORK, 52], [*QUIET_TELEWORK, 50]):
        series(CompanyFactory(), campaigns, telework=telework)
    series(CompanyFactory(trade_name="Atlas"), campaigns, telework=[*QUIET_TELEWORK, 94])
    series(CompanyFactory(trade_name="Bahia"), campaigns, export_revenue=[*QUIET_REVENUE, 1_005_000])
    series(CompanyFactory(trade_name="Calme"), campaigns, telework=[*QUIET_TELEWORK, 53])
    series(CompanyFactory(trade_name="Dakhla", registered_headcount=20), campaigns)
    return campaigns


def _this_week(campaigns):
    return Declaration.objects.filter(campaign=campaigns[-1])


def _by_name(kinds: dict[int, set[str]]) -> dict[str, set[str]]:
    names = dict(Declaration.objects.filter(pk__in=kinds).values_list("pk", "company__trade_name"))
    return {names[pk]: found for pk, found in kinds.items()}


def test_the_kinds_are_those_of_each_declaration_s_full_assessment(nine_weeks):
    declarations = Declaration.objects.filter(campaign__in=nine_weeks[-3:])

    kinds = declaration_flag_kinds(declarations)

    assessments = declaration_assessments(declarations)
    assert kinds == {pk: {flag.kind for flag in assessment.flags} for pk, assessment in assessments.items()}
    this_week = _by_name(declaration_flag_kinds(_this_week(nine_weeks)))
    assert FlagKind.SHARE_JUMP in this_week["Atlas"]
    assert FlagKind.HISTORY in this_week["Bahia"]
    assert this_week["Calme"] == set()
    assert this_week["Dakhla"] == {FlagKind.REGISTERED_HEADCOUNT}


def test_read_again_they_come_from_the_cache_in_three_queries(nine_weeks, django_assert_num_queries):
    first = declaration_flag_kinds(_this_week(nine_weeks))

    # The declarations, their companies' history states, their campaign's state.
    with django_assert_num_queries(3):
        again = declaration_flag_kinds(_this_week(nine_weeks))

    assert again == first


def test_a_new_declaration_is_the_only_one_assessed_again(nine_weeks, monkeypatch, later):
    declaration_flag_kinds(_this_week(nine_weeks))
    assessed = []
    assess = selectors.assess

    def counting(**kwargs):
        assessed.append(kwargs["current"]["pk"])
        return assess(**kwargs)

    monkeypatch.setattr(selectors, "assess", counting)
    with later():
        newcomer = declare(CompanyFactory(), nine_weeks[-1], status=Declaration.Status.SUBMITTED)

    declaration_flag_kinds(_this_week(nine_weeks))

    assert assessed == [newcomer.pk]


def test_correcting_last_week_changes_this_week_s_kinds_at_once(nine_weeks, later):
    atlas = Company.objects.get(trade_name="Atlas")
    assert FlagKind.SHARE_JUMP in _by_name(declaration_flag_kinds(_this_week(nine_weeks)))["Atlas"]
    last_week = Declaration.objects.get(company=atlas, campaign=nine_weeks[-2])

    with later():
        last_week.telework, last_week.on_site = 92, 8
        last_week.save()

    assert FlagKind.SHARE_JUMP not in _by_name(declaration_flag_kinds(_this_week(nine_weeks)))["Atlas"]


def test_a_registry_correction_changes_the_kinds_at_once(nine_weeks, later):
    declaration_flag_kinds(_this_week(nine_weeks))

    with later():
        dakhla = Company.objects.get(trade_name="Dakhla")
        dakhla.registered_headcount = 100
        dakhla.save()

    assert _by_name(declaration_flag_kinds(_this_week(nine_weeks)))["Dakhla"] == set()


def test_the_segment_rule_follows_the_declarations_that_arrive_later():
    last_week, this_week = weeks(2)
    company = CompanyFactory(segment=Company.Segment.MEMBER)
    declare(company, last_week, telework=40)
    current = declare(company, this_week, telework=80, status=Declaration.Status.SUBMITTED)
    for change in (0, 1, 2):
        peer = CompanyFactory(segment=Company.Segment.MEMBER)
        declare(peer, last_week, telework=40)
        declare(peer, this_week, telework=40 + change)
    assert FlagKind.SEGMENT not in declaration_flag_kinds(Declaration.objects.filter(pk=current.pk))[current.pk]

    for change in (1, 2):
        peer = CompanyFactory(segment=Company.Segment.MEMBER)
        declare(peer, last_week, telework=40)
        declare(peer, this_week, telework=40 + change)

    assert FlagKind.SEGMENT in declaration_flag_kinds(Declaration.objects.filter(pk=current.pk))[current.pk]


def test_changed_thresholds_are_applied_at_once(nine_weeks, settings):
    declaration_flag_kinds(_this_week(nine_weeks))

    settings.QUALITY_REGISTERED_HEADCOUNT_RATIO = 10

    assert _by_name(declaration_flag_kinds(_this_week(nine_weeks)))["Dakhla"] == set()
