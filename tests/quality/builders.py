"""Weekly declarations with chosen figures, for the quality tests: a company's series is a list
of telework counts (out of 100 staff unless told) and export revenues."""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from measures.models import Campaign, Declaration
from members.models import Company
from tests.factories import CampaignFactory, DeclarationFactory

FIRST_MONDAY = datetime.date(2020, 3, 16)


def weeks(count: int) -> list[Campaign]:
    return [
        CampaignFactory(
            title=f"Semaine {week + 1}",
            period_start=FIRST_MONDAY + datetime.timedelta(weeks=week),
            status=Campaign.Status.CLOSED,
        )
        for week in range(count)
    ]


def declare(
    company: Company,
    campaign: Campaign,
    *,
    telework: int = 50,
    headcount: int = 100,
    export_revenue: int = 100_000,
    status: str = Declaration.Status.APPROVED,
    **fields,
) -> Declaration:
    """A consistent declaration: whoever does not telework is on site."""
    values = {
        "headcount": headcount,
        "telework": telework,
        "on_site": headcount - telework,
        "technical_unemployment": 0,
        "other_absence": 0,
        "hires": 2,
        "separations": 2,
        "dismissals": 0,
        "export_revenue": Decimal(export_revenue),
        "activity_maintained_pct": 80,
        **fields,
    }
    return DeclarationFactory(company=company, campaign=campaign, status=status, **values)


def series(
    company: Company,
    campaigns: Sequence[Campaign],
    *,
    telework: Sequence[int] | None = None,
    export_revenue: Sequence[int] | None = None,
    **fields,
) -> list[Declaration]:
    """One approved declaration a week; the last one is submitted, waiting for review."""
    declarations = []
    for week, campaign in enumerate(campaigns):
        values = dict(fields)
        if telework is not None:
            values["telework"] = telework[week]
        if export_revenue is not None:
            values["export_revenue"] = export_revenue[week]
        last = week == len(campaigns) - 1
        status = Declaration.Status.SUBMITTED if last else Declaration.Status.APPROVED
        declarations.append(declare(company, campaign, status=status, **values))
    return declarations


# Eight quiet weeks (seven changes of a point or three), then this week.
QUIET_TELEWORK = [50, 51, 49, 52, 52, 51, 53, 52]
QUIET_REVENUE = [100_000, 102_000, 99_000, 101_000, 100_000, 103_000, 101_000, 100_000]
