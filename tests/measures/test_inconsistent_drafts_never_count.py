"""A draft may be saved inconsistent; only submission rules let a declaration through, and staff
review and the bulletins read only what passed them: an inconsistent draft is never approved and
never counted."""

import pytest

from bulletins.aggregation import campaign_snapshot
from measures.models import Declaration
from measures.services import DeclarationConflict, declaration_approve, declaration_save_draft, declarations_approve
from tests.measures.service_inputs import COMPLETE_FIGURES, line

pytestmark = pytest.mark.usefixtures("on_collection_day")


@pytest.fixture
def inconsistent_draft(campaign, company_a, declarant_a):
    draft = Declaration.objects.create(campaign=campaign, company=company_a)
    return declaration_save_draft(
        declaration=draft,
        data={**COMPLETE_FIGURES, "on_site": 900},
        lines=[line(headcount=5000, on_site=4000, telework=3000)],
        answers=[],
        user=declarant_a,
        expected_version=draft.version,
    )


def test_staff_cannot_approve_an_inconsistent_draft(inconsistent_draft, staff_user):
    with pytest.raises(DeclarationConflict, match="Seule une déclaration soumise"):
        declaration_approve(declaration=inconsistent_draft, user=staff_user)

    inconsistent_draft.refresh_from_db()
    assert inconsistent_draft.status == Declaration.Status.DRAFT


def test_bulk_approval_leaves_an_inconsistent_draft_alone(inconsistent_draft, staff_user):
    approved = declarations_approve(queryset=Declaration.objects.all(), user=staff_user)

    assert approved == 0
    assert not Declaration.objects.approved().exists()


def test_the_bulletin_counts_nothing_of_an_inconsistent_draft(inconsistent_draft):
    snapshot, _internal = campaign_snapshot(campaign=inconsistent_draft.campaign)

    assert snapshot["key_figures"]["respondents"]["value"] == 0
    assert snapshot["key_figures"]["headcount"]["value"] == 0
