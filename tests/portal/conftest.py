import pytest
import time_machine

from tests.factories import CampaignFactory
from tests.portal.declaration_data import COLLECTION_DAY


@pytest.fixture(autouse=True)
def collection_day():
    """Portal tests run on a day the default campaign accepts declarations, unless they travel."""
    with time_machine.travel(COLLECTION_DAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def campaign(db):
    return CampaignFactory(title="Semaine du 16 mars 2020")
