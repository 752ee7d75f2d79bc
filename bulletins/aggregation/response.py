"""The response table: reports expected, received, on time, late and approved by segment, and
the registered workforce they cover.

Counts of reports are the response base, published as they are: they say how many companies
answered, not what any of them declared. The registered workforce, covered or not, is a sum of
companies' registered headcounts and follows the disclosure rules like any declared figure."""

from amrc.lib.disclosure import Cell
from bulletins.aggregation.cells import CellBook, flags, ratio, share_or_none, top
from bulletins.aggregation.columns import SEGMENTS, TOTAL

# The workforce columns and the cells they print.
WORKFORCE = {"registered_workforce": "registered", "covered_workforce": "covered"}


def add_response_cells(book: CellBook) -> None:
    registry, largest = book.data.registry, book.data.registry_largest
    for segment in SEGMENTS:
        figures = registry.get(segment, {})
        expected, approved = figures.get("expected", 0), figures.get("approved", 0)
        registered, covered = figures.get("registered", 0), figures.get("covered", 0)
        responding, silent = largest.get((segment, True), []), largest.get((segment, False), [])
        book.add(
            ("covered", "response", segment),
            Cell(value=covered, contributors=approved, largest=top(responding, book.n)),
        )
        # The silent companies' registered workforce is the difference of two published figures.
        book.add(
            ("silent", "response", segment),
            Cell(
                value=registered - covered,
                contributors=expected - approved,
                largest=top(silent, book.n),
                published=False,
            ),
        )
        book.add(
            ("registered", "response", segment),
            Cell(value=registered, contributors=expected, largest=top((*responding, *silent), book.n)),
        )
        book.tables.add_sum(
            parts=[("covered", "response", segment), ("silent", "response", segment)],
            total=("registered", "response", segment),
        )
    for name in ("covered", "silent", "registered"):
        parts = [book.tables.cells[name, "response", s] for s in SEGMENTS]
        book.add(
            (name, "response", TOTAL),
            Cell(
                value=sum(cell.value for cell in parts),
                contributors=sum(cell.contributors for cell in parts),
                largest=top((x for cell in parts for x in cell.largest), book.n),
                published=name != "silent",
            ),
        )
        book.tables.add_sum(parts=[(name, "response", s) for s in SEGMENTS], total=(name, "response", TOTAL))
    book.tables.add_sum(
        parts=[("covered", "response", TOTAL), ("silent", "response", TOTAL)], total=("registered", "response", TOTAL)
    )
    for segment in (*SEGMENTS, TOTAL):
        covered, registered = ("covered", "response", segment), ("registered", "response", segment)
        value = ratio(book.values[covered], book.values[registered])
        if value is None:
            book.add(("workforce_coverage", "response", segment), None)
        else:
            book.add(("workforce_coverage", "response", segment), Cell(value=value, depends_on=(covered, registered)))
        coverage = ratio(book.values[covered], book.data.sector_jobs)
        book.add(
            ("sector_reference_coverage", "response", segment),
            None if coverage is None else Cell(value=coverage, depends_on=(covered,)),
        )


def response_rows(book: CellBook) -> list[dict]:
    registry, reception = book.data.registry, book.data.reception
    rows = []
    for segment in (*SEGMENTS, TOTAL):
        keys = SEGMENTS if segment == TOTAL else (segment,)
        figures = {
            "expected": sum(registry.get(k, {}).get("expected", 0) for k in keys),
            "received": sum(reception.get(k, {}).get("received", 0) for k in keys),
            "on_time": sum(reception.get(k, {}).get("on_time", 0) for k in keys),
            "late": sum(reception.get(k, {}).get("late", 0) for k in keys),
            "approved": sum(registry.get(k, {}).get("approved", 0) for k in keys),
        }
        cells = {column: book.cell((name, "response", segment), "count") for column, name in WORKFORCE.items()}
        for name in ("workforce_coverage", "sector_reference_coverage"):
            cells[name] = book.cell((name, "response", segment), "share")
        row = {"key": segment, **figures}
        row["response_rate"] = share_or_none(figures["received"], figures["expected"])
        row["on_time_rate"] = share_or_none(figures["on_time"], figures["expected"])
        row.update({column: cell["value"] for column, cell in cells.items()})
        if segment == TOTAL:
            jobs = book.data.sector_jobs
            row["sector_reference_jobs"] = None if jobs is None else int(jobs)
        row.update(flags(cells))
        rows.append(row)
    return rows
