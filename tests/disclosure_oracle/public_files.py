"""What a reader downloads: the JSON and CSV files of every revision of a bulletin, fetched through
the public addresses, flattened to one number per (table, row, column) as the CSV writes them.

The two files must say the same thing; a number either of them carries is known to the reader.
Every part of the JSON document is accounted for: a part the oracle does not read would be
something a reader knows and the oracle ignores, so it stops the audit instead.
"""

import csv
import io
import json
from dataclasses import dataclass, field

from django.test import Client

Key = tuple[str, str, str]

# Parts of the document that carry no figure of the campaign's companies: identity and dates, the
# title and editorial in each language (staff's words), the number of suppressed cells, and the
# comparison with the previous bulletin (another campaign's published figures, which this oracle
# does not combine: see docs in oracle.py).
NOT_FIGURES = {"schema", "campaign", "computed_at", "bulletin", "texts", "methodology", "changes", "provisional"}
READ = {"key_figures", "tables", "estimates", "response"}
# "c": confidential, the value is withheld.
FLAGS = {"", "c"}
TABLE_PARTS = {"id", "dimension", "column_dimension", "columns", "measure", "rows", "total"}


class UnreadPublication(AssertionError):
    """The bulletin publishes something the oracle does not know how to read."""


@dataclass
class PublishedRevision:
    slug: str
    number: int
    document: dict
    # Every published number, by (table, row, column); suppressed and unavailable cells are absent.
    numbers: dict[Key, float] = field(default_factory=dict)
    suppressed: set[Key] = field(default_factory=set)
    # Where the two files do not say the same thing (a flag in one only, a cell missing from one).
    disagreements: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.slug} r{self.number}"


def read_bulletin(client: Client, slug: str) -> list[PublishedRevision]:
    """Every published revision of the bulletin, as a reader downloads them: the time series names
    each bulletin's current revision, and every earlier one stays online."""
    response = client.get("/bulletins/serie.csv")
    assert response.status_code == 200, response.status_code
    series = {
        row["bulletin"]: int(row["revision"])
        for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    }
    assert slug in series, f"{slug} is not in the published series"
    revisions = []
    for number in range(1, series[slug] + 1):
        base = f"/bulletins/{slug}/revisions/{number}/bulletin"
        json_response, csv_response = client.get(base + ".json"), client.get(base + ".csv")
        assert json_response.status_code == csv_response.status_code == 200, base
        document = json.loads(json_response.content.decode("utf-8"))
        revisions.append(_published(slug, number, document, csv_response.content.decode("utf-8-sig")))
    return revisions


def _published(slug: str, number: int, document: dict, csv_text: str) -> PublishedRevision:
    unknown = set(document) - NOT_FIGURES - READ
    if unknown:
        raise UnreadPublication(
            f"{slug} r{number}: the JSON publishes {sorted(unknown)}, which the oracle does not read"
        )
    revision = PublishedRevision(slug=slug, number=number, document=document)
    from_json = dict(_json_cells(document))
    from_csv = dict(_csv_cells(csv_text, revision))
    for key in sorted(from_json.keys() | from_csv.keys()):
        json_value, json_flag = from_json.get(key, (None, None))
        csv_value, csv_flag = from_csv.get(key, (None, None))
        if (json_value, json_flag) != (csv_value, csv_flag):
            revision.disagreements.append(f"{key}: JSON {(json_value, json_flag)}, CSV {(csv_value, csv_flag)}")
        values = {value for value in (json_value, csv_value) if value is not None}
        if len(values) > 1 and max(values) - min(values) > 1e-9 * max(1.0, *map(abs, values)):
            raise AssertionError(f"{revision.label}: the JSON and the CSV give {key} different values {values}")
        if key[0] == "changes":
            continue
        if values:
            # A number either file carries is known, even beside a flag in the other.
            revision.numbers[key] = values.pop()
        elif "c" in (json_flag, csv_flag):
            revision.suppressed.add(key)
    return revision


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise UnreadPublication(f"A boolean where a number was expected: {value!r}")
    return float(value)


