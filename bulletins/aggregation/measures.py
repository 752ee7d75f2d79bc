"""The measures tables: adoption of each measure (overall, by segment), the workforce of the
companies that have it, and support requested."""

from amrc.lib.disclosure import Cell
from bulletins.aggregation.cells import SHARE_HALF_WIDTH, CellBook, top
from bulletins.aggregation.columns import FORMALITIES, MEASURE_COLUMNS, SEGMENTS, TOTAL
from bulletins.aggregation.reading import Sums
from measures.models import Measure


def add_measure_cells(book: CellBook) -> None:
    respondents = book.respondents
    headcount = ("headcount", "all", TOTAL)
    nothing = {"in_place": 0, "planned": 0, "requested": 0, "workforce": 0, "workforce_contributors": 0}
    for code, category in book.data.measures:
        by_group = {(s, f): book.data.answers.get((code, s, f), nothing) for s in SEGMENTS for f in FORMALITIES}
        by_segment = {s: {k: sum(by_group[s, f][k] for f in FORMALITIES) for k in nothing} for s in SEGMENTS}
        total = {k: sum(answers[k] for answers in by_segment.values()) for k in nothing}
        # Counts of companies: the rule is on the number of respondents they are a share of, which
        # bounds them, and a reader knows them only through a share printed to 4 decimals.
        for status in ("in_place", "planned"):
            book.add((status, "measure", code), _count(total[status], respondents[TOTAL]))
        # Answered neither in place nor planned: what the two shares leave of the respondents.
        book.tables.add_inequality(
            {("in_place", "measure", code): 1, ("planned", "measure", code): 1}, constant=-respondents[TOTAL]
        )
        # The workforce is printed only as a share of the total headcount, rounded.
        largest = book.data.workforce_largest
        book.add(
            ("workforce", "measure", code),
            Cell(
                value=total["workforce"],
                contributors=total["workforce_contributors"],
                largest=top((x for s in SEGMENTS for x in largest.get((code, s), [])), book.n),
                depends_on=(headcount,),
                within=SHARE_HALF_WIDTH * book.values[headcount],
            ),
        )
        book.add_share(
            ("workforce_share", "measure", code),
            total["workforce"],
            book.values[headcount],
            [("workforce", "measure", code)],
            denominator_key=headcount,
        )
        # Each segment's part, and the workforce of the companies without the measure: the
        # headcount minus the measure's workforce, a single company's when only one has not it.
        # When a segment's count says none (or all) of its companies have it, that part is
        # empty, which a reader knows.
        for segment in SEGMENTS:
            answers, declared = by_segment[segment], book.tables.cells["headcount", "segment", segment]
            with_it, without = ("workforce", code, segment), ("without", code, segment)
            book.add(
                with_it,
                Cell(
                    value=answers["workforce"],
                    contributors=answers["workforce_contributors"],
                    largest=top(largest.get((code, segment), []), book.n),
                    published=False,
                ),
            )
            book.add(
                without,
                Cell(
                    value=declared.value - answers["workforce"],
                    contributors=declared.contributors - answers["workforce_contributors"],
                    largest=top(book.data.without_largest.get((code, segment), []), book.n),
                    published=False,
                ),
            )
            book.tables.add_sum(parts=[with_it, without], total=("headcount", "segment", segment))
        book.tables.add_sum(parts=[("workforce", code, s) for s in SEGMENTS], total=("workforce", "measure", code))
        # The companies without the measure in all segments together: the published headcount
        # less the workforce its share gives away, a group of its own that one or two large
        # companies can dominate even when each segment's part is protected.
        without_all = ("without", code, TOTAL)
        book.add(
            without_all,
            Cell(
                value=sum(book.values["without", code, s] for s in SEGMENTS),
                contributors=sum(book.tables.cells["without", code, s].contributors for s in SEGMENTS),
                largest=top((x for s in SEGMENTS for x in book.data.without_largest.get((code, s), [])), book.n),
                published=False,
            ),
        )
        book.tables.add_sum(parts=[("without", code, s) for s in SEGMENTS], total=without_all)
        book.tables.add_sum(parts=[("workforce", "measure", code), without_all], total=headcount)
        # Adoption by segment lets a member compare itself with its own segment; the
        # segments add up to the measures table's count, so they are protected together.
        for segment in SEGMENTS:
            book.add(("in_place", code, segment), _count(by_segment[segment]["in_place"], respondents[segment]))
        book.tables.add_sum(parts=[("in_place", code, s) for s in SEGMENTS], total=("in_place", "measure", code))
        _add_counts_by_formality(book, code, category, by_group)
        if category == Measure.Category.SUPPORT:
            for segment in SEGMENTS:
                book.add(("requested", code, segment), _count(by_segment[segment]["requested"], respondents[segment]))
            book.add(("requested", code, TOTAL), _count(total["requested"], respondents[TOTAL]))
            book.tables.add_sum(parts=[("requested", code, s) for s in SEGMENTS], total=("requested", code, TOTAL))
            # Requested is in place or planned, which the measures table publishes too.
            book.tables.add_sum(
                parts=[("in_place", "measure", code), ("planned", "measure", code)],
                total=("requested", code, TOTAL),
            )


