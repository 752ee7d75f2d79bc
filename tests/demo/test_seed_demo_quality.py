"""The demo shows the reviewer what the quality flags are for: two typing errors wait for review
in the open campaign."""

import pytest

from measures.models import Campaign, Declaration
from members.models import Company
from quality.flags import FlagKind
from quality.selectors import declarations_with_flags

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("seeded")]


def _waiting_members_flags() -> dict[str, set[tuple[str, str]]]:
    waiting = Declaration.objects.filter(
        campaign__status=Campaign.Status.OPEN,
        status=Declaration.Status.SUBMITTED,
        company__segment=Company.Segment.MEMBER,
    ).select_related("company")
    return {
        declaration.company.trade_name: {(flag.kind, flag.figure) for flag in declaration.quality_flags}
        for declaration in declarations_with_flags(waiting)
    }


def test_a_member_waiting_for_review_declared_an_export_revenue_ten_times_off():
    flagged = [
        name for name, flags in _waiting_members_flags().items() if (FlagKind.SEGMENT, "export_revenue") in flags
    ]

    assert len(flagged) == 1


def test_a_member_waiting_for_review_swapped_on_site_and_telework():
    flagged = [name for name, flags in _waiting_members_flags().items() if (FlagKind.SHARE_JUMP, "telework") in flags]

    assert len(flagged) == 1


def test_the_other_members_waiting_for_review_are_not_flagged():
    flags = _waiting_members_flags()

    assert len(flags) >= 5
    assert sum(1 for found in flags.values() if found) == 2
