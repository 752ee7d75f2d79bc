"""Estimates for the whole registry: each segment's respondents' sums scaled by the registered
workforce they stand for (ratio estimation)."""

from fractions import Fraction

from amrc.lib.disclosure import Cell
from bulletins.aggregation.cells import CellBook
from bulletins.aggregation.columns import ESTIMATED, SEGMENTS, TOTAL


def _estimate_factors(book: CellBook) -> dict[str, Fraction | None]:
    """Per segment, the registered workforce the estimate stands for over the registered
    workforce of the respondents: their figures are scaled by it (ratio estimation)."""
    factors: dict[str, Fraction | None] = {}
    for segment in SEGMENTS:
        registry = book.data.registry.get(segment, {})
        not_responding = registry.get("registered", 0) - registry.get("covered", 0)
        responding = book.groups["segment", segment].respondent_registered
        if not_responding <= 0:
            factors[segment] = Fraction(1)
        elif responding > 0:
            factors[segment] = Fraction(responding + not_responding, responding)
        else:
            factors[segment] = None
    return factors


def add_estimate_cells(book: CellBook) -> None:
    factors = _estimate_factors(book)
    for name in ESTIMATED:
        for segment in SEGMENTS:
            factor = factors[segment]
            source = ("estimate", name, segment)
            declared = book.tables.cells[name, "segment", segment]
            if factor is None:
                book.add(source, None)
                continue
            book.add(source, Cell(value=factor * Fraction(declared.value), contributors=declared.contributors))
            book.tables.add_multiple(key=source, of=(name, "segment", segment), factor=factor)
        parts = [("estimate", name, segment) for segment in SEGMENTS]
        if any(book.values[part] is None for part in parts):
            book.add(("estimate", name, TOTAL), None)
            continue
        total = ("estimate", name, TOTAL)
        book.add(
            total,
            Cell(
                value=sum((book.tables.cells[part].value for part in parts), Fraction(0)),
                contributors=book.tables.cells[name, "all", TOTAL].contributors,
            ),
        )
        book.tables.add_sum(parts=parts, total=total)


def estimates(book: CellBook) -> dict:
    rows = []
    for segment in (*SEGMENTS, TOTAL):
        keys = SEGMENTS if segment == TOTAL else (segment,)
        registered = sum(
            book.data.registry.get(k, {}).get("registered", 0) - book.data.registry.get(k, {}).get("covered", 0)
            for k in keys
        )
        responding = sum(book.groups["segment", k].respondent_registered for k in keys)
        rows.append(
            {
                "key": segment,
                "basis": {
                    "respondents": sum(book.groups["segment", k].respondents for k in keys),
                    "registered_workforce": responding + registered,
                    "respondent_registered_workforce": responding,
                },
                "cells": {name: book.cell(("estimate", name, segment), "count") for name in ESTIMATED},
            }
        )
    return {"method": "ratio-by-segment", "rows": rows}
