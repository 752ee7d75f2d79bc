"""A campaign in the middle of its collection, and the companies expected to answer it."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from measures.models import Declaration
from tests.factories import CampaignFactory, DeclarationFactory

CASABLANCA = ZoneInfo("Africa/Casablanca")
# A Wednesday: the week of 3 to 9 June 2024 is being collected, due on Thursday 13.
TODAY = datetime.datetime(2024, 6, 12, 10, 0, tzinfo=CASABLANCA)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def open_campaign(db):
    return CampaignFactory(
        title="Semaine du 3 juin 2024",
        period_start=datetime.date(2024, 6, 3),
        opens_on=datetime.date(2024, 6, 10),
        due_on=datetime.date(2024, 6, 13),
        locks_on=datetime.date(2024, 6, 20),
    )


def submitted(campaign, company, *, at: datetime.datetime = TODAY, status: str = Declaration.Status.SUBMITTED):
    """A declaration the company sent at `at`."""
    return DeclarationFactory(campaign=campaign, company=company, status=status, submitted_at=at)
