import datetime

import pytest

from measures.models import Campaign, Declaration, DeclarationMeasure, Measure
from measures.services import DeclarationError, declaration_start
from measures.validation import submission_errors
from tests.factories import (
    CampaignFactory,
    DeclarationFactory,
    DeclarationMeasureFactory,
    DeclarationRegionFactory,
    region,
)

pytestmark = pytest.mark.usefixtures("on_collection_day")


def _earlier_campaign(weeks: int = 1) -> Campaign:
    start = datetime.date(2020, 3, 16) - datetime.timedelta(weeks=weeks)
    return CampaignFactory(period_start=start, status=Campaign.Status.CLOSED)


def _previous_declaration(company, *, status=Declaration.Status.APPROVED, weeks: int = 1, **figures) -> Declaration:
    previous = DeclarationFactory(campaign=_earlier_campaign(weeks), company=company, status=status, **figures)
    DeclarationRegionFactory(declaration=previous, region=region("MA-06"), headcount=60, on_site=20, telework=35)
    DeclarationRegionFactory(declaration=previous, region=region("MA-01"), headcount=40, on_site=20, telework=15)
    DeclarationMeasureFactory(
        declaration=previous, measure=Measure.objects.get(code="masks"), status=DeclarationMeasure.Status.IN_PLACE
    )
    return previous


def test_it_creates_an_empty_draft_for_a_company_that_never_declared(campaign, company_a, declarant_a):
    declaration = declaration_start(campaign=campaign, company=company_a, user=declarant_a)

    assert declaration.status == Declaration.Status.DRAFT
    assert declaration.headcount is None
    assert declaration.version == 1


def test_starting_twice_gives_the_same_declaration(campaign, company_a, declarant_a):
    first = declaration_start(campaign=campaign, company=company_a, user=declarant_a)
    second = declaration_start(campaign=campaign, company=company_a, user=declarant_a)

    assert first.pk == second.pk
    assert Declaration.objects.count() == 1


def test_it_prefills_the_figures_from_the_previous_declaration(campaign, company_a, declarant_a):
    _previous_declaration(company_a, headcount=100, on_site=40, telework=50, keeps_hr_on_site=True)

    declaration = declaration_start(campaign=campaign, company=company_a, user=declarant_a)

    assert (declaration.headcount, declaration.on_site, declaration.telework) == (100, 40, 50)
    assert declaration.keeps_hr_on_site is True
    assert declaration.activity_maintained_pct == 80


def test_it_leaves_last_periods_movements_and_export_revenue_blank(campaign, company_a, declarant_a):
    _previous_declaration(company_a)

    declaration = declaration_start(campaign=campaign, company=company_a, user=declarant_a)

    assert (declaration.hires, declaration.separations, declaration.dismissals) == (None, None, None)
    assert declaration.export_revenue is None


def test_it_prefills_the_regional_lines_and_measure_answers(campaign, company_a, declarant_a):
    _previous_declaration(company_a)

    declaration = declaration_start(campaign=campaign, company=company_a, user=declarant_a)

    lines = {
        line.region.code: (line.headcount, line.on_site, line.telework) for line in declaration.regional_lines.all()
    }
    assert lines == {"MA-06": (60, 20, 35), "MA-01": (40, 20, 15)}
    assert [answer.measure.code for answer in declaration.measure_answers.all()] == ["masks"]


def test_it_prefills_from_the_latest_earlier_declaration(campaign, company_a, declarant_a):
    _previous_declaration(company_a, weeks=2, headcount=80, on_site=30, telework=40)
    _previous_declaration(company_a, weeks=1, headcount=100, on_site=40, telework=50)

    declaration = declaration_start(campaign=campaign, company=company_a, user=declarant_a)

    assert declaration.headcount == 100


def test_it_does_not_prefill_from_an_unsubmitted_declaration(campaign, company_a, declarant_a):
    _previous_declaration(company_a, status=Declaration.Status.DRAFT)

    declaration = declaration_start(campaign=campaign, company=company_a, user=declarant_a)

    assert declaration.headcount is None
    assert not declaration.regional_lines.exists()


def test_it_does_not_prefill_from_another_company(campaign, company_a, company_b, declarant_a):
    _previous_declaration(company_b)

    declaration = declaration_start(campaign=campaign, company=company_a, user=declarant_a)

    assert declaration.headcount is None


def test_the_prefill_is_recorded_in_the_history_with_who_did_it(campaign, company_a, declarant_a):
    _previous_declaration(company_a)

    declaration = declaration_start(campaign=campaign, company=company_a, user=declarant_a)

    assert declaration.history.latest().history_user == declarant_a
    line_history = declaration.regional_lines.first().history.get()
    assert (line_history.history_type, line_history.history_user) == ("+", declarant_a)


def test_it_refuses_a_closed_campaign(company_a, declarant_a):
    closed = CampaignFactory(status=Campaign.Status.CLOSED)

    with pytest.raises(DeclarationError, match="clôturée"):
        declaration_start(campaign=closed, company=company_a, user=declarant_a)
    assert not Declaration.objects.exists()


def test_it_refuses_a_campaign_past_its_lock_date(company_a, declarant_a):
    locked = CampaignFactory(period_start=datetime.date(2020, 2, 3))

    with pytest.raises(DeclarationError):
        declaration_start(campaign=locked, company=company_a, user=declarant_a)
    assert not Declaration.objects.exists()


def test_it_refuses_a_campaign_not_open_yet(company_a, declarant_a):
    future = CampaignFactory(period_start=datetime.date(2020, 3, 30))

    with pytest.raises(DeclarationError, match="pas encore ouverte"):
        declaration_start(campaign=future, company=company_a, user=declarant_a)


def test_it_says_which_declaration_it_was_prefilled_from(campaign, company_a, declarant_a):
    previous = _previous_declaration(company_a)

    declaration = declaration_start(campaign=campaign, company=company_a, user=declarant_a)

    assert declaration.prefilled_from == previous


def test_a_declaration_started_without_a_previous_one_was_not_prefilled(campaign, company_a, declarant_a):
    declaration = declaration_start(campaign=campaign, company=company_a, user=declarant_a)

    assert declaration.prefilled_from is None


def test_figures_that_todays_submission_rules_refuse_are_prefilled_for_the_member_to_check(
    campaign, company_a, declarant_a
):
    _previous_declaration(company_a, headcount=100, on_site=40, telework=50)
    Declaration.objects.filter(campaign__status=Campaign.Status.CLOSED).update(on_site=400)

    declaration = declaration_start(campaign=campaign, company=company_a, user=declarant_a)

    assert (declaration.headcount, declaration.on_site) == (100, 400)
    assert "on_site" in submission_errors(declaration, list(declaration.regional_lines.all()))