def _add_counts_by_formality(book: CellBook, code: str, category: str, by_group: dict) -> None:
    """Counts by segment and formality, never published: a share of 100 % (or 0 %) of a segment
    says that every company of each of its formalities has the measure (or has not), which gives
    a lone informal operator's answer away."""
    for segment in SEGMENTS:
        for formality in FORMALITIES:
            respondents = book.data.groups.get((segment, formality), Sums()).respondents
            group = (code, segment, formality)
            for status in ("in_place", "planned"):
                book.add((status, *group), _count(by_group[segment, formality][status], respondents, published=False))
            # In place or planned, for every measure: shares adding up to 100 % say it of each group.
            book.add(
                ("requested", *group),
                _count(by_group[segment, formality]["requested"], respondents, published=False),
            )
            book.tables.add_sum(parts=[("in_place", *group), ("planned", *group)], total=("requested", *group))
        book.tables.add_sum(
            parts=[("in_place", code, segment, f) for f in FORMALITIES], total=("in_place", code, segment)
        )
        if category == Measure.Category.SUPPORT:
            book.tables.add_sum(
                parts=[("requested", code, segment, f) for f in FORMALITIES], total=("requested", code, segment)
            )
    book.tables.add_sum(
        parts=[("planned", code, s, f) for s in SEGMENTS for f in FORMALITIES], total=("planned", "measure", code)
    )


def _count(value: int, respondents: int, *, published: bool = True) -> Cell:
    """A count of companies among `respondents`, printed as a share of them."""
    return Cell(
        value=value,
        contributors=respondents,
        upper=respondents,
        within=SHARE_HALF_WIDTH * respondents,
        published=published,
    )


def measures_table(book: CellBook) -> dict:
    base = book.respondents[TOTAL]
    return {
        "id": "measures",
        "dimension": "measure",
        "columns": MEASURE_COLUMNS,
        "rows": [
            {
                "key": code,
                "category": category,
                "cells": {
                    "in_place_share": book.count_share_cell(("in_place", "measure", code), base),
                    "planned_share": book.count_share_cell(("planned", "measure", code), base),
                    "workforce_share": book.cell(("workforce_share", "measure", code)),
                },
            }
            for code, category in book.data.measures
        ],
    }


def measures_by_segment_table(book: CellBook) -> dict:
    return {
        "id": "measures_by_segment",
        "dimension": "measure",
        "column_dimension": "segment",
        "columns": [*SEGMENTS, TOTAL],
        "measure": "in_place_share",
        "rows": [
            {
                "key": code,
                "category": category,
                "cells": {
                    **{
                        segment: book.count_share_cell(("in_place", code, segment), book.respondents[segment])
                        for segment in SEGMENTS
                    },
                    TOTAL: book.count_share_cell(("in_place", "measure", code), book.respondents[TOTAL]),
                },
            }
            for code, category in book.data.measures
        ],
    }


def support_table(book: CellBook) -> dict:
    return {
        "id": "support_by_segment",
        "dimension": "measure",
        "column_dimension": "segment",
        "columns": [*SEGMENTS, TOTAL],
        "measure": "requested_share",
        "rows": [
            {
                "key": code,
                "category": category,
                "cells": {
                    column: book.count_share_cell(("requested", code, column), book.respondents[column])
                    for column in (*SEGMENTS, TOTAL)
                },
            }
            for code, category in book.data.measures
            if category == Measure.Category.SUPPORT
        ],
    }
