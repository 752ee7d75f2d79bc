"""Estimates for the whole registry: each segment's respondents' sums scaled by the registered
workforce they stand for (ratio estimation)."""

from fractions import Fraction

from amrc.lib.disclosure import Cell
from bulletins.aggregation.cells import ROUNDED_TO_UNIT, CellBook, flags, top
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
    _add_basis_cells(book)
    for segment, factor in factors.items():
        if factor is not None:
            # An estimate over its declared figure gives the factor away, and with it the ratio of
            # the two bases: a reader is assumed to know it whatever is suppressed.
            book.tables.add_multiple(
                key=("basis_registered", "estimate", segment),
                of=("basis_respondent", "estimate", segment),
                factor=factor,
            )
    for name in ESTIMATED:
        for segment in SEGMENTS:
            factor = factors[segment]
            source = ("estimate", name, segment)
            declared = book.tables.cells[name, "segment", segment]
            if factor is None:
                book.add(source, None)
                continue
            # An estimate inherits its contributors: the respondents' figures scaled, so the same
            # companies dominate it. A reader knows it to the unit it is rounded to.
            book.add(
                source,
                Cell(
                    value=factor * Fraction(declared.value),
                    contributors=declared.contributors,
                    largest=tuple(factor * Fraction(x) for x in declared.largest or ()),
                    within=ROUNDED_TO_UNIT,
                ),
            )
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
                largest=top((x for part in parts for x in book.tables.cells[part].largest), book.n),
                within=ROUNDED_TO_UNIT,
            ),
        )
        book.tables.add_sum(parts=parts, total=total)


def _add_basis_cells(book: CellBook) -> None:
    """The registered workforce each estimate stands for, and that of its respondents: sums of
    companies' registered headcounts, protected like the response table's."""
    for segment in (*SEGMENTS, TOTAL):
        keys = SEGMENTS if segment == TOTAL else (segment,)
        responding = sum(book.groups["segment", k].respondent_registered for k in keys)
        respondent = ("basis_respondent", "estimate", segment)
        covered = book.tables.cells["covered", "response", segment]
        book.add(
            respondent,
            Cell(value=responding, contributors=sum(book.respondents[k] for k in keys), largest=covered.largest),
        )
        if responding == covered.value:
            # The same companies' registered headcounts, which the response table shows too.
            book.tables.add_multiple(key=respondent, of=("covered", "response", segment), factor=1)
        silent = book.tables.cells["silent", "response", segment]
        book.add(
            ("basis_registered", "estimate", segment),
            Cell(
                value=responding + silent.value,
                contributors=book.tables.cells[respondent].contributors + silent.contributors,
                largest=top((*covered.largest, *silent.largest), book.n),
            ),
        )
        book.tables.add_sum(
            parts=[respondent, ("silent", "response", segment)], total=("basis_registered", "estimate", segment)
        )
    for name in ("basis_respondent", "basis_registered"):
        book.tables.add_sum(parts=[(name, "estimate", s) for s in SEGMENTS], total=(name, "estimate", TOTAL))


def estimates(book: CellBook) -> dict:
    rows = []
    for segment in (*SEGMENTS, TOTAL):
        keys = SEGMENTS if segment == TOTAL else (segment,)
        basis = {
            "respondents": sum(book.groups["segment", k].respondents for k in keys),
            "registered_workforce": book.cell(("basis_registered", "estimate", segment), "count"),
            "respondent_registered_workforce": book.cell(("basis_respondent", "estimate", segment), "count"),
        }
        rows.append(
            {
                "key": segment,
                "basis": {name: value["value"] if isinstance(value, dict) else value for name, value in basis.items()},
                **flags(basis),
                "cells": {name: book.cell(("estimate", name, segment), "count") for name in ESTIMATED},
            }
        )
    return {"method": "ratio-by-segment", "rows": rows}
