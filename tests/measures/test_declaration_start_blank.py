import datetime

import pytest

from measures.models import Campaign, Declaration, DeclarationMeasure, DeclarationRegion, Measure
from measures.services import DeclarationConflict, declaration_start, declaration_start_blank
from tests.factories import CampaignFactory, DeclarationFactory, DeclarationMeasureFactory, DeclarationRegionFactory
from tests.portal.declaration_data import AFTER_LOCK_DATE

pytestmark = pytest.mark.usefixtures("on_collection_day")


@pytest.fixture
def prefilled(campaign, company_a, declarant_a):
    earlier = CampaignFactory(period_start=datetime.date(2020, 3, 9), status=Campaign.Status.CLOSED)
    previous = DeclarationFactory(
        campaign=earlier, company=company_a, status=Declaration.Status.APPROVED, keeps_hr_on_site=True
    )
    DeclarationRegionFactory(declaration=previous)
    DeclarationMeasureFactory(declaration=previous, measure=Measure.objects.get(code="masks"))
    return declaration_start(campaign=campaign, company=company_a, user=declarant_a)


def _start_blank(declaration, user, version=None) -> Declaration:
    return declaration_start_blank(
        declaration=declaration, user=user, expected_version=declaration.version if version is None else version
    )


def test_it_empties_every_figure(prefilled, declarant_a):
    blank = _start_blank(prefilled, declarant_a)

    blank.refresh_from_db()
    assert (blank.headcount, blank.on_site, blank.activity_maintained_pct) == (None, None, None)
    assert blank.keeps_hr_on_site is False
    assert blank.difficulties == ""


def test_it_removes_the_regional_lines_and_the_measure_answers(prefilled, declarant_a):
    _start_blank(prefilled, declarant_a)

    assert not DeclarationRegion.objects.filter(declaration=prefilled).exists()
    assert not DeclarationMeasure.objects.filter(declaration=prefilled).exists()


def test_it_forgets_where_the_figures_came_from(prefilled, declarant_a):
    assert prefilled.prefilled_from is not None

    blank = _start_blank(prefilled, declarant_a)

    blank.refresh_from_db()
    assert blank.prefilled_from is None


def test_it_moves_the_version_on(prefilled, declarant_a):
    blank = _start_blank(prefilled, declarant_a)

    assert blank.version == prefilled.version + 1


def test_the_history_keeps_what_was_emptied_and_who_did_it(prefilled, declarant_a):
    _start_blank(prefilled, declarant_a)

    before, after = prefilled.history.order_by("-history_id")[1], prefilled.history.order_by("-history_id")[0]
    assert (before.headcount, after.headcount, after.history_user) == (100, None, declarant_a)
    removed = DeclarationRegion.history.get(history_type="-")
    assert (removed.headcount, removed.history_user) == (100, declarant_a)


def test_it_refuses_a_stale_version_and_empties_nothing(prefilled, declarant_a):
    with pytest.raises(DeclarationConflict, match="modifiée entre-temps"):
        _start_blank(prefilled, declarant_a, version=prefilled.version - 1)

    prefilled.refresh_from_db()
    assert prefilled.headcount == 100
    assert DeclarationRegion.objects.filter(declaration=prefilled).exists()


def test_it_refuses_a_submitted_declaration(campaign, company_a, declarant_a):
    submitted = DeclarationFactory(campaign=campaign, company=company_a, status=Declaration.Status.SUBMITTED)

    with pytest.raises(DeclarationConflict, match="déjà été soumise"):
        _start_blank(submitted, declarant_a)

    submitted.refresh_from_db()
    assert submitted.headcount == 100


def test_it_refuses_after_the_lock_date(prefilled, declarant_a, on_collection_day):
    on_collection_day.move_to(AFTER_LOCK_DATE)

    with pytest.raises(DeclarationConflict, match="clôturée"):
        _start_blank(prefilled, declarant_a)
