"""The regional tables (by region, region by segment) and the finest regional groups a reader
can reach by combining them with the declared tables."""

from collections.abc import Iterable

from amrc.lib.disclosure import Cell
from bulletins.aggregation.cells import CellBook, top
from bulletins.aggregation.columns import FORMALITIES, REGION_COLUMNS, REGIONAL, REGIONAL_PARTS, SEGMENTS, SHARES, TOTAL


def _regional(book: CellBook, name: str, regions: Iterable[str], segments: Iterable[str], formalities: Iterable[str]):
    """Value, contributors and largest lines of the regional lines of some groups."""
    groups = [(r, s, f) for r in regions for s in segments for f in formalities]
    nothing = {"companies": 0, **dict.fromkeys(REGIONAL_PARTS, 0)}
    sums = [book.data.regional.get(group, nothing) for group in groups]
    largest = (v for group in groups for v in book.data.regional_largest.get((name, *group), []))
    return sum(group[name] for group in sums), sum(group["companies"] for group in sums), top(largest, book.n)


def _regional_cell(book: CellBook, key: tuple, name: str, regions, segments, formalities=FORMALITIES, **kwargs) -> None:
    value, contributors, largest = _regional(book, name, regions, segments, formalities)
    book.add(key, Cell(value=value, contributors=contributors, largest=largest, **kwargs))


def add_regional_cells(book: CellBook) -> None:
    regions = book.data.regions
    # The finest groups, never published: by combining the regional tables with the others (and
    # what a reader knows to be empty) one could reach them, so they are protected too.
    for region in regions:
        for segment in SEGMENTS:
            for formality in FORMALITIES:
                group = (region, segment, formality)
                for name in REGIONAL_PARTS:
                    _regional_cell(
                        book, (name, "fine", *group), name, [region], [segment], [formality], published=False
                    )
                book.tables.add_sum(
                    parts=[(name, "fine", *group) for name in ("on_site", "telework", "rest")],
                    total=("headcount", "fine", *group),
                )
    # Coarser groups a reader can name too: a region's figures by formality, and its on site,
    # telework and rest by segment (only the headcount by segment is published).
    for region in regions:
        for formality in FORMALITIES:
            for name in REGIONAL_PARTS:
                key = (name, "region_formality", region, formality)
                _regional_cell(book, key, name, [region], SEGMENTS, [formality], published=False)
                book.tables.add_sum(parts=[(name, "fine", region, s, formality) for s in SEGMENTS], total=key)
        # What a region's published headcount, on site and telework leave: technical
        # unemployment and other absences of its companies, which may be few or dominated.
        rest = ("rest", "region", region)
        _regional_cell(book, rest, "rest", [region], SEGMENTS, published=False)
        book.tables.add_sum(parts=[("rest", "fine", region, s, f) for s in SEGMENTS for f in FORMALITIES], total=rest)
        for segment in SEGMENTS:
            for name in ("on_site", "telework", "rest"):
                key = (name, "region_segment", region, segment)
                _regional_cell(book, key, name, [region], [segment], published=False)
                book.tables.add_sum(parts=[(name, "fine", region, segment, f) for f in FORMALITIES], total=key)
    for segment in SEGMENTS:
        for formality in FORMALITIES:
            # The regional lines add up to the declared totals.
            for name in REGIONAL:
                book.tables.add_sum(
                    parts=[(name, "fine", region, segment, formality) for region in regions],
                    total=(name, "cross", segment, formality),
                )
            book.tables.add_relation(
                {
                    **{("rest", "fine", region, segment, formality): 1 for region in regions},
                    ("technical_unemployment", "cross", segment, formality): -1,
                    ("other_absence", "cross", segment, formality): -1,
                }
            )

    for region in regions:
        for segment in SEGMENTS:
            key = ("headcount", "region_segment", region, segment)
            _regional_cell(book, key, "headcount", [region], [segment])
            book.tables.add_sum(parts=[("headcount", "fine", region, segment, f) for f in FORMALITIES], total=key)
        for name in REGIONAL:
            _regional_cell(book, (name, "region", region), name, [region], SEGMENTS)
            book.tables.add_sum(
                parts=[(name, "fine", region, s, f) for s in SEGMENTS for f in FORMALITIES],
                total=(name, "region", region),
            )
        book.values["respondents", "region", region] = _regional(book, "headcount", [region], SEGMENTS, FORMALITIES)[1]
        for share in ("on_site_share", "telework_share"):
            part = SHARES[share]
            book.add_share(
                (share, "region", region),
                book.values[part, "region", region],
                book.values["headcount", "region", region],
                [(part, "region", region)],
            )

    # The regional margins are the declared totals again, summed from the regional lines: the
    # same cells for a reader, so they carry the declared cells' contributors and must share
    # their fate.
    for segment in SEGMENTS:
        key = ("headcount", "region_segment", TOTAL, segment)
        source = book.tables.cells["headcount", "segment", segment]
        value = _regional(book, "headcount", regions, [segment], FORMALITIES)[0]
        book.add(key, Cell(value=value, contributors=source.contributors, largest=source.largest))
        book.tables.add_multiple(key=key, of=("headcount", "segment", segment), factor=1)
    for name in REGIONAL:
        key = (name, "region", TOTAL)
        source = book.tables.cells[name, "all", TOTAL]
        value = _regional(book, name, regions, SEGMENTS, FORMALITIES)[0]
        book.add(key, Cell(value=value, contributors=source.contributors, largest=source.largest))
        book.tables.add_multiple(key=key, of=(name, "all", TOTAL), factor=1)
        book.tables.add_sum(parts=[(name, "region", region) for region in regions], total=key)
    book.values["respondents", "region", TOTAL] = book.data.regional_respondents
    for share in ("on_site_share", "telework_share"):
        part = SHARES[share]
        book.add_share(
            (share, "region", TOTAL),
            book.values[part, "region", TOTAL],
            book.values["headcount", "region", TOTAL],
            [(part, "region", TOTAL)],
        )
    book.tables.add_grid(
        interior={
            (region, segment): ("headcount", "region_segment", region, segment)
            for region in regions
            for segment in SEGMENTS
        },
        row_totals={region: ("headcount", "region", region) for region in regions},
        column_totals={segment: ("headcount", "region_segment", TOTAL, segment) for segment in SEGMENTS},
        grand_total=("headcount", "region", TOTAL),
    )


def region_table(book: CellBook) -> dict:
    def row(key: str) -> dict:
        return {"key": key, "cells": {column: book.cell((column, "region", key)) for column in REGION_COLUMNS}}

    return {
        "id": "by_region",
        "dimension": "region",
        "columns": REGION_COLUMNS,
        "rows": [row(region) for region in book.data.regions],
        "total": row(TOTAL),
    }


def region_by_segment_table(book: CellBook) -> dict:
    def row(region: str) -> dict:
        cells = {s: book.cell(("headcount", "region_segment", region, s), "count") for s in SEGMENTS}
        cells[TOTAL] = book.cell(("headcount", "region", region))
        return {"key": region, "cells": cells}

    return {
        "id": "region_by_segment",
        "dimension": "region",
        "column_dimension": "segment",
        "columns": list(SEGMENTS),
        "measure": "headcount",
        "rows": [row(region) for region in book.data.regions],
        "total": row(TOTAL),
    }
