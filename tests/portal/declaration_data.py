"""Build the POST data of the declaration page as a browser would send it, so that tests can
change one thing (a figure, a line, an answer) and keep everything else valid."""

import datetime
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from measures.models import Declaration, Measure
from members.models import Region

CASABLANCA = ZoneInfo("Africa/Casablanca")
# CampaignFactory's campaign: period 16–22 March 2020, opens 23, due 26, locks 2 April.
COLLECTION_DAY = datetime.datetime(2020, 3, 24, 10, 0, tzinfo=CASABLANCA)
AFTER_DUE_DATE = datetime.datetime(2020, 3, 28, 10, 0, tzinfo=CASABLANCA)
AFTER_LOCK_DATE = datetime.datetime(2020, 4, 3, 10, 0, tzinfo=CASABLANCA)

FIGURES = {
    "headcount": 100,
    "on_site": 40,
    "telework": 50,
    "technical_unemployment": 5,
    "other_absence": 5,
    "hires": 2,
    "separations": 3,
    "dismissals": 1,
    "export_revenue": "150000.00",
    "activity_maintained_pct": 80,
    "difficulties": "",
}


def declaration_post_data(
    declaration: Declaration,
    *,
    action: str = "save",
    version: int | str | None = None,
    figures: dict[str, Any] | None = None,
    lines: Iterable[tuple[Any, Any, Any, Any]] | None = None,
    answers: dict[Any, tuple[str, Any]] | None = None,
    measures: Iterable[Any] | None = None,
    confirm_warnings: bool = False,
) -> dict[str, Any]:
    """The page's POST: `lines` are (region id, headcount, on site, telework); `answers` map a
    measure id to (status, employees concerned); `measures` are the measure rows sent (the
    whole active catalogue by default)."""
    data: dict[str, Any] = {
        "action": action,
        "version": declaration.version if version is None else version,
        **{name: "" if value is None else value for name, value in {**FIGURES, **(figures or {})}.items()},
    }
    if confirm_warnings:
        data["confirm_warnings"] = "on"

    if lines is None:
        lines = [(Region.objects.get(code="MA-06").pk, 100, 40, 50)]
    lines = list(lines)
    data.update({"lines-TOTAL_FORMS": len(lines), "lines-INITIAL_FORMS": 0, "lines-MAX_NUM_FORMS": 12})
    for index, (region_id, headcount, on_site, telework) in enumerate(lines):
        data[f"lines-{index}-region"] = region_id
        data[f"lines-{index}-headcount"] = headcount
        data[f"lines-{index}-on_site"] = on_site
        data[f"lines-{index}-telework"] = telework

    measure_ids = list(
        measures if measures is not None else Measure.objects.filter(is_active=True).values_list("pk", flat=True)
    )
    answers = answers or {}
    data.update(
        {"measures-TOTAL_FORMS": len(measure_ids), "measures-INITIAL_FORMS": len(measure_ids)},
    )
    for index, measure_id in enumerate(measure_ids):
        status, employees = answers.get(measure_id, ("", ""))
        data[f"measures-{index}-measure"] = measure_id
        data[f"measures-{index}-status"] = status
        data[f"measures-{index}-employees_concerned"] = "" if employees is None else employees
    return data
