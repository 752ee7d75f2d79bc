import pytest

from measures.models import Declaration, DeclarationMeasure, DeclarationRegion, Measure
from measures.services import (
    DeclarationConflict,
    DeclarationError,
    MeasureAnswerInput,
    RegionalLineInput,
    declaration_save_draft,
)
from tests.factories import DeclarationFactory, DeclarationMeasureFactory, DeclarationRegionFactory, region
from tests.measures.service_inputs import COMPLETE_FIGURES, answer, line
from tests.portal.declaration_data import AFTER_LOCK_DATE

pytestmark = pytest.mark.usefixtures("on_collection_day")


@pytest.fixture
def draft(campaign, company_a):
    return Declaration.objects.create(campaign=campaign, company=company_a)


def _save(draft, user, *, data=None, lines=(), answers=(), version=None) -> Declaration:
    return declaration_save_draft(
        declaration=draft,
        data=data if data is not None else {},
        lines=list(lines),
        answers=list(answers),
        user=user,
        expected_version=draft.version if version is None else version,
    )


def test_it_keeps_partial_work(draft, declarant_a):
    _save(draft, declarant_a, data={"headcount": 120})

    draft.refresh_from_db()
    assert draft.headcount == 120
    assert draft.on_site is None
    assert draft.status == Declaration.Status.DRAFT


def test_every_save_increments_the_version(draft, declarant_a):
    saved = _save(draft, declarant_a, data={"headcount": 120})
    saved = _save(saved, declarant_a, data={"headcount": 121})

    assert saved.version == 3


def test_it_refuses_a_stale_version_and_keeps_the_first_save(draft, declarant_a, company_admin_a):
    loaded_by_both = draft.version
    _save(draft, declarant_a, data={"headcount": 120}, version=loaded_by_both)

    with pytest.raises(DeclarationConflict, match="modifiée entre-temps"):
        _save(draft, company_admin_a, data={"headcount": 999}, version=loaded_by_both)

    draft.refresh_from_db()
    assert (draft.headcount, draft.version) == (120, 2)


def test_it_refuses_a_negative_figure_and_saves_nothing(draft, declarant_a):
    with pytest.raises(DeclarationError) as caught:
        _save(draft, declarant_a, data={"headcount": 10, "on_site": -5}, lines=[line(headcount=10, on_site=5)])

    assert list(caught.value.message_dict) == ["on_site"]
    draft.refresh_from_db()
    assert (draft.headcount, draft.version) == (None, 1)
    assert not DeclarationRegion.objects.exists()


def test_a_draft_need_not_add_up(draft, declarant_a):
    _save(draft, declarant_a, data={"headcount": 100, "on_site": 10}, lines=[line(headcount=30, on_site=0, telework=0)])

    assert DeclarationRegion.objects.get().headcount == 30


def test_a_draft_keeps_parts_above_the_headcount(draft, declarant_a):
    _save(draft, declarant_a, data={"headcount": 10, "on_site": 50, "telework": 20})

    draft.refresh_from_db()
    assert (draft.headcount, draft.on_site, draft.telework, draft.version) == (10, 50, 20, 2)


def test_a_draft_keeps_a_region_with_more_on_site_and_telework_than_its_headcount(draft, declarant_a):
    _save(draft, declarant_a, lines=[line(headcount=10, on_site=8, telework=7)])

    stored = DeclarationRegion.objects.get()
    assert (stored.headcount, stored.on_site, stored.telework) == (10, 8, 7)


def test_a_draft_keeps_more_dismissals_than_separations(draft, declarant_a):
    _save(draft, declarant_a, data={"separations": 1, "dismissals": 4})

    draft.refresh_from_db()
    assert (draft.separations, draft.dismissals) == (1, 4)


def test_a_draft_keeps_more_employees_concerned_than_the_headcount(draft, declarant_a):
    masks = Measure.objects.get(code="masks")

    _save(draft, declarant_a, data={"headcount": 10}, answers=[answer(masks, employees=30)])

    assert DeclarationMeasure.objects.get().employees_concerned == 30


def test_it_stores_the_regional_lines_and_answers(draft, declarant_a):
    masks = Measure.objects.get(code="masks")

    _save(draft, declarant_a, lines=[line("MA-06"), line("MA-01", 20, 5, 5)], answers=[answer(masks, employees=30)])

    assert set(draft.regional_lines.values_list("region__code", flat=True)) == {"MA-06", "MA-01"}
    stored = DeclarationMeasure.objects.get()
    assert (stored.measure, stored.status, stored.employees_concerned) == (masks, "in_place", 30)


def test_it_updates_adds_and_removes_lines_to_match_the_form(draft, declarant_a):
    DeclarationRegionFactory(declaration=draft, region=region("MA-06"), headcount=50, on_site=10, telework=10)
    kept = DeclarationRegionFactory(declaration=draft, region=region("MA-01"), headcount=20, on_site=5, telework=5)
    DeclarationRegionFactory(declaration=draft, region=region("MA-02"), headcount=30, on_site=5, telework=5)

    _save(draft, declarant_a, lines=[line("MA-06", 60, 10, 10), line("MA-01", 20, 5, 5), line("MA-03", 20, 0, 0)])

    lines = {line.region.code: line.headcount for line in draft.regional_lines.all()}
    assert lines == {"MA-06": 60, "MA-01": 20, "MA-03": 20}
    assert draft.regional_lines.get(region__code="MA-01").pk == kept.pk


