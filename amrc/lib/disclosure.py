"""Disclosure control for published tables: which cells to suppress so that no company's own
figures can be read, or recomputed, from a bulletin.

Plain Python, no Django: the aggregation builds the cells and says how they relate, this module
decides what is published.

Primary suppression, cell by cell (the rules statistics offices apply to business tables):
- threshold rule: fewer than `min_contributors` companies contribute to the cell;
- (n, k) dominance rule: the `dominance_n` largest contributions hold more than `dominance_k` %
  of the cell's value. With n = 2 the second-largest contributor cannot subtract its own figure
  from the cell to estimate the largest one, which a (1, k) rule alone lets it do.

Secondary suppression: a reader knows how the cells of a table relate (rows add up to the total
row, the parts of the headcount add up to the headcount, an estimate is a published multiple of
a respondents' sum). A suppressed cell is *exposed* when those linear relations and the published
cells determine its value uniquely. The same holds for cells no table shows but a reader can
compute by differencing two tables (the small formal operators, as formal minus members, when
every member is formal). Exposure is checked by exact Gaussian elimination over the rationals
(carried out in integers, each row scaled by its denominators): restricted to the cells a reader
cannot see, the relations must not combine into the equation of one protected cell alone. While a
cell is exposed, one of the published cells its recomputation uses is suppressed too: inner cells
before subtotals and totals (readers need the totals most), and among those the smallest value
first (what is lost matters least).

Shares and averages are published only when every cell they are computed from is (`depends_on`):
a share of a suppressed count would give the count back.

An empty cell (no contributor) is zero to everyone: it is published and never serves as a
complementary suppression, since hiding it would protect nothing.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import gcd, lcm

Number = int | Decimal | Fraction
Key = Hashable

THRESHOLD = "threshold"
DOMINANCE = "dominance"
SECONDARY = "secondary"
DERIVED = "derived"
REASONS = (THRESHOLD, DOMINANCE, SECONDARY, DERIVED)


@dataclass(frozen=True)
class DisclosureRules:
    """The parameters of the primary rules: stored with each bulletin for audit, never published."""

    min_contributors: int = 3
    dominance_n: int = 2
    dominance_k: int = 85

    def __post_init__(self) -> None:
        if self.min_contributors < 1 or self.dominance_n < 1 or not 0 < self.dominance_k <= 100:
            raise ValueError(f"Invalid disclosure rules: {self}")

    def as_dict(self) -> dict[str, int]:
        return {
            "min_contributors": self.min_contributors,
            "dominance_n": self.dominance_n,
            "dominance_k": self.dominance_k,
        }


@dataclass(frozen=True)
class Cell:
    """One number of a table.

    `contributors`: how many companies contribute to it; None for a cell computed from other cells
    (a share, an average), which has no rule of its own. `largest`: the largest contributions, at
    least `dominance_n` of them when there are that many; None where dominance means nothing (a
    count of companies, an estimate). `depends_on`: the cells it is computed from; it is suppressed
    whenever one of them is. `level`: 0 for an inner cell, higher for subtotals and totals, which
    complementary suppression spares as long as it can. `published`: False for a cell no table
    shows (segment by formality, when only the margins are published), which a reader could still
    compute by differencing two tables: the rules protect it like the others.
    """

    value: Number
    contributors: int | None = None
    largest: tuple[Number, ...] | None = None
    depends_on: tuple[Key, ...] = ()
    level: int = 0
    published: bool = True

    @property
    def is_empty(self) -> bool:
        return self.contributors == 0


def is_dominated(value: Number, largest: Iterable[Number], rules: DisclosureRules) -> bool:
    total = Fraction(value)
    if total <= 0:
        # Every contribution is zero: there is no share to hold.
        return False
    top = sum((Fraction(x) for x in sorted(largest, reverse=True)[: rules.dominance_n]), Fraction(0))
    return 100 * top > rules.dominance_k * total


def primary_reason(cell: Cell, rules: DisclosureRules) -> str | None:
    """THRESHOLD, DOMINANCE, or None when the cell may be published on its own."""
    if not cell.contributors:
        return None
    if cell.contributors < rules.min_contributors:
        return THRESHOLD
    if cell.largest is not None and is_dominated(cell.value, cell.largest, rules):
        return DOMINANCE
    return None


class Tables:
    """The cells of a publication and the linear relations a reader knows between them."""

    def __init__(self) -> None:
        self.cells: dict[Key, Cell] = {}
        self.relations: list[dict[Key, Fraction]] = []
        self._integers: list[dict[Key, int]] | None = None

    def add(self, key: Key, cell: Cell) -> None:
        if key in self.cells:
            raise ValueError(f"Cell {key!r} is already defined.")
        self.cells[key] = cell

    def add_relation(self, terms: Mapping[Key, Number]) -> None:
        """Σ coefficient × cell = 0."""
        relation = {key: Fraction(coefficient) for key, coefficient in terms.items() if coefficient}
        if relation:
            self.relations.append(relation)
            self._integers = None

    def add_sum(self, *, parts: Iterable[Key], total: Key) -> None:
        """A one-dimensional table: its rows add up to its total."""
        terms: dict[Key, Fraction] = {}
        for key in parts:
            terms[key] = terms.get(key, Fraction(0)) + 1
        terms[total] = terms.get(total, Fraction(0)) - 1
        self.add_relation(terms)

    def add_grid(
        self,
        *,
        interior: Mapping[tuple[Hashable, Hashable], Key],
        row_totals: Mapping[Hashable, Key],
        column_totals: Mapping[Hashable, Key],
        grand_total: Key,
    ) -> None:
        """A two-dimensional table with a total for each row, each column, and the whole."""
        rows = list(row_totals)
        columns = list(column_totals)
        for row in rows:
            self.add_sum(parts=[interior[row, column] for column in columns], total=row_totals[row])
        for column in columns:
            self.add_sum(parts=[interior[row, column] for row in rows], total=column_totals[column])
        self.add_sum(parts=[column_totals[column] for column in columns], total=grand_total)

    def add_multiple(self, *, key: Key, of: Key, factor: Number) -> None:
        """`key` = `factor` × `of`, with `factor` known to the reader (an estimate's ratio)."""
        self.add_relation({key: 1, of: -Fraction(factor)})

    def protect(self, rules: DisclosureRules) -> dict[Key, str | None]:
        """Why each cell is suppressed (THRESHOLD, DOMINANCE, SECONDARY, DERIVED), or None when
        it is published."""
        self._check_relations()
        order = {key: index for index, key in enumerate(self.cells)}
        reasons = {key: primary_reason(cell, rules) for key, cell in self.cells.items()}
        # Cells that only empty cells determine: no suppression can hide them, and they hold no
        # company's figure (the relations they come from were not met by the data, e.g. a headcount
        # declared without its split).
        beyond_reach: set[Key] = set()
        while True:
            self._propagate_dependencies(reasons)
            exposures = [item for item in self._exposures(reasons, order) if item[0] not in beyond_reach]
            if not exposures:
                return reasons
            # One elimination serves every exposed cell; a complement chosen for one may already
            # break another's recomputation, which the next round then checks.
            chosen: set[Key] = set()
            for exposed, formula in exposures:
                if chosen.intersection(formula):
                    continue
                candidates = [key for key in formula if not self.cells[key].is_empty]
                if not candidates:
                    beyond_reach.add(exposed)
                    continue
                complement = min(
                    candidates,
                    key=lambda key: (self.cells[key].level, abs(Fraction(self.cells[key].value)), order[key]),
                )
                reasons[complement] = SECONDARY
                chosen.add(complement)

    def exposed(self, suppressed: Iterable[Key]) -> list[Key]:
        """The cells of `suppressed` (which may name unpublished cells) that the relations and the
        published cells determine: for checks."""
        suppressed = set(suppressed)
        reasons = {key: (SECONDARY if key in suppressed else None) for key in self.cells}
        order = {key: index for index, key in enumerate(self.cells)}
        return [key for key, _formula in self._exposures(reasons, order)]

    def _integer_relations(self) -> list[dict[Key, int]]:
        """The relations scaled to integer coefficients, computed once."""
        if self._integers is None:
            self._integers = []
            for relation in self.relations:
                scale = lcm(*(c.denominator for c in relation.values()))
                self._integers.append({key: int(c * scale) for key, c in relation.items()})
        return self._integers

    def _check_relations(self) -> None:
        for relation in self.relations:
            for key in relation:
                if key not in self.cells:
                    raise ValueError(f"A relation names the unknown cell {key!r}.")
        for key, cell in self.cells.items():
            for source in cell.depends_on:
                if source not in self.cells:
                    raise ValueError(f"Cell {key!r} depends on the unknown cell {source!r}.")

    def _propagate_dependencies(self, reasons: dict[Key, str | None]) -> None:
        changed = True
        while changed:
            changed = False
            for key, cell in self.cells.items():
                if reasons[key] is None and any(reasons[source] is not None for source in cell.depends_on):
                    reasons[key] = DERIVED
                    changed = True

    def _exposures(self, reasons: dict[Key, str | None], order: dict[Key, int]) -> list[tuple[Key, list[Key]]]:
        """Each exposed cell with the published cells its recomputation uses, in cell order.

        The relations restricted to the cells a reader does not see (suppressed or never
        published) are brought to reduced row echelon form, keeping track of which combination of
        relations gave each row. A row reduced to one protected cell is an equation that recomputes
        it from published cells only; the published cells with a non-zero coefficient in that
        combination are what a complementary suppression must hit.
        """
        hidden = {
            key
            for key, reason in reasons.items()
            if reason is not None or not (self.cells[key].published or self.cells[key].is_empty)
        }
        rows: list[tuple[dict[Key, int], dict[int, int]]] = []
        for index, relation in enumerate(self._integer_relations()):
            restricted = {key: c for key, c in relation.items() if key in hidden}
            if restricted:
                rows.append((restricted, {index: 1}))
        pivots = _reduce(rows, sorted(hidden, key=order.__getitem__))

        exposures = []
        for column, (row, combination) in pivots:
            if len(row) != 1 or reasons[column] is None:
                continue
            known: dict[Key, int] = {}
            for index, weight in combination.items():
                for key, coefficient in self._integer_relations()[index].items():
                    if key not in hidden:
                        known[key] = known.get(key, 0) + weight * coefficient
            formula = sorted((key for key, coefficient in known.items() if coefficient), key=order.__getitem__)
            exposures.append((column, formula))
        exposures.sort(key=lambda item: order[item[0]])
        return exposures


def _reduce(
    rows: list[tuple[dict[Key, int], dict[int, int]]], columns: list[Key]
) -> list[tuple[Key, tuple[dict[Key, int], dict[int, int]]]]:
    """Gauss-Jordan elimination over the rationals, kept in integers (a row scaled by a non-zero
    number spans the same line): sparse rows, each carried with the combination of original rows
    it is a multiple of. Returns (pivot column, row) pairs; a row may be any non-zero multiple of
    its reduced form, which changes neither which cells it involves nor the span."""
    remaining = list(rows)
    pivots: list[tuple[Key, tuple[dict[Key, int], dict[int, int]]]] = []
    for column in columns:
        # The shortest row with the column keeps the fill-in, and so the work, small.
        chosen = min(
            (i for i, (row, _c) in enumerate(remaining) if column in row),
            key=lambda i: len(remaining[i][0]) + len(remaining[i][1]),
            default=None,
        )
        if chosen is None:
            continue
        pivot = remaining.pop(chosen)
        for target in (*(r for _col, r in pivots), *remaining):
            if column in target[0]:
                _eliminate(target, pivot, column)
        pivots.append((column, pivot))
    return pivots


def _eliminate(target: tuple[dict, dict], pivot: tuple[dict, dict], column: Key) -> None:
    """target := a × target − b × pivot, which clears the column, then divided by the gcd of its
    entries so that the integers stay small."""
    a, b = pivot[0][column], target[0][column]
    common = gcd(a, b)
    a, b = a // common, b // common
    divisor = 0
    for part, source in zip(target, pivot, strict=True):
        for key in part:
            part[key] *= a
        for key, value in source.items():
            updated = part.get(key, 0) - b * value
            if updated:
                part[key] = updated
            else:
                part.pop(key, None)
        for value in part.values():
            divisor = gcd(divisor, value)
    if divisor > 1:
        for part in target:
            for key in part:
                part[key] //= divisor
