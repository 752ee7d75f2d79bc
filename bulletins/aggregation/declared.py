"""The declared figures: the tables by segment and by formality, their total row (the key
figures), and segment by formality, which no table shows but differencing reaches."""

from collections.abc import Iterable
from decimal import Decimal

from amrc.lib.disclosure import Cell
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


def changes(key_figures: dict, previous_snapshot: dict | None) -> dict:
    """Each key figure against the previous published bulletin. The publication service, which
    knows that bulletin, names it in changes.previous."""
    if not previous_snapshot:
        return {}
    previous_figures = previous_snapshot.get("key_figures") or {}
    figures = {}
    for name, cell in key_figures.items():
        if name not in previous_figures:
            continue
        previous = (previous_figures[name] or {}).get("value")
        current = cell["value"]
        delta = None
        if isinstance(previous, int | float) and current is not None:
            places = {"share": 4, "money": 2}.get(column_kind(name), 0)
            delta = float(rounded(Decimal(str(current)) - Decimal(str(previous)), places))
            if places == 0:
                delta = int(delta)
        figures[name] = {"previous": previous, "delta": delta}
    previous_campaign = previous_snapshot.get("campaign") or {}
    previous_bulletin = previous_snapshot.get("bulletin") or {}
    return {
        "previous": {
            "bulletin": previous_bulletin.get("slug"),
            "revision": previous_bulletin.get("revision"),
            "campaign": previous_campaign.get("id"),
            "period_end": previous_campaign.get("period_end"),
        },
        "key_figures": figures,
    }
