"""The response table: reports expected, received, on time, late and approved by segment, and
the registered workforce they cover."""

from bulletins.aggregation.cells import CellBook, share_or_none
from bulletins.aggregation.columns import SEGMENTS, TOTAL


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
            "registered_workforce": sum(registry.get(k, {}).get("registered", 0) for k in keys),
            "covered_workforce": sum(registry.get(k, {}).get("covered", 0) for k in keys),
        }
        row = {"key": segment, **figures}
        row["response_rate"] = share_or_none(figures["received"], figures["expected"])
        row["on_time_rate"] = share_or_none(figures["on_time"], figures["expected"])
        row["workforce_coverage"] = share_or_none(figures["covered_workforce"], figures["registered_workforce"])
        row["sector_reference_coverage"] = share_or_none(figures["covered_workforce"], book.data.sector_jobs)
        if segment == TOTAL:
            jobs = book.data.sector_jobs
            row["sector_reference_jobs"] = None if jobs is None else int(jobs)
        rows.append(row)
    return rows
