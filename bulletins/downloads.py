"""The downloadable files, written from stored snapshots only (formats documented in
docs/bulletin-schema.md, "Downloads"). Keys, not labels, and dot-decimal numbers, so the files
read the same in every language and in any spreadsheet or script."""

import csv
import io
import json
from collections.abc import Iterable, Iterator

from bulletins.aggregation import KEY_FIGURES
from bulletins.presentation import SeriesPoint

REVISION_CSV_COLUMNS = ["table", "row", "column", "value", "flag"]

SERIES_CSV_COLUMNS = [
    "bulletin",
    "revision",
    "title",
    "period_start",
    "period_end",
    "published_at",
    *[column for name in KEY_FIGURES for column in (name, f"{name}_flag")],
    # Added after the figures so that scripts reading the earlier columns by position still work.
    "title_ar",
    "title_en",
]


def _value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _cell_values(cell) -> tuple[str, str]:
    """A suppressed cell is written as an empty value with its flag, whatever the snapshot holds."""
    if not isinstance(cell, dict):
        return _value(cell), ""
    flag = cell.get("flag") or ""
    return ("" if flag else _value(cell.get("value"))), flag


def revision_csv_rows(snapshot: dict) -> Iterator[list[str]]:
    """One row per published cell: key figures, their changes, every table, the estimates and the
    response counts."""
    for name, cell in (snapshot.get("key_figures") or {}).items():
        yield ["key_figures", "total", name, *_cell_values(cell)]
    for name, change in ((snapshot.get("changes") or {}).get("key_figures") or {}).items():
        for column in ("previous", "delta"):
            yield ["changes", name, column, _value((change or {}).get(column)), ""]
    for table in snapshot.get("tables") or []:
        rows = [*(table.get("rows") or [])]
        if table.get("total"):
            rows.append(table["total"])
        for row in rows:
            for column, cell in (row.get("cells") or {}).items():
                yield [table.get("id", ""), row.get("key", ""), column, *_cell_values(cell)]
    for row in (snapshot.get("estimates") or {}).get("rows") or []:
        for column, cell in (row.get("cells") or {}).items():
            yield ["estimates", row.get("key", ""), column, *_cell_values(cell)]
        for column, value in (row.get("basis") or {}).items():
            yield ["estimates_basis", row.get("key", ""), column, _value(value), ""]
    for row in (snapshot.get("response") or {}).get("rows") or []:
        for column, value in row.items():
            if column != "key":
                yield ["response", row.get("key", ""), column, _value(value), ""]


def _csv_text(header: list[str], rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def revision_csv(snapshot: dict) -> str:
    return _csv_text(REVISION_CSV_COLUMNS, revision_csv_rows(snapshot))


def revision_json(snapshot: dict) -> str:
    return json.dumps(snapshot, ensure_ascii=False, indent=2)


def series_csv(points: list[SeriesPoint]) -> str:
    rows = []
    for point in points:
        figures = []
        for name in KEY_FIGURES:
            figures.extend(_cell_values(point.key_figures.get(name)))
        identity = [point.slug, str(point.revision), point.title, point.period_start, point.period_end]
        translations = [point.title_translations.get(language, "") for language in ("ar", "en")]
        rows.append([*identity, point.published_at, *figures, *translations])
    return _csv_text(SERIES_CSV_COLUMNS, rows)
