import datetime

import pytest

from measures.models import Campaign, Declaration, DeclarationEvent, DeclarationRegion
from measures.services import (
    DeclarationConflict,
    DeclarationError,
    DeclarationNeedsConfirmation,
    declaration_save_draft,
    declaration_submit,
)
from measures.validation import regional_line_key
from tests.factories import CampaignFactory, DeclarationFactory, DeclarationRegionFactory, region
from tests.measures.service_inputs import COMPLETE_FIGURES, line
from tests.portal.declaration_data import AFTER_DUE_DATE, AFTER_LOCK_DATE, COLLECTION_DAY

pytestmark = pytest.mark.usefixtures("on_collection_day")


@pytest.fixture
def draft(campaign, company_a):
    return Declaration.objects.create(campaign=campaign, company=company_a)


def _submit(declaration, user, *, data=None, lines=None, version=None, confirm_warnings=False) -> Declaration:
    return declaration_submit(
        declaration=declaration,
        data=COMPLETE_FIGURES if data is None else data,
        lines=[line()] if lines is None else lines,
        answers=[],
        user=user,
        expected_version=declaration.version if version is None else version,
        confirm_warnings=confirm_warnings,
    )


def _previous_with_headcount(company, headcount: int) -> Declaration:
    earlier = CampaignFactory(period_start=datetime.date(2020, 3, 9), status=Campaign.Status.CLOSED)
    previous = DeclarationFactory(
        campaign=earlier,
        company=company,
        status=Declaration.Status.APPROVED,
        headcount=headcount,
        on_site=headcount,
        telework=0,
        technical_unemployment=0,
        other_absence=0,
    )
    return previous


def test_it_submits_a_complete_declaration(draft, declarant_a):
    submitted = _submit(draft, declarant_a)

    assert submitted.status == Declaration.Status.SUBMITTED
    assert (submitted.submitted_at, submitted.submitted_by) == (COLLECTION_DAY, declarant_a)
    assert submitted.headcount == 100
    assert DeclarationRegion.objects.get().headcount == 100


def test_it_records_the_submission_with_who_and_when(draft, declarant_a):
    _submit(draft, declarant_a)

    event = DeclarationEvent.objects.get()
    assert (event.action, event.actor, event.at, event.late) == ("submitted", declarant_a, COLLECTION_DAY, False)


def test_it_refuses_an_incomplete_declaration_and_saves_nothing(draft, declarant_a):
    with pytest.raises(DeclarationError) as caught:
        _submit(draft, declarant_a, data={**COMPLETE_FIGURES, "hires": None})

    assert "hires" in caught.value.message_dict
    draft.refresh_from_db()
    assert (draft.status, draft.headcount, draft.version) == (Declaration.Status.DRAFT, None, 1)
    assert not DeclarationRegion.objects.exists()
    assert not DeclarationEvent.objects.exists()


def test_it_refuses_parts_that_do_not_add_up_to_the_headcount(draft, declarant_a):
    with pytest.raises(DeclarationError, match="totaliser"):
        _submit(draft, declarant_a, data={**COMPLETE_FIGURES, "other_absence": 9})


def test_it_refuses_regional_lines_that_do_not_add_up(draft, declarant_a):
    with pytest.raises(DeclarationError) as caught:
        _submit(draft, declarant_a, lines=[line(headcount=90, on_site=40, telework=50)])

    assert "totalise 90 au lieu de 100" in " ".join(caught.value.message_dict["regional_lines"])


def test_it_refuses_a_declaration_without_regional_breakdown(draft, declarant_a):
    with pytest.raises(DeclarationError, match="Répartissez"):
        _submit(draft, declarant_a, lines=[])


def test_it_reports_each_problem_once(draft, declarant_a):
    with pytest.raises(DeclarationError) as caught:
        _submit(draft, declarant_a, data={**COMPLETE_FIGURES, "on_site": 400})

    messages = caught.value.message_dict["on_site"]
    assert len(messages) == len(set(messages)) == 1


def test_it_refuses_a_saved_inconsistent_draft_with_every_error_at_once(draft, declarant_a):
    inconsistent = {**COMPLETE_FIGURES, "hires": None, "on_site": 45, "separations": 1, "dismissals": 2}
    saved = declaration_save_draft(
        declaration=draft,
        data=inconsistent,
        lines=[line(headcount=90, on_site=60, telework=50)],
        answers=[],
        user=declarant_a,
        expected_version=draft.version,
    )

    with pytest.raises(DeclarationError) as caught:
        _submit(saved, declarant_a, data=inconsistent, lines=[line(headcount=90, on_site=60, telework=50)])

    assert set(caught.value.message_dict) == {
        "hires",
        "headcount",
        "dismissals",
        "regional_lines",
        regional_line_key(region("MA-06").pk),
    }
    saved.refresh_from_db()
    assert (saved.status, saved.version) == (Declaration.Status.DRAFT, 2)


