"""The downloadable files, written from stored snapshots only (formats documented in
docs/bulletin-schema.md, "Downloads"). Keys, not labels, and dot-decimal numbers, so the files
read the same in every language and in any spreadsheet or script. A text cell a spreadsheet would
run as a formula (a title starting with `=`) is written with a leading apostrophe."""

import csv
import io
import json
import re
from collections.abc import Collection, Iterable, Iterator
from decimal import Decimal

from amrc.lib.spreadsheet_cells import neutralised
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


def _plain_values(value, flag: str | None) -> tuple[str, str]:
    """A plain number of the response table or an estimate's basis, with its row's flag."""
    return ("", flag) if flag else (_value(value), "")


def revision_csv_rows(snapshot: dict) -> Iterator[list[str]]:
    """One row per published cell: key figures, their changes (with their base), the reasons a
    provisional bulletin gives, every table, the estimates and the response counts."""
    for name, cell in (snapshot.get("key_figures") or {}).items():
        yield ["key_figures", "total", name, *_cell_values(cell)]
    changes = snapshot.get("changes") or {}
    for name, change in (changes.get("key_figures") or {}).items():
        change = change or {}
        yield ["changes", name, "previous", _value(change.get("previous")), ""]
        flag = change.get("flag") or ""
        yield ["changes", name, "delta", "" if flag else _value(change.get("delta")), flag]
        if "base" in change:
            yield ["changes", name, "base", _value(change["base"]), ""]
    for column, count in (changes.get("companies") or {}).items():
        yield ["changes", "companies", column, _value(count), ""]
    for reason in (snapshot.get("provisional") or {}).get("reasons") or []:
        for column, value in reason.items():
            if column != "code":
                yield ["provisional", reason.get("code", ""), column, _value(value), ""]
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
        flags = row.get("flags") or {}
        for column, value in (row.get("basis") or {}).items():
            yield ["estimates_basis", row.get("key", ""), column, *_plain_values(value, flags.get(column))]
    for row in (snapshot.get("response") or {}).get("rows") or []:
        flags = row.get("flags") or {}
        for column, value in row.items():
            if column not in ("key", "flags"):
                yield ["response", row.get("key", ""), column, *_plain_values(value, flags.get(column))]


def _csv_text(header: list[str], rows: Iterable[list[str]], *, delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([neutralised(cell) for cell in row] for row in rows)
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


# The columns holding numbers, which the spreadsheet variant writes with a decimal comma.
REVISION_CSV_NUMBERS = ["value"]
SERIES_CSV_NUMBERS = list(KEY_FIGURES)
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


def _decimal_comma(value: str) -> str:
    if not PLAIN_NUMBER.fullmatch(value):
        return value
    return format(Decimal(value), "f").replace(".", ",")


def spreadsheet_csv(text: str, *, number_columns: Collection[str]) -> str:
    """The same file for spreadsheets set to French conventions (as in Morocco): semicolons between
    cells and a decimal comma in the number columns, so that opening it shows columns of numbers
    rather than one line of text. Written from the comma file, so the two always hold the same
    cells; dates, keys and flags are unchanged."""
    rows = csv.reader(io.StringIO(text))
    header = next(rows, [])
    numbers = {index for index, column in enumerate(header) if column in number_columns}
    return _csv_text(
        header,
        ([_decimal_comma(cell) if index in numbers else cell for index, cell in enumerate(row)] for row in rows),
        delimiter=";",
    )
