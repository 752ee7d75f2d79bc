"""The cells of a bulletin, shared by every table's builder: declaring a cell for the disclosure
rules, rolling groups up, and printing a cell once the rules have decided."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from amrc.lib.disclosure import Cell, Tables
from bulletins.aggregation.columns import FORMALITIES, KINDS, SEGMENTS, TOTAL
from bulletins.aggregation.reading import CampaignData, Sums

# A share printed to 4 decimals tells a reader its value within half a unit of the last decimal.
SHARE_HALF_WIDTH = Fraction(1, 20_000)
ROUNDED_TO_UNIT = Fraction(1, 2)


class CellBook:
    """Every cell and relation of one bulletin, then what the disclosure rules decided for them."""

    def __init__(self, *, data: CampaignData) -> None:
        self.data = data
        self.n = data.rules.dominance_n
        self.tables = Tables()
        self.values: dict[tuple, object] = {}
        self.printed: set[tuple] = set()
        self.reasons: Mapping[tuple, str | None] = {}
        segment_sums = {s: self.rollup(lambda group, s=s: group[0] == s) for s in SEGMENTS}
        formality_sums = {f: self.rollup(lambda group, f=f: group[1] == f) for f in FORMALITIES}
        self.groups: dict[tuple[str, str], Sums] = {
            **{("segment", s): sums for s, sums in segment_sums.items()},
            **{("formality", f): sums for f, sums in formality_sums.items()},
            ("all", TOTAL): self.rollup(lambda group: True),
        }
        self.respondents = {s: self.groups["segment", s].respondents for s in SEGMENTS}
        self.respondents[TOTAL] = self.groups["all", TOTAL].respondents

    # Declaring cells.

    def add(self, key: tuple, cell: Cell | None) -> None:
        """A cell the disclosure rules see; None for a figure that cannot be computed (a share of
        nothing), which is published as not available."""
        if cell is None:
            self.values[key] = None
            return
        self.tables.add(key, replace(cell, level=level(key)))
        self.values[key] = cell.value

    def add_share(self, key, numerator, denominator, sources, denominator_key=None) -> None:
        value = ratio(numerator, denominator)
        if value is None:
            self.add(key, None)
            return
        denominator_key = denominator_key or ("headcount", *key[1:])
        self.add(key, Cell(value=value, depends_on=(*sources, denominator_key)))

    def rollup(self, belongs: Callable[[tuple[str, str]], bool]) -> Sums:
        return sum((sums for group, sums in self.data.groups.items() if belongs(group)), Sums())

    def largest(self, name: str, dimension: str, key: str) -> tuple:
        groups = [
            (segment, formality)
            for segment in SEGMENTS
            for formality in FORMALITIES
            if dimension == "all" or key == {"segment": segment, "formality": formality}[dimension]
        ]
        return top((v for group in groups for v in self.data.largest.get((name, *group), [])), self.n)

    # Printing, once the rules have decided.

    def cell(self, key: tuple, kind: str | None = None) -> dict:
        kind = kind or column_kind(key[0])
        if key not in self.tables.cells:
            # Counts of respondents (the response base, published as such) or a figure that
            # cannot be computed.
            value = self.values.get(key)
            return {"value": None if value is None else public_value(value, kind), "flag": None}
        self.printed.add(key)
        if self.reasons[key] is not None:
            return {"value": None, "flag": "c"}
        return {"value": public_value(self.values[key], kind), "flag": None}

    def count_share_cell(self, key: tuple, base: int) -> dict:
        """A count of companies published as a share of the respondents it is counted among."""
        self.printed.add(key)
        if self.reasons[key] is not None:
            return {"value": None, "flag": "c"}
        if not base:
            return {"value": None, "flag": None}
        return {"value": public_value(Fraction(self.values[key], base), "share"), "flag": None}


def flags(cells: Mapping[str, dict | object]) -> dict:
    """For a block of plain numbers (the response table, an estimate's basis): the columns
    suppressed, as {"flags": {column: "c"}}, or nothing when every number is published."""
    suppressed = {name: "c" for name, cell in cells.items() if isinstance(cell, dict) and cell.get("flag") == "c"}
    return {"flags": suppressed} if suppressed else {}


def top(values: Iterable, n: int) -> tuple:
    return tuple(sorted(values, reverse=True)[:n])


def rounded(value: Fraction | Decimal | int, places: int) -> Decimal:
    with localcontext() as context:
        context.prec = 50
        if isinstance(value, Fraction):
            value = Decimal(value.numerator) / Decimal(value.denominator)
        return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def public_value(value, kind: str) -> int | float:
    if kind == "share":
        return float(rounded(value, 4))
    if kind == "money":
        return float(rounded(value, 2))
    return int(rounded(value, 0))


def ratio(numerator, denominator) -> Fraction | None:
    if not denominator:
        return None
    return Fraction(numerator) / Fraction(denominator)


def share_or_none(numerator, denominator) -> float | None:
    value = ratio(numerator, denominator)
    return None if value is None else public_value(value, "share")


def level(key: tuple) -> int:
    """Declared totals, then subtotals, are the figures readers look for first: complementary
    suppression takes inner cells before them, and an estimated total before a declared one."""
    if key[0] == "estimate":
        return 1 if key[2] == TOTAL else 0
    if key[1] == "all" or TOTAL in key:
        return 2
    if key[0] == "headcount" and key[1] != "region_segment":
        return 1
    return 0


def column_kind(column: str) -> str:
    if column.endswith("_share") or column.endswith("_avg"):
        return "share"
    return KINDS.get(column, "count")
