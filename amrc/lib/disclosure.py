"""Disclosure control for published tables: which cells to suppress so that no company's own
figures can be read, recomputed or closely bounded from a bulletin.

Plain Python, no Django: the aggregation declares the cells and what a reader knows about how they
relate (equations, inequalities, a priori bounds); this module holds the primary rules, and
`amrc.lib.disclosure_audit` audits what a reader can derive, by linear programming, and chooses the
complementary suppressions. docs/disclosure.md explains the rules to the member companies.

Primary suppression, cell by cell (the rules statistics offices apply to business tables):
- threshold rule: fewer than `min_contributors` companies contribute to the cell;
- (n, k) dominance rule: the `dominance_n` largest contributions hold more than `dominance_k` %
  of the cell's value.

Protection: a sensitive cell (one of the above) is published as `c`, and it must stay
`c` against everything a reader knows: its interval of feasible values must reach at least
`protection_level` % of its value below and above it (and, for a dominance cell, the second
largest contributor must not bound the largest within that percentage: the p % rule).
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

Number = int | Decimal | Fraction
Key = Hashable

# What produced a revision's suppressions, recorded in its internal record: 1 was exact
# elimination (equations only), 2 the intruder's audit by linear programming, 3 the same audit
# with corrections bounded group by group (an earlier revision's hidden figures at least 0, its
# counts within its respondents) and suppression widened until it converges, 4 the same with the
# companies without a measure protected across all segments together (a group a reader reaches
# from the sector's headcount and a measure's workforce share).
RULES_VERSION = 4

THRESHOLD = "threshold"
DOMINANCE = "dominance"
CORRECTION = "correction"
SECONDARY = "secondary"
DERIVED = "derived"
REASONS = (THRESHOLD, DOMINANCE, CORRECTION, SECONDARY, DERIVED)
PRIMARY = (THRESHOLD, DOMINANCE)


@dataclass(frozen=True)
class DisclosureRules:
    """The parameters of the rules: stored with each bulletin for audit, never published."""

    min_contributors: int = 3
    dominance_n: int = 2
    dominance_k: int = 85
    protection_level: int = 10

    def __post_init__(self) -> None:
        if (
            self.min_contributors < 1
            or self.dominance_n < 1
            or not 0 < self.dominance_k <= 100
            or not 0 < self.protection_level < 100
        ):
            raise ValueError(f"Invalid disclosure rules: {self}")

    def as_dict(self) -> dict[str, int]:
        return {
            "min_contributors": self.min_contributors,
            "dominance_n": self.dominance_n,
            "dominance_k": self.dominance_k,
            "protection_level": self.protection_level,
        }


@dataclass(frozen=True)
class Cell:
    """One number of a table.

    `contributors`: how many companies contribute to it; None for a cell computed from other cells
    (a share, an average), which has no rule of its own and is not a figure the audit reasons on.
    `largest`: the largest contributions, at least `dominance_n` of them when there are that many;
    None where dominance means nothing (a count of companies). `depends_on`: the cells it is
    computed from; it is suppressed whenever one of them is. `level`: 0 for an inner cell, higher
    for subtotals and totals, which complementary suppression spares as long as it can.
    `published`: False for a cell no table shows (segment by formality) which a reader could still
    reach by differencing: the rules protect it like the others.
    `within`: how precisely a reader knows the cell when it is published, as a half-width: 0 for a
    figure printed as it is, more for one printed rounded (an estimate) or only through a rounded
    share (a count of companies printed as a share of the respondents).
    `upper`: what a reader knows bounds the cell from above whatever the data (a count of companies
    never exceeds the respondents it is counted among); every cell is at least `lower`.
    """

    value: Number
    contributors: int | None = None
    largest: tuple[Number, ...] | None = None
    depends_on: tuple[Key, ...] = ()
    level: int = 0
    published: bool = True
    within: Number = 0
    upper: Number | None = None
    lower: Number | None = 0

    @property
    def is_empty(self) -> bool:
        return self.contributors == 0

    @property
    def is_figure(self) -> bool:
        """A sum of companies' contributions (not a share computed from such sums)."""
        return self.contributors is not None


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


def required_margin(cell: Cell, rules: DisclosureRules) -> Fraction:
    """How far the interval a reader can derive must reach on each side of a sensitive cell.

    The protection level (a percentage of the value, and at least one unit, so that a zero is not
    given away either), and for a dominance cell the p % rule with p the same level: the second
    largest contributor, subtracting its own value and knowing the others' are at least 0, must
    not bound the largest within p % of it (Hundepool et al., Statistical Disclosure Control,
    § 4.2.2: protection p·x1 − (value − x1 − x2))."""
    value = abs(Fraction(cell.value))
    p = Fraction(rules.protection_level, 100)
    margin = max(p * value, Fraction(1))
    largest = sorted((Fraction(x) for x in cell.largest or ()), reverse=True)
    if len(largest) >= 2:
        margin = max(margin, p * largest[0] - (value - largest[0] - largest[1]))
    return margin


class Tables:
    """The cells of a publication and what a reader knows of how they relate."""

    def __init__(self) -> None:
        self.cells: dict[Key, Cell] = {}
        self.relations: list[dict[Key, Fraction]] = []
        self.inequalities: list[tuple[dict[Key, Fraction], Fraction]] = []

    def add(self, key: Key, cell: Cell) -> None:
        if key in self.cells:
            raise ValueError(f"Cell {key!r} is already defined.")
        self.cells[key] = cell

    def add_relation(self, terms: Mapping[Key, Number]) -> None:
        """Σ coefficient × cell = 0."""
        relation = {key: Fraction(coefficient) for key, coefficient in terms.items() if coefficient}
        if relation:
            self.relations.append(relation)

    def add_inequality(self, terms: Mapping[Key, Number], constant: Number = 0) -> None:
        """Σ coefficient × cell + constant ≤ 0: a rule every declaration obeys, which readers know."""
        inequality = {key: Fraction(coefficient) for key, coefficient in terms.items() if coefficient}
        if inequality:
            self.inequalities.append((inequality, Fraction(constant)))

    def add_at_most(self, *, part: Key, whole: Key) -> None:
        self.add_inequality({part: 1, whole: -1})

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

    def check(self) -> None:
        for terms in (*self.relations, *(terms for terms, _constant in self.inequalities)):
            for key in terms:
                if key not in self.cells:
                    raise ValueError(f"A relation names the unknown cell {key!r}.")
        for key, cell in self.cells.items():
            for source in cell.depends_on:
                if source not in self.cells:
                    raise ValueError(f"Cell {key!r} depends on the unknown cell {source!r}.")

    def primary_reasons(self, rules: DisclosureRules) -> dict[Key, str | None]:
        return {key: primary_reason(cell, rules) for key, cell in self.cells.items()}

    def propagate_dependencies(self, reasons: dict[Key, str | None]) -> None:
        """A share or an average is suppressed with any cell it is computed from: it would give
        that cell back."""
        changed = True
        while changed:
            changed = False
            for key, cell in self.cells.items():
                if reasons[key] is None and any(reasons[source] is not None for source in cell.depends_on):
                    reasons[key] = DERIVED
                    changed = True
