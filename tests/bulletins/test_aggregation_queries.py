"""The snapshot is computed in the database in a fixed number of queries, whatever the number of
companies, regional lines and measure answers."""

import pytest

from bulletins.aggregation import campaign_snapshot
from measures.models import Declaration, DeclarationMeasure, Measure
from members.models import Company
from tests.factories import (
    CampaignFactory,
    CompanyFactory,
    DeclarationFactory,
    DeclarationMeasureFactory,
    DeclarationRegionFactory,
    region,
)

QUERIES = 12


@pytest.mark.parametrize("companies", [5, 50])
def test_the_snapshot_takes_the_same_number_of_queries_for_5_and_50_companies(
    db, companies, django_assert_max_num_queries
):
    campaign = CampaignFactory()
    measures = list(Measure.objects.filter(code__in=["masks", "cnss-allowance"]))
    for index in range(companies):
        company = CompanyFactory(
            segment=Company.Segment.MEMBER if index % 5 == 0 else Company.Segment.SMALL,
            formality=Company.Formality.values[index % 3],
        )
        declaration = DeclarationFactory(campaign=campaign, company=company, status=Declaration.Status.APPROVED)
        DeclarationRegionFactory(declaration=declaration, region=region(("MA-06", "MA-01", "MA-04")[index % 3]))
        for measure in measures:
            DeclarationMeasureFactory(
                declaration=declaration, measure=measure, status=DeclarationMeasure.Status.IN_PLACE
            )

    with django_assert_max_num_queries(QUERIES):
        snapshot, _internal = campaign_snapshot(campaign=campaign)

    assert snapshot["methodology"]["respondents"] == companies
