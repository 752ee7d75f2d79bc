"""What a bulletin publishes: the figures summed per group and the columns of each table."""

from django.db.models import BigIntegerField, ExpressionWrapper, F

from measures.models import HEADCOUNT_PARTS
from members.models import Company

SCHEMA = "amrc-bulletin/1"
SEGMENTS = tuple(Company.Segment.values)
FORMALITIES = tuple(Company.Formality.values)
TOTAL = "total"
FLOWS = ("hires", "separations", "dismissals")
# Declared figures summed per cell; activity_weight is the activity maintained (%) × headcount,
# the numerator of the weighted average.
SUMMED = ("headcount", *HEADCOUNT_PARTS, *FLOWS, "export_revenue", "activity_weight")
REGIONAL = ("headcount", "on_site", "telework")
# A regional line's headcount splits into on site, telework and the rest (technical unemployment
# and other absences, which are not declared by region).
REGIONAL_PARTS = (*REGIONAL, "rest")
ESTIMATED = ("headcount", "on_site", "telework", "technical_unemployment")
SHARES = {f"{part}_share": part for part in HEADCOUNT_PARTS}


def activity_weight(declaration: str = "") -> ExpressionWrapper:
    """A declaration's activity_weight, read from the declaration at `declaration` (a relation's
    path with its "__", or the row itself)."""
    return ExpressionWrapper(
        F(f"{declaration}activity_maintained_pct") * F(f"{declaration}headcount"), output_field=BigIntegerField()
    )


FULL_COLUMNS = [
    "respondents",
    "headcount",
    *HEADCOUNT_PARTS,
    "on_site_share",
    "telework_share",
    "technical_unemployment_share",
    *FLOWS,
    "export_revenue",
    "activity_maintained_avg",
]
REGION_COLUMNS = ["respondents", "headcount", "on_site", "telework", "on_site_share", "telework_share"]
MEASURE_COLUMNS = ["in_place_share", "planned_share", "workforce_share"]
KEY_FIGURES = [
    "respondents",
    "headcount",
    "on_site_share",
    "telework_share",
    "technical_unemployment_share",
    "other_absence_share",
    *FLOWS,
    "export_revenue",
    "activity_maintained_avg",
]
KINDS = {"export_revenue": "money"}
