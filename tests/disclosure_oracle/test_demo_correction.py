"""The demo's week of 30 March, corrected by adding one small informal operator: revision 2 minus
revision 1 must not give that company's declaration back (issue 7). On main it does: headcount 74,
on site 36, telework 17, technical unemployment 17, other absences 4, separations 1, dismissals 1,
export revenue 80,900 MAD, its measures and its registered headcount."""

import pytest

from bulletins.models import BulletinRevision
from measures.models import Declaration
from tests.disclosure_oracle.oracle import Audit, audit_bulletin

pytestmark = pytest.mark.slow

# The audit reads the same seeded demo in every test of this module (each test's writes are rolled
# back): computed once.
_audits: dict[str, Audit] = {}


@pytest.fixture
def corrected_bulletin(seeded) -> str:
    return BulletinRevision.objects.get(number=2).bulletin.slug


@pytest.fixture
def audit(corrected_bulletin, anonymous_client) -> Audit:
    if corrected_bulletin not in _audits:
        _audits[corrected_bulletin] = audit_bulletin(anonymous_client, corrected_bulletin)
    return _audits[corrected_bulletin]


def test_the_demo_correction_approved_one_small_informal_operator_after_revision_1(corrected_bulletin):
    first = BulletinRevision.objects.get(bulletin__slug=corrected_bulletin, number=1)
    counted = {item["id"] for item in first.internal["declarations"]}

    approved = Declaration.objects.approved().for_campaign(first.bulletin.campaign).select_related("company")
    late = [d.company for d in approved if d.pk not in counted]
    assert approved.count() == len(counted) + 1
    assert [(c.segment, c.formality) for c in late] == [("small", "informal")]


def test_the_oracle_reads_both_revisions_of_the_corrected_bulletin(audit):
    assert audit.revisions == 2
    assert audit.sensitive > 0


def test_revision_2_minus_revision_1_does_not_give_the_added_operator_away(audit):
    audit.about_corrections().assert_no_leaks()


def test_no_figure_of_the_corrected_demo_bulletin_is_narrowed_below_its_protection_level(audit):
    audit.assert_no_leaks()
