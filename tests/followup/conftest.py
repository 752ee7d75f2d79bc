"""A campaign in the middle of its collection, and the companies expected to answer it."""

import datetime

import pytest
import time_machine

from tests.factories import CampaignFactory
from tests.followup.builders import TODAY


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
