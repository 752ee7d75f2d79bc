"""A valid public snapshot (schema amrc-bulletin/1) built by hand, so that the pages, files and
feed can be tested on known figures, with some cells suppressed, independently of the aggregation."""

import copy

SEGMENTS = ("member", "small")
FORMALITIES = ("formal", "unverified", "informal")
FULL_COLUMNS = [
    "respondents",
    "headcount",
    "on_site",
    "telework",
    "technical_unemployment",
    "other_absence",
    "on_site_share",
    "telework_share",
    "technical_unemployment_share",
    "hires",
    "separations",
    "dismissals",
    "export_revenue",
    "activity_maintained_avg",
]
REGION_COLUMNS = ["respondents", "headcount", "on_site", "telework", "on_site_share", "telework_share"]


def cell(value, flag=None) -> dict:
    return {"value": None if flag else value, "flag": flag}


def suppressed() -> dict:
    return cell(None, "c")


def _full_cells(headcount: int, on_site_share: float, telework_share: float, respondents: int) -> dict:
    technical_unemployment_share = round(1 - on_site_share - telework_share - 0.04, 4)
    on_site = round(headcount * on_site_share)
    telework = round(headcount * telework_share)
    technical_unemployment = round(headcount * technical_unemployment_share)
    return {
        "respondents": cell(respondents),
        "headcount": cell(headcount),
        "on_site": cell(on_site),
        "telework": cell(telework),
        "technical_unemployment": cell(technical_unemployment),
        "other_absence": cell(headcount - on_site - telework - technical_unemployment),
        "on_site_share": cell(on_site_share),
        "telework_share": cell(telework_share),
        "technical_unemployment_share": cell(technical_unemployment_share),
        "hires": cell(respondents * 2),
        "separations": cell(respondents * 3),
        "dismissals": cell(respondents),
        "export_revenue": cell(round(headcount * 2800.0, 2)),
        "activity_maintained_avg": cell(0.72),
    }


