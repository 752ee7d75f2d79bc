"""A member's own company against the sector and its segment, for its private dashboard panel.

The sector and segment figures are read from the published snapshot only (so they are exactly
what the public sees, suppressed cells included); the company's figures are its own approved
declaration, which only its own users are shown."""

from django.utils.translation import gettext_lazy as _

from bulletins.presentation import find_table, key_label
from measures.models import DeclarationMeasure
from members.models import Company

SHARES = [
    ("telework_share", "telework", _("Part de l'effectif en télétravail")),
    ("on_site_share", "on_site", _("Part de l'effectif sur site")),
]


def _own_share(declaration: dict | None, part: str) -> float | None:
    if not declaration or not declaration.get("headcount"):
        return None
    return round((declaration.get(part) or 0) / declaration["headcount"], 4)


def _cells_by_key(table: dict | None) -> dict[str, dict]:
    if not table:
        return {}
    rows = [*(table.get("rows") or []), *([table["total"]] if table.get("total") else [])]
    return {row.get("key"): row.get("cells") or {} for row in rows}


def _expected_count(cells: list[dict | None]) -> float | None:
    """The average number of measures in place per responding company: the sum of the shares of
    companies having each measure. Unknown as soon as one share is suppressed or unavailable."""
    if not cells:
        return None
    values = [cell.get("value") if isinstance(cell, dict) and not cell.get("flag") else None for cell in cells]
    if any(value is None for value in values):
        return None
    return round(sum(values), 1)


def company_comparison(
    *, snapshot: dict, company: Company, declaration: dict | None, answers: dict[str, str], names: dict[str, str]
) -> dict:
    segment = company.segment
    segment_row = _cells_by_key(find_table(snapshot, "by_segment")).get(segment, {})
    key_figures = snapshot.get("key_figures") or {}
    shares = [
        {
            "label": label,
            "mine": _own_share(declaration, part),
            "segment": segment_row.get(column),
            "sector": key_figures.get(column),
        }
        for column, part, label in SHARES
    ]

    measures_table = find_table(snapshot, "measures") or {}
    # Measure adoption by segment, when the snapshot publishes it; support requested otherwise.
    by_segment = _cells_by_key(find_table(snapshot, "measures_by_segment"))
    support = _cells_by_key(find_table(snapshot, "support_by_segment"))
    statuses = dict(DeclarationMeasure.Status.choices)
    measures = []
    for row in measures_table.get("rows") or []:
        code = row.get("key", "")
        if code in by_segment:
            segment_cell, segment_source = by_segment[code].get(segment), "in_place"
        elif code in support:
            segment_cell, segment_source = support[code].get(segment), "requested"
        else:
            segment_cell, segment_source = None, ""
        measures.append(
            {
                "label": key_label("measure", code, {"measure": names}),
                "category": row.get("category", ""),
                "mine": statuses.get(answers.get(code, ""), ""),
                "in_place": answers.get(code) == DeclarationMeasure.Status.IN_PLACE,
                "segment": segment_cell,
                "segment_source": segment_source,
                "sector": (row.get("cells") or {}).get("in_place_share"),
            }
        )
    sector_cells = [(row.get("cells") or {}).get("in_place_share") for row in measures_table.get("rows") or []]
    segment_cells = [(by_segment.get(row.get("key")) or {}).get(segment) for row in measures_table.get("rows") or []]
    return {
        "company": company,
        "segment_label": key_label("segment", segment, {}),
        "has_declaration": declaration is not None,
        "shares": shares,
        "measures": measures,
        "measures_in_place": {
            "mine": sum(1 for measure in measures if measure["in_place"]) if declaration else None,
            "segment": _expected_count(segment_cells) if by_segment else None,
            "sector": _expected_count(sector_cells),
        },
        "segment_requested_only": not by_segment and bool(support),
    }