def test_it_says_what_to_confirm_together_with_the_errors(draft, company_a, declarant_a):
    _previous_with_headcount(company_a, 70)

    with pytest.raises(DeclarationError) as caught:
        _submit(draft, declarant_a, data={**COMPLETE_FIGURES, "hires": None})

    assert list(caught.value.message_dict) == ["hires"]
    assert "passe de 70 à 100" in caught.value.warnings[0]


def test_a_confirmed_warning_is_not_repeated_with_the_errors(draft, company_a, declarant_a):
    _previous_with_headcount(company_a, 70)

    with pytest.raises(DeclarationError) as caught:
        _submit(draft, declarant_a, data={**COMPLETE_FIGURES, "hires": None}, confirm_warnings=True)

    assert caught.value.warnings == []


def test_it_asks_to_confirm_a_headcount_jump_of_more_than_25_percent(draft, company_a, declarant_a):
    _previous_with_headcount(company_a, 70)

    with pytest.raises(DeclarationNeedsConfirmation) as caught:
        _submit(draft, declarant_a)

    assert "passe de 70 à 100" in caught.value.warnings[0]
    draft.refresh_from_db()
    assert (draft.status, draft.headcount) == (Declaration.Status.DRAFT, None)


def test_a_confirmed_headcount_jump_is_submitted_and_recorded(draft, company_a, declarant_a):
    _previous_with_headcount(company_a, 70)

    submitted = _submit(draft, declarant_a, confirm_warnings=True)

    assert submitted.status == Declaration.Status.SUBMITTED
    assert submitted.headcount_change_confirmed is True


def test_a_change_under_25_percent_needs_no_confirmation(draft, company_a, declarant_a):
    _previous_with_headcount(company_a, 90)

    submitted = _submit(draft, declarant_a)

    assert submitted.headcount_change_confirmed is False


def test_a_submission_after_the_due_date_is_accepted_and_marked_late(draft, declarant_a, on_collection_day):
    on_collection_day.move_to(AFTER_DUE_DATE)

    submitted = _submit(draft, declarant_a)

    assert submitted.is_late
    assert DeclarationEvent.objects.get().late is True


def test_the_lateness_is_stored_with_the_submission(draft, declarant_a, on_collection_day):
    on_collection_day.move_to(AFTER_DUE_DATE)

    _submit(draft, declarant_a)

    assert Declaration.objects.late().get() == draft
    assert not Declaration.objects.on_time().exists()


def test_a_submission_on_the_due_date_is_on_time(draft, declarant_a, on_collection_day):
    on_collection_day.move_to(
        datetime.datetime.combine(draft.campaign.due_on, datetime.time(23, 30), COLLECTION_DAY.tzinfo)
    )

    submitted = _submit(draft, declarant_a)

    assert not submitted.is_late


def test_a_submission_after_the_lock_date_is_refused(draft, declarant_a, on_collection_day):
    on_collection_day.move_to(AFTER_LOCK_DATE)

    with pytest.raises(DeclarationConflict, match="clôturée"):
        _submit(draft, declarant_a)
    assert not DeclarationEvent.objects.exists()


def test_a_submission_to_a_closed_campaign_is_refused(draft, declarant_a):
    Campaign.objects.filter(pk=draft.campaign_id).update(status=Campaign.Status.CLOSED)

    with pytest.raises(DeclarationConflict, match="clôturée"):
        _submit(draft, declarant_a)


def test_a_second_submission_with_the_same_version_is_refused(draft, declarant_a):
    loaded_version = draft.version
    _submit(draft, declarant_a, version=loaded_version)

    with pytest.raises(DeclarationConflict, match="déjà été soumise"):
        _submit(draft, declarant_a, version=loaded_version)
    assert DeclarationEvent.objects.count() == 1


def test_a_returned_declaration_can_be_corrected_and_resubmitted(campaign, company_a, declarant_a):
    returned = DeclarationFactory(
        campaign=campaign, company=company_a, status=Declaration.Status.RETURNED, return_comment="Vérifiez"
    )
    DeclarationRegionFactory(declaration=returned)

    resubmitted = _submit(returned, declarant_a, data={**COMPLETE_FIGURES, "hires": 4})

    assert (resubmitted.status, resubmitted.hires) == (Declaration.Status.SUBMITTED, 4)
