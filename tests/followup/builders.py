"""Rows the follow-up tests share."""

import datetime
from zoneinfo import ZoneInfo

from measures.models import Declaration
from tests.factories import DeclarationFactory

CASABLANCA = ZoneInfo("Africa/Casablanca")
# A Wednesday: the week of 3 to 9 June 2024 is being collected, due on Thursday 13.
TODAY = datetime.datetime(2024, 6, 12, 10, 0, tzinfo=CASABLANCA)


def submitted(campaign, company, *, at: datetime.datetime = TODAY, status: str = Declaration.Status.SUBMITTED):
    """A declaration the company sent at `at`."""
    return DeclarationFactory(campaign=campaign, company=company, status=status, submitted_at=at)
