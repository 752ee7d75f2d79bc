"""A small registry with approved declarations, enough for the real aggregation to publish a
bulletin with some cells shown and some suppressed."""

import datetime

from django.utils import timezone

from measures.models import Campaign, Declaration
from tests.factories import CampaignFactory, CompanyFactory, DeclarationFactory, DeclarationRegionFactory, region


def closed_campaign(*, week: int = 0, title: str | None = None) -> Campaign:
    start = datetime.date(2020, 3, 16) + datetime.timedelta(weeks=week)
    return CampaignFactory(
        title=title or f"Semaine du {start:%d/%m/%Y}", period_start=start, status=Campaign.Status.CLOSED
    )


def approve_declarations(campaign: Campaign, companies: list, *, telework: int = 50) -> list[Declaration]:
    """One approved declaration of 100 employees per company, all in Casablanca-Settat."""
    submitted_at = timezone.make_aware(datetime.datetime.combine(campaign.opens_on, datetime.time(10)))
    declarations = []
    for company in companies:
        declaration = DeclarationFactory(
            campaign=campaign,
            company=company,
            status=Declaration.Status.APPROVED,
            headcount=100,
            on_site=90 - telework,
            telework=telework,
            technical_unemployment=5,
            other_absence=5,
            submitted_at=submitted_at,
            approved_at=submitted_at,
        )
        DeclarationRegionFactory(declaration=declaration, region=region("MA-06"))
        declarations.append(declaration)
    return declarations


def registry(*, members: int = 5, small: int = 3) -> list:
    return [CompanyFactory(segment="member") for _ in range(members)] + [
        CompanyFactory(segment="small", registered_headcount=20) for _ in range(small)
    ]
