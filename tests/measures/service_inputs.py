"""Inputs of the declaration services as the portal's forms hand them over."""

from typing import Any

from measures.services import MeasureAnswerInput, RegionalLineInput
from tests.factories import region

COMPLETE_FIGURES: dict[str, Any] = {
    "headcount": 100,
    "on_site": 40,
    "telework": 50,
    "technical_unemployment": 5,
    "other_absence": 5,
    "hires": 2,
    "separations": 3,
    "dismissals": 1,
    "export_revenue": 150000,
    "activity_maintained_pct": 80,
}


def line(code: str = "MA-06", headcount: int = 100, on_site: int = 40, telework: int = 50) -> RegionalLineInput:
    return RegionalLineInput(region_id=region(code).pk, headcount=headcount, on_site=on_site, telework=telework)


def answer(measure, status: str = "in_place", employees: int | None = None) -> MeasureAnswerInput:
    return MeasureAnswerInput(measure_id=measure.pk, status=status, employees_concerned=employees)
