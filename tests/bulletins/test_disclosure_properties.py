"""Properties of disclosure control on random tables: no published cell breaks a primary rule, and
no protected value can be derived from the published cells of its table.

Derivability is checked independently of amrc.lib.disclosure (which reasons on the relations
between cells): here every cell is a sum of the table's inner cells (its atoms), and a value is
derivable when its vector lies in the span of the published cells' vectors.
"""

from collections.abc import Hashable, Iterable, Mapping
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from amrc.lib.disclosure import Cell, DisclosureRules, Tables
from amrc.lib.disclosure_audit import protect

RULES = DisclosureRules(min_contributors=3, dominance_n=2, dominance_k=85)

Vector = dict[Hashable, Fraction]

# Contributions are either small or large, so that dominated cells are frequent.
contribution = st.one_of(st.integers(0, 30), st.integers(200, 5000))
contributions = st.lists(contribution, min_size=0, max_size=6)


def breaks_a_rule(values: Iterable[int], rules: DisclosureRules = RULES) -> bool:
    """The primary rules, written again from their definition."""
    values = sorted(values, reverse=True)
    if not values:
        return False
    if len(values) < rules.min_contributors:
        return True
    total = sum(values)
    return total > 0 and sum(values[: rules.dominance_n]) * 100 > rules.dominance_k * total


class Span:
    """The linear span of some cells' vectors, by exact Gaussian elimination over the rationals:
    what a reader can compute from those cells."""

    def __init__(self, vectors: Iterable[Vector]) -> None:
        self.basis: list[tuple[Hashable, Vector]] = []
        for vector in vectors:
            reduced = self._reduce(vector)
            if reduced:
                pivot = next(iter(reduced))
                self.basis.append((pivot, reduced))

    def _reduce(self, vector: Vector) -> Vector:
        row = {atom: Fraction(value) for atom, value in vector.items() if value}
        for pivot, base in self.basis:
            factor = row.get(pivot)
            if factor:
                factor /= base[pivot]
                for atom, value in base.items():
                    updated = row.get(atom, Fraction(0)) - factor * value
                    if updated:
                        row[atom] = updated
                    else:
                        row.pop(atom, None)
        return row

    def contains(self, vector: Vector) -> bool:
        return not self._reduce(vector)


def derivable(vectors: Mapping[Hashable, Vector], visible: Iterable[Hashable], target: Hashable) -> bool:
    """Whether the target's vector is a linear combination of the visible cells' vectors."""
    return Span(vectors[key] for key in visible).contains(vectors[target])


def magnitude(values: list[int], **kwargs) -> Cell:
    return Cell(value=sum(values), contributors=len(values), largest=tuple(sorted(values)[-2:]), **kwargs)


def check(tables: Tables, contributions_of: Mapping, vectors: Mapping[Hashable, Vector]) -> None:
    protection = protect(tables, RULES)
    reasons = protection.reasons
    assert not protection.unprotected
    published = [key for key, cell in tables.cells.items() if cell.published and reasons[key] is None]
    for key in published:
        assert not breaks_a_rule(contributions_of[key]), key
    # Suppressed cells, and the unpublished cells a reader could reach by differencing that the
    # rules would not let through.
    protected = [
        key
        for key, cell in tables.cells.items()
        if reasons[key] is not None or (not cell.published and breaks_a_rule(contributions_of[key]))
    ]
    # A reader knows an empty cell is zero, shown or not (all members are formal, say).
    visible = published + [key for key in tables.cells if not contributions_of[key] and key not in published]
    span = Span(vectors[key] for key in visible)
    for key in protected:
        assert not span.contains(vectors[key]), key


@settings(max_examples=300, deadline=None)
@given(st.lists(contributions, min_size=2, max_size=6))
def test_a_table_with_a_total_publishes_no_cell_that_breaks_a_rule_or_gives_one_away(rows):
    tables = Tables()
    contributions_of = {}
    vectors: dict[Hashable, Vector] = {}
    for index, values in enumerate(rows):
        tables.add(index, magnitude(values))
        contributions_of[index] = values
        vectors[index] = {index: Fraction(1)}
    every = [v for values in rows for v in values]
    tables.add("total", magnitude(every, level=2))
    contributions_of["total"] = every
    vectors["total"] = {index: Fraction(1) for index in range(len(rows))}
    tables.add_sum(parts=range(len(rows)), total="total")

    check(tables, contributions_of, vectors)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(2, 4).flatmap(
        lambda rows: st.integers(2, 4).flatmap(
            lambda columns: st.lists(
                st.lists(contributions, min_size=columns, max_size=columns), min_size=rows, max_size=rows
            )
        )
    )
)
def test_a_table_with_row_and_column_totals_publishes_no_cell_that_breaks_a_rule_or_gives_one_away(grid):
    rows, columns = range(len(grid)), range(len(grid[0]))
    tables = Tables()
    contributions_of = {}
    vectors: dict[Hashable, Vector] = {}

    def add(key, values, atoms, level):
        tables.add(key, magnitude(values, level=level))
        contributions_of[key] = values
        vectors[key] = dict.fromkeys(atoms, Fraction(1))

    for r in rows:
        for c in columns:
            add((r, c), grid[r][c], [(r, c)], 0)
    for r in rows:
        add(("row", r), [v for c in columns for v in grid[r][c]], [(r, c) for c in columns], 1)
    for c in columns:
        add(("column", c), [v for r in rows for v in grid[r][c]], [(r, c) for r in rows], 1)
    add("total", [v for r in rows for c in columns for v in grid[r][c]], [(r, c) for r in rows for c in columns], 2)
    tables.add_grid(
        interior={(r, c): (r, c) for r in rows for c in columns},
        row_totals={r: ("row", r) for r in rows},
        column_totals={c: ("column", c) for c in columns},
        grand_total="total",
    )

    check(tables, contributions_of, vectors)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(contributions, min_size=3, max_size=3), min_size=2, max_size=2))
def test_two_tables_of_the_same_companies_give_away_no_unpublished_cross_cell(grid):
    # By segment and by formality, both published with their common total; segment by formality
    # is not published, but a reader can difference the two tables to reach it.
    segments, formalities = range(2), range(3)
    tables = Tables()
    contributions_of = {}
    vectors: dict[Hashable, Vector] = {}

    def add(key, values, atoms, level=0, published=True):
        tables.add(key, magnitude(values, level=level, published=published))
        contributions_of[key] = values
        vectors[key] = dict.fromkeys(atoms, Fraction(1))

    for s in segments:
        for f in formalities:
            add(("cross", s, f), grid[s][f], [(s, f)], published=False)
    for s in segments:
        add(("segment", s), [v for f in formalities for v in grid[s][f]], [(s, f) for f in formalities])
    for f in formalities:
        add(("formality", f), [v for s in segments for v in grid[s][f]], [(s, f) for s in segments])
    add("total", [v for row in grid for values in row for v in values], list(vectors), level=2)
    tables.add_grid(
        interior={(s, f): ("cross", s, f) for s in segments for f in formalities},
        row_totals={s: ("segment", s) for s in segments},
        column_totals={f: ("formality", f) for f in formalities},
        grand_total="total",
    )

    check(tables, contributions_of, vectors)


def test_the_independent_check_sees_a_row_given_away_by_the_total():
    vectors = {"a": {"a": Fraction(1)}, "b": {"b": Fraction(1)}, "total": {"a": Fraction(1), "b": Fraction(1)}}

    assert derivable(vectors, ["a", "total"], "b")
    assert not derivable(vectors, ["total"], "b")