def test_the_history_records_each_line_change_with_who_made_it(draft, declarant_a):
    DeclarationRegionFactory(declaration=draft, region=region("MA-06"), headcount=50, on_site=10, telework=10)
    DeclarationRegionFactory(declaration=draft, region=region("MA-02"), headcount=30, on_site=5, telework=5)

    _save(draft, declarant_a, lines=[line("MA-06", 60, 10, 10), line("MA-03", 20, 0, 0)])

    changes = {
        (row.region.code, row.history_type, row.headcount)
        for row in DeclarationRegion.history.filter(history_user=declarant_a).select_related("region")
    }
    assert changes == {("MA-06", "~", 60), ("MA-02", "-", 30), ("MA-03", "+", 20)}


def test_an_unchanged_line_leaves_no_history(draft, declarant_a):
    DeclarationRegionFactory(declaration=draft, region=region("MA-06"), headcount=50, on_site=10, telework=10)

    _save(draft, declarant_a, lines=[line("MA-06", 50, 10, 10)])

    assert not DeclarationRegion.history.filter(history_user=declarant_a).exists()


def test_the_declarations_history_says_who_saved_what(draft, declarant_a):
    _save(draft, declarant_a, data={"headcount": 120})

    # The clock is frozen: order by id, history_date ties.
    created, saved = draft.history.order_by("history_id")
    assert (saved.history_user, saved.headcount) == (declarant_a, 120)
    assert sorted(saved.diff_against(created).changed_fields) == ["headcount", "version"]


def test_clearing_an_answer_removes_it(draft, declarant_a):
    DeclarationMeasureFactory(declaration=draft, measure=Measure.objects.get(code="masks"))

    _save(draft, declarant_a, answers=[])

    assert not DeclarationMeasure.objects.exists()
    assert DeclarationMeasure.history.filter(history_type="-", history_user=declarant_a).count() == 1


def test_it_refuses_a_region_twice(draft, declarant_a):
    with pytest.raises(DeclarationError, match="deux fois"):
        _save(draft, declarant_a, lines=[line("MA-06", 10, 0, 0), line("MA-06", 20, 0, 0)])
    assert not DeclarationRegion.objects.exists()


def test_it_refuses_an_unknown_region(draft, declarant_a):
    with pytest.raises(DeclarationError, match="région inconnue"):
        _save(draft, declarant_a, lines=[RegionalLineInput(region_id=987654, headcount=10)])


def test_it_refuses_a_measure_outside_the_catalogue(draft, declarant_a):
    with pytest.raises(DeclarationError, match="catalogue"):
        _save(draft, declarant_a, answers=[MeasureAnswerInput(measure_id=987654, status="in_place")])


def test_it_refuses_a_retired_measure(draft, declarant_a):
    retired = Measure.objects.create(code="retired", category="sanitary", name_fr="Ancienne", is_active=False)

    with pytest.raises(DeclarationError, match="catalogue"):
        _save(draft, declarant_a, answers=[answer(retired)])


def test_it_refuses_an_unknown_answer_status(draft, declarant_a):
    with pytest.raises(DeclarationError):
        _save(draft, declarant_a, answers=[answer(Measure.objects.get(code="masks"), status="maybe")])
    assert not DeclarationMeasure.objects.exists()


def test_it_forgets_an_employee_count_on_a_measure_that_asks_for_none(draft, declarant_a):
    hygiene = Measure.objects.get(code="hygiene-protocol")

    _save(draft, declarant_a, answers=[answer(hygiene, employees=30)])

    assert DeclarationMeasure.objects.get().employees_concerned is None


def test_it_refuses_a_field_members_do_not_fill(draft, declarant_a):
    with pytest.raises(ValueError, match="status"):
        _save(draft, declarant_a, data={"status": Declaration.Status.APPROVED})


def test_it_refuses_a_submitted_declaration(campaign, company_a, declarant_a):
    submitted = DeclarationFactory(campaign=campaign, company=company_a, status=Declaration.Status.SUBMITTED)

    with pytest.raises(DeclarationConflict, match="déjà été soumise"):
        _save(submitted, declarant_a, data=COMPLETE_FIGURES)


def test_it_refuses_after_the_lock_date(draft, declarant_a, on_collection_day):
    on_collection_day.move_to(AFTER_LOCK_DATE)

    with pytest.raises(DeclarationConflict, match="clôturée"):
        _save(draft, declarant_a, data={"headcount": 120})
    draft.refresh_from_db()
    assert draft.headcount is None


def test_a_returned_declaration_stays_returned_when_saved(campaign, company_a, declarant_a):
    returned = DeclarationFactory(campaign=campaign, company=company_a, status=Declaration.Status.RETURNED)

    saved = _save(returned, declarant_a, data={"headcount": 100})

    assert saved.status == Declaration.Status.RETURNED
