"""The declared figures: the tables by segment and by formality, their total row (the key
figures), and segment by formality, which no table shows but differencing reaches."""

from collections.abc import Iterable
from fractions import Fraction

from amrc.lib.disclosure import Cell, DisclosureRules
from bulletins.aggregation.cells import SHARE_HALF_WIDTH, CellBook, column_kind, rounded, top
from bulletins.aggregation.columns import (
    FLOWS,
    FORMALITIES,
    FULL_COLUMNS,
    KEY_FIGURES,
    SEGMENTS,
    SHARES,
    SUMMED,
    TOTAL,
)
from bulletins.aggregation.panel import CHANGES_RULES_VERSION, Panel
from bulletins.aggregation.reading import Sums
from measures.models import HEADCOUNT_PARTS


def add_declared_cells(book: CellBook) -> None:
    for (dimension, key), sums in book.groups.items():
        _add_group_cells(book, dimension, key, sums)
    _add_segment_by_formality_cells(book)
    _relate_declared_cells(book)


def _add_group_cells(book: CellBook, dimension: str, key: str, sums: Sums) -> None:
    for name in SUMMED:
        book.add(
            (name, dimension, key),
            Cell(
                value=sums.sums.get(name, 0),
                contributors=sums.contributors.get(name, 0),
                largest=book.largest(name, dimension, key),
                # A reader knows the activity weight through the average, printed to 4 decimals.
                within=SHARE_HALF_WIDTH * 100 * sums.activity_base if name == "activity_weight" else 0,
            ),
        )
    book.values["respondents", dimension, key] = sums.respondents
    headcount = sums.sums.get("headcount", 0)
    for share, part in SHARES.items():
        book.add_share((share, dimension, key), sums.sums.get(part, 0), headcount, [(part, dimension, key)])
    book.add_share(
        ("activity_maintained_avg", dimension, key),
        sums.sums.get("activity_weight", 0),
        100 * sums.activity_base,
        [("activity_weight", dimension, key)],
        denominator_key=("headcount", dimension, key),
    )


def _add_segment_by_formality_cells(book: CellBook) -> None:
    """Segment by formality is not published, but a reader gets it by differencing the two
    tables (when every member is formal, formal minus members is the small formal operators):
    these cells are protected without being shown."""
    for segment in SEGMENTS:
        for formality in FORMALITIES:
            sums = book.data.groups.get((segment, formality), Sums())
            for name in SUMMED:
                book.add(
                    (name, "cross", segment, formality),
                    Cell(
                        value=sums.sums.get(name, 0),
                        contributors=sums.contributors.get(name, 0),
                        largest=top(book.data.largest.get((name, segment, formality), []), book.n),
                        published=False,
                    ),
                )
            book.tables.add_sum(
                parts=[(part, "cross", segment, formality) for part in HEADCOUNT_PARTS],
                total=("headcount", "cross", segment, formality),
            )
    for name in SUMMED:
        book.tables.add_grid(
            interior={(s, f): (name, "cross", s, f) for s in SEGMENTS for f in FORMALITIES},
            row_totals={s: (name, "segment", s) for s in SEGMENTS},
            column_totals={f: (name, "formality", f) for f in FORMALITIES},
            grand_total=(name, "all", TOTAL),
        )


def _add_rules(book: CellBook, *group: str) -> None:
    """What every declaration obeys, so every group of them: dismissals are part of separations,
    and activity maintained is at most 100 % of the headcount."""
    book.tables.add_at_most(part=("dismissals", *group), whole=("separations", *group))
    book.tables.add_inequality({("activity_weight", *group): 1, ("headcount", *group): -100})


def _relate_declared_cells(book: CellBook) -> None:
    for dimension, key in book.groups:
        _add_rules(book, dimension, key)
    for segment in SEGMENTS:
        for formality in FORMALITIES:
            _add_rules(book, "cross", segment, formality)
    for dimension, keys in (("segment", SEGMENTS), ("formality", FORMALITIES)):
        # The parts of the headcount and the rows both add up: a two-dimensional table.
        book.tables.add_grid(
            interior={(key, part): (part, dimension, key) for key in keys for part in HEADCOUNT_PARTS},
            row_totals={key: ("headcount", dimension, key) for key in keys},
            column_totals={part: (part, "all", TOTAL) for part in HEADCOUNT_PARTS},
            grand_total=("headcount", "all", TOTAL),
        )
        for name in (*FLOWS, "export_revenue", "activity_weight"):
            book.tables.add_sum(parts=[(name, dimension, key) for key in keys], total=(name, "all", TOTAL))