def _cell(value) -> tuple[float | None, str]:
    """A cell {"value", "flag"} or a plain number (the response base and the estimates' basis)."""
    if isinstance(value, dict):
        unknown = set(value) - {"value", "flag"}
        if unknown:
            raise UnreadPublication(f"A cell carries {sorted(unknown)}, which the oracle does not read")
        flag = value.get("flag") or ""
        if flag not in FLAGS:
            raise UnreadPublication(f"A cell is flagged {flag!r}, which the oracle does not read")
        return (None if flag else _number(value.get("value"))), flag
    return _number(value), ""


def _flagged(value, row: dict, column: str) -> tuple[float | None, str]:
    """A plain number of a block whose suppressed columns are named in the row's `flags`."""
    flag = (row.get("flags") or {}).get(column) or ""
    if flag not in FLAGS:
        raise UnreadPublication(f"A column is flagged {flag!r}, which the oracle does not read")
    if flag:
        return None, flag
    return _cell(value)


def _known(part: dict, keys: set[str], where: str) -> None:
    unknown = set(part) - keys
    if unknown:
        raise UnreadPublication(f"{where} publishes {sorted(unknown)}, which the oracle does not read")


def _json_cells(document: dict):
    for name, cell in (document.get("key_figures") or {}).items():
        yield ("key_figures", "total", name), _cell(cell)
    changes = document.get("changes") or {}
    for name, change in (changes.get("key_figures") or {}).items():
        change = change or {}
        yield ("changes", name, "previous"), _cell(change.get("previous"))
        yield ("changes", name, "delta"), (None, change["flag"]) if change.get("flag") else _cell(change.get("delta"))
        if "base" in change:
            yield ("changes", name, "base"), _cell(change["base"])
    for column, count in (changes.get("companies") or {}).items():
        yield ("changes", "companies", column), _cell(count)
    for table in document.get("tables") or []:
        _known(table, TABLE_PARTS, f"Table {table.get('id')}")
        rows = [*(table.get("rows") or [])]
        if table.get("total"):
            rows.append(table["total"])
        for row in rows:
            # A measure's category says which table shows it; the oracle reads the tables themselves.
            _known(row, {"key", "cells", "category"}, f"Table {table.get('id')} row {row.get('key')}")
            for column, cell in (row.get("cells") or {}).items():
                yield (table["id"], row["key"], column), _cell(cell)
    estimates = document.get("estimates") or {}
    _known(estimates, {"method", "rows"}, "The estimates")
    if estimates.get("method", "ratio-by-segment") != "ratio-by-segment":
        raise UnreadPublication(f"Estimates by {estimates['method']!r}, which the oracle does not model")
    for row in estimates.get("rows") or []:
        _known(row, {"key", "basis", "cells", "flags"}, f"Estimate row {row.get('key')}")
        for column, cell in (row.get("cells") or {}).items():
            yield ("estimates", row["key"], column), _cell(cell)
        for column, value in (row.get("basis") or {}).items():
            yield ("estimates_basis", row["key"], column), _flagged(value, row, column)
    _known(document.get("response") or {}, {"rows"}, "The response table")
    for row in (document.get("response") or {}).get("rows") or []:
        for column, value in row.items():
            if column not in ("key", "flags"):
                yield ("response", row["key"], column), _flagged(value, row, column)


def _csv_cells(text: str, revision: PublishedRevision):
    for row in csv.DictReader(io.StringIO(text)):
        key = (row["table"], row["row"], row["column"])
        if row["table"] == "provisional":
            # Why the bulletin is provisional: dates and floors, no figure of the tables.
            continue
        if row["flag"] not in FLAGS:
            raise UnreadPublication(f"A CSV row is flagged {row['flag']!r}, which the oracle does not read")
        try:
            value = _number(row["value"])
        except ValueError:
            revision.disagreements.append(f"{key}: the CSV writes {row['value']!r}, not a number")
            continue
        yield key, (value, row["flag"])
