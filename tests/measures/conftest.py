"""Fixtures for the declaration workflow tests (services, selectors, admin review)."""

import pytest
import time_machine

from measures.models import Declaration
from tests.factories import CampaignFactory, DeclarationFactory, DeclarationRegionFactory
from tests.portal.declaration_data import COLLECTION_DAY


@pytest.fixture
def on_collection_day():
    """A day the default campaign accepts declarations (opened, before its due date)."""
    with time_machine.travel(COLLECTION_DAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def campaign(db):
    return CampaignFactory(title="Semaine du 16 mars 2020")


@pytest.fixture
def submitted_declaration(campaign, company_a, declarant_a):
    """Company A's declaration, complete and submitted, waiting for staff."""
    declaration = DeclarationFactory(
        campaign=campaign,
        company=company_a,
        status=Declaration.Status.SUBMITTED,
        submitted_at=COLLECTION_DAY,
        submitted_by=declarant_a,
    )
    DeclarationRegionFactory(declaration=declaration)
    return declaration