def declared_table(book: CellBook, table_id: str, dimension: str, keys: Iterable[str]) -> dict:
    def row(dimension: str, key: str) -> dict:
        return {"key": key, "cells": {column: book.cell((column, dimension, key)) for column in FULL_COLUMNS}}

    return {
        "id": table_id,
        "dimension": dimension,
        "columns": FULL_COLUMNS,
        "rows": [row(dimension, key) for key in keys],
        "total": row("all", TOTAL),
    }


def key_figures(book: CellBook) -> dict:
    """The key figures are the total row's cells."""
    return {name: book.cell((name, "all", TOTAL)) for name in KEY_FIGURES}


def _change_sources(name: str) -> tuple[str, ...]:
    """The summed figures a key figure's change is computed from (none for the respondents,
    counted, not declared)."""
    if name == "respondents":
        return ()
    if name in SHARE_PARTS:
        return (SHARE_PARTS[name], "headcount")
    if name == "activity_maintained_avg":
        return ("activity_weight", "headcount")
    return (name,)


SHARE_PARTS = dict(SHARES)


def _panel_delta(name: str, panel: Panel) -> Fraction | None:
    """The key figure's change over the companies declaring it in both weeks; None when there is
    nothing to divide by."""
    if name == "respondents":
        return Fraction(panel.joined - panel.departed)
    if name in SHARE_PARTS or name == "activity_maintained_avg":
        part = panel.figures[SHARE_PARTS.get(name, "activity_weight")]
        scale = 100 if name == "activity_maintained_avg" else 1
        if not part.headcount_this or not part.headcount_before:
            return None
        return Fraction(part.this) / (scale * part.headcount_this) - Fraction(part.before) / (
            scale * part.headcount_before
        )
    figure = panel.figures[name]
    return Fraction(figure.this) - Fraction(figure.before)


def _base(name: str, panel: Panel) -> int:
    sources = _change_sources(name)
    return panel.figures[sources[0]].base if sources else panel.companies


def changes(
    key_figures: dict, previous_snapshot: dict | None, panel: Panel | None, rules: DisclosureRules
) -> tuple[dict, dict]:
    """Each key figure's change against the previous published bulletin, like with like: over
    the companies counted in both (bulletins.aggregation.panel), with their number as its base.
    A change the disclosure rules withhold is published as confidential, with its base. Returns
    the public block and the internal record of each decision. The publication service, which
    knows the previous bulletin, names it in changes.previous."""
    if not previous_snapshot or panel is None:
        return {}, {}
    previous_figures = previous_snapshot.get("key_figures") or {}
    figures, decisions = {}, {}
    for name, cell in key_figures.items():
        if name not in previous_figures:
            continue
        previous = (previous_figures[name] or {}).get("value")
        reason = None
        if cell.get("flag") or (previous_figures[name] or {}).get("flag"):
            # A total withheld in either week: its change would narrow it down.
            reason = ("total", "suppressed")
        for source in _change_sources(name):
            reason = reason or panel.figures[source].reason(rules)
        delta = None if reason else _panel_delta(name, panel)
        change = {"previous": previous, "delta": None, "base": _base(name, panel)}
        if reason:
            change["flag"] = "c"
        elif delta is not None:
            places = {"share": 4, "money": 2}.get(column_kind(name), 0)
            change["delta"] = int(rounded(delta, 0)) if places == 0 else float(rounded(delta, places))
        figures[name] = change
        decisions[name] = {
            "base": change["base"],
            "withheld": None if reason is None else {"group": reason[0], "reason": reason[1]},
        }
    previous_campaign = previous_snapshot.get("campaign") or {}
    previous_bulletin = previous_snapshot.get("bulletin") or {}
    public = {
        "previous": {
            "bulletin": previous_bulletin.get("slug"),
            "revision": previous_bulletin.get("revision"),
            "campaign": previous_campaign.get("id"),
            "period_end": previous_campaign.get("period_end"),
        },
        "basis": "same_companies",
        "companies": {"both": panel.companies, "joined": panel.joined, "departed": panel.departed},
        "key_figures": figures,
    }
    internal = {
        "rules_version": CHANGES_RULES_VERSION,
        "companies": public["companies"],
        "key_figures": decisions,
        "groups": {
            name: {
                "panel": figure.base,
                "joined": figure.joined.contributors,
                "departed": figure.departed.contributors,
            }
            for name, figure in panel.figures.items()
        },
    }
    return public, internal