def make_snapshot(
    *,
    campaign=None,
    headcount: int = 65000,
    on_site_share: float = 0.21,
    telework_share: float = 0.64,
    previous: dict | None = None,
) -> dict:
    """A consistent snapshot: a region row and a region-by-segment cell suppressed (primary), and
    the cell that would give it away suppressed too (secondary)."""
    campaign_block = {
        "id": 1,
        "title": "Semaine du 30 mars 2020",
        "period_start": "2020-03-30",
        "period_end": "2020-04-05",
    }
    if campaign is not None:
        campaign_block = {
            "id": campaign.pk,
            "title": campaign.title,
            "period_start": campaign.period_start.isoformat(),
            "period_end": campaign.period_end.isoformat(),
        }
    member_headcount = round(headcount * 0.8)
    small_headcount = headcount - member_headcount
    total = _full_cells(headcount, on_site_share, telework_share, 312)
    key_figures = {
        name: copy.deepcopy(total[name])
        for name in (
            "respondents",
            "headcount",
            "on_site_share",
            "telework_share",
            "technical_unemployment_share",
            "hires",
            "separations",
            "dismissals",
            "export_revenue",
            "activity_maintained_avg",
        )
    }
    key_figures["other_absence_share"] = cell(0.04)
    changes = {}
    if previous is not None:
        changes = {
            "previous": {"bulletin": previous["slug"], "revision": previous["revision"], "period_end": "2020-03-29"},
            "key_figures": {
                "headcount": {"previous": previous["headcount"], "delta": headcount - previous["headcount"]},
                "telework_share": {
                    "previous": previous["telework_share"],
                    "delta": round(telework_share - previous["telework_share"], 4),
                },
            },
        }
    by_region_rows = [
        {"key": "MA-06", "cells": _pick(_full_cells(round(headcount * 0.7), on_site_share, telework_share, 200))},
        {"key": "MA-01", "cells": _pick(_full_cells(round(headcount * 0.2), on_site_share, telework_share, 90))},
        {"key": "MA-08", "cells": {column: suppressed() for column in REGION_COLUMNS}},
        {"key": "MA-04", "cells": {column: suppressed() for column in REGION_COLUMNS}},
    ]
    return {
        "schema": "amrc-bulletin/1",
        "campaign": campaign_block,
        "computed_at": "2020-04-10T09:00:00+01:00",
        "response": {
            "rows": [
                _response_row("member", 20, 19, 64000, 62000),
                _response_row("small", 500, 293, 16000, 9000),
                {
                    **_response_row("total", 520, 312, 80000, 71000),
                    "sector_reference_jobs": 80000,
                    "sector_reference_coverage": 0.8875,
                },
            ]
        },
        "key_figures": key_figures,
        "changes": changes,
        "tables": [
            {
                "id": "by_segment",
                "dimension": "segment",
                "columns": FULL_COLUMNS,
                "rows": [
                    {"key": "member", "cells": _full_cells(member_headcount, on_site_share, telework_share, 19)},
                    {"key": "small", "cells": _full_cells(small_headcount, on_site_share, telework_share, 293)},
                ],
                "total": {"key": "total", "cells": copy.deepcopy(total)},
            },
            {
                "id": "by_formality",
                "dimension": "formality",
                "columns": FULL_COLUMNS,
                "rows": [
                    {"key": "formal", "cells": _full_cells(round(headcount * 0.9), on_site_share, telework_share, 250)},
                    {"key": "unverified", "cells": {column: suppressed() for column in FULL_COLUMNS}},
                    {"key": "informal", "cells": {column: suppressed() for column in FULL_COLUMNS}},
                ],
                "total": {"key": "total", "cells": copy.deepcopy(total)},
            },
            {
                "id": "by_region",
                "dimension": "region",
                "columns": REGION_COLUMNS,
                "rows": by_region_rows,
                "total": {"key": "total", "cells": _pick(total)},
            },
            {
                "id": "region_by_segment",
                "dimension": "region",
                "column_dimension": "segment",
                "columns": ["member", "small"],
                "measure": "headcount",
                "rows": [
                    {"key": "MA-06", "cells": {"member": cell(40000), "small": suppressed(), "total": cell(45500)}},
                    {"key": "MA-01", "cells": {"member": cell(12000), "small": suppressed(), "total": cell(13000)}},
                ],
                "total": {"key": "total", "cells": {"member": cell(52000), "small": cell(13000), "total": cell(65000)}},
            },
            {
                "id": "measures",
                "dimension": "measure",
                "columns": ["in_place_share", "planned_share", "workforce_share"],
                "rows": [
                    {
                        "key": "masks",
                        "category": "sanitary",
                        "cells": {
                            "in_place_share": cell(0.92),
                            "planned_share": cell(0.05),
                            "workforce_share": cell(0.97),
                        },
                    },
                    {
                        "key": "telework-equipment",
                        "category": "telework",
                        "cells": {
                            "in_place_share": cell(0.61),
                            "planned_share": cell(0.2),
                            "workforce_share": cell(0.88),
                        },
                    },
                ],
            },
            {
                "id": "support_by_segment",
                "dimension": "measure",
                "column_dimension": "segment",
                "columns": ["member", "small", "total"],
                "measure": "requested_share",
                "rows": [
                    {
                        "key": "cnss-allowance",
                        "category": "support",
                        "cells": {"member": cell(0.45), "small": cell(0.7), "total": cell(0.68)},
                    },
                ],
            },
        ],
        "estimates": {
            "method": "ratio-by-segment",
            "rows": [
                {
                    "key": "member",
                    "basis": {
                        "respondents": 19,
                        "registered_workforce": 64000,
                        "respondent_registered_workforce": 62000,
                    },
                    "cells": {
                        "headcount": cell(63000),
                        "on_site": cell(13230),
                        "telework": cell(40320),
                        "technical_unemployment": cell(6930),
                    },
                },
                {
                    "key": "small",
                    "basis": {
                        "respondents": 293,
                        "registered_workforce": 16000,
                        "respondent_registered_workforce": 9000,
                    },
                    "cells": {
                        "headcount": cell(15000),
                        "on_site": cell(3150),
                        "telework": cell(9600),
                        "technical_unemployment": cell(1650),
                    },
                },
                {
                    "key": "total",
                    "basis": {
                        "respondents": 312,
                        "registered_workforce": 80000,
                        "respondent_registered_workforce": 71000,
                    },
                    "cells": {
                        "headcount": cell(78000),
                        "on_site": cell(16380),
                        "telework": cell(49920),
                        "technical_unemployment": cell(8580),
                    },
                },
            ],
        },
        "methodology": {"respondents": 312, "suppressed_cells": 2 * len(REGION_COLUMNS) + 2 * len(FULL_COLUMNS) + 2},
    }


def _pick(cells: dict) -> dict:
    return {column: copy.deepcopy(cells[column]) for column in REGION_COLUMNS}


def _response_row(key: str, expected: int, received: int, registered: int, covered: int) -> dict:
    return {
        "key": key,
        "expected": expected,
        "received": received,
        "on_time": received - 2,
        "late": 2,
        "approved": received,
        "response_rate": round(received / expected, 4),
        "on_time_rate": round((received - 2) / expected, 4),
        "registered_workforce": registered,
        "covered_workforce": covered,
        "workforce_coverage": round(covered / registered, 4),
    }
