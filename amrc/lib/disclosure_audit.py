"""The intruder's audit: what a determined reader can derive about each sensitive cell from
everything published, by linear programming (SciPy's HiGHS), and the complementary suppressions
that audit calls for.

The reader is assumed to know every published figure of the bulletin and of its earlier revisions,
which declarations differ between them and in which groups they fall, how the cells relate
(rows add up, parts add up to the headcount, regional lines add up to the declared totals, an
estimate is a published multiple of a sum), the rules every declaration obeys (values are at
least 0, dismissals are part of separations, a count of companies never exceeds the respondents),
and figures printed rounded as the intervals their rounding leaves. For a sensitive cell, the
smallest and largest values consistent with all of that are two linear programs over the cells the
reader does not see; published cells are constants, so only hidden cells are variables, and the
programs are solved per connected group of hidden cells.

Complementary suppression is driven by the same programs: when a bound is too tight, the
constraints that bind it (non-zero dual values) name the published cells that pin it, and one of
them is suppressed (inner cells before totals, least value first) until the cell meets its
protection. Suppressing more only widens what a reader can derive, so a cell once protected stays
protected; the audit runs once more over every sensitive cell as the gate.
"""

import math
from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from amrc.lib.disclosure import (
    CORRECTION,
    DERIVED,
    PRIMARY,
    SECONDARY,
    Cell,
    DisclosureRules,
    Key,
    Tables,
    primary_reason,
    required_margin,
)

# Values are summed in floating point by the solver: a bound within this share of the value (or
# of one unit) of what the protection asks counts as reached.
TOLERANCE = 1e-7


@dataclass(frozen=True)
class Earlier:
    """Figures a reader already holds: an earlier revision of the same bulletin.

    `values`: the true value of each of its cells (from its internal record); `hidden`: its cells a
    reader did not see. `changes` gives, per cell, the contributions of the companies whose
    declaration differs between the two revisions, or a cell with no contributors (None) for a
    figure that moved otherwise (an estimate's factor); a cell absent from it is unchanged, which
    the reader is assumed to know. `only_added` says every difference is a declaration added.

    `bounds`: per changed cell, what a reader knows of its difference (lower, upper; None where
    nothing bounds it), from which declarations were added, removed or changed in its group: a
    sum of added declarations only grows, a count of companies moves by at most the companies
    that differ. `uppers`: what bounded a count of companies in the earlier revision (the
    respondents it was counted among then). Without them, `only_added` gives coarser bounds."""

    label: str
    values: Mapping[Key, Fraction]
    hidden: frozenset
    changes: Mapping[Key, Cell]
    only_added: bool = False
    companies: int = 0
    bounds: Mapping[Key, tuple[Fraction | None, Fraction | None]] = field(default_factory=dict)
    uppers: Mapping[Key, Fraction] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    """The difference of a cell between this revision and an earlier one: the node of the audit
    for the companies whose declarations changed."""

    label: str
    key: Key


@dataclass(frozen=True)
class Interval:
    """What a reader can derive about a sensitive cell, against what its protection asks."""

    value: float
    low: float
    high: float
    required_low: float
    required_high: float
    reason: str
    # False when low and high are only the furthest feasible values found on the way, enough to
    # show the protection holds: the true interval is at least that wide.
    exact: bool = True

    @property
    def protected(self) -> bool:
        slack = TOLERANCE * max(1.0, abs(self.value))
        return self.low <= self.required_low + slack and self.high >= self.required_high - slack

    @property
    def width(self) -> float:
        return self.high - self.low

    @property
    def determined(self) -> bool:
        """Only one whole number fits: as good as published, for figures counted in units."""
        if math.isinf(self.low) or math.isinf(self.high):
            return False
        slack = TOLERANCE * max(1.0, abs(self.value))
        return math.floor(self.high + slack) - math.ceil(self.low - slack) < 1


@dataclass
class Protection:
    """The outcome: why each cell is suppressed (None when published), and the gate's audit."""

    reasons: dict[Key, str | None]
    intervals: dict[Hashable, Interval] = field(default_factory=dict)

    @property
    def unprotected(self) -> list[Hashable]:
        return [node for node, interval in self.intervals.items() if not interval.protected]


def protect(tables: Tables, rules: DisclosureRules, earlier: tuple[Earlier, ...] = ()) -> Protection:
    """Primary suppression, then complementary suppressions until the audit finds every sensitive
    cell protected, then the audit once more as the gate."""
    tables.check()
    order = {key: index for index, key in enumerate(tables.cells)}
    reasons = tables.primary_reasons(rules)
    for publication in earlier:
        for key, change in (publication.changes or {}).items():
            # A correction's difference concerning too few companies, or dominated: the cells it
            # touches are suppressed in the new revision.
            if key in reasons and reasons[key] is None and primary_reason(change, rules) and change.contributors:
                reasons[key] = CORRECTION
    tables.propagate_dependencies(reasons)

    audit = _Audit(tables, rules, earlier)
    program = audit.program(reasons)
    # The furthest values each sensitive node was seen to take in feasible points: a side shown
    # wide enough stays so as more cells are suppressed, which only adds feasible points.
    seen: dict[Hashable, list[float]] = {}
    program.push_all(seen)
    for node in program.sensitive:
        while True:
            interval, binding = program.interval(node, seen=seen)
            if interval.protected:
                break
            candidates = [key for key in binding if reasons.get(key) is None and not tables.cells[key].is_empty]
            if not candidates:
                # What binds it is known whatever this revision hides (an earlier revision, an
                # empty cell) or came through a rounded bound: suppress around it instead, so that
                # suppression converges rather than stopping at the gate.
                candidates = [
                    key for key in program.around(node) if reasons.get(key) is None and not tables.cells[key].is_empty
                ]
            if not candidates:
                break  # nothing published this revision could hide protects it: the gate reports it
            complement = min(
                candidates,
                key=lambda key: (tables.cells[key].level, abs(Fraction(tables.cells[key].value)), order[key]),
            )
            reasons[complement] = SECONDARY
            tables.propagate_dependencies(reasons)
            program = audit.program(reasons)

    # The gate starts afresh: feasible points far enough on both sides of each sensitive cell prove
    # it protected, found by one program per group pushing them all, then one per side still
    # short. Staff see how far each is known to be open (at least; `exact` when solved for it).
    gate = audit.program(reasons)
    complements = [
        key
        for key, reason in reasons.items()
        if reason in (SECONDARY, CORRECTION) and tables.cells[key].is_figure and tables.cells[key].published
    ]
    gate.watch(complements)
    seen = {}
    gate.push_all(seen)
    intervals = {node: gate.interval(node, seen=seen)[0] for node in gate.sensitive}
    for key in complements:
        intervals[key] = gate.interval(key, seen=seen, required=False)[0]
        if intervals[key].determined:
            intervals[key] = gate.interval(key, seen=seen, exact=True, required=False)[0]
            if intervals[key].determined:
                # Pinned by what is published anyway: hiding it protects nothing, and publishing
                # it adds no constraint a reader did not hold, so the gate's answer stands.
                reasons[key] = None
                del intervals[key]
    for key, reason in reasons.items():
        if reason == DERIVED:
            reasons[key] = None
    tables.propagate_dependencies(reasons)
    return Protection(reasons=reasons, intervals=intervals)


class _Audit:
    """Which nodes a reader reasons about: the cells of this publication, the cells of earlier ones
    that changed since, and the changes themselves; nodes a reader knows to be equal are merged
    (one root each), and every constraint is kept over roots, ready for each state of suppression."""

    def __init__(self, tables: Tables, rules: DisclosureRules, earlier: tuple[Earlier, ...]) -> None:
        self.tables = tables
        self.rules = rules
        self.earlier = earlier
        self.figures = {key for key, cell in tables.cells.items() if cell.is_figure}
        self.parent: dict[Hashable, Hashable] = {}
        # (terms, is equality, constant): Σ terms + constant = 0, or ≤ 0.
        rows: list[tuple[dict[Hashable, Fraction], bool, Fraction]] = []
        self.values: dict[Hashable, Fraction] = {key: Fraction(tables.cells[key].value) for key in self.figures}
        self.change_cells: dict[Change, Cell] = {}
        self.change_bounds: dict[Change, tuple[Fraction | None, Fraction | None]] = {}
        for relation in tables.relations:
            if set(relation) <= self.figures:
                rows.append((relation, True, Fraction(0)))
        for inequality, constant in tables.inequalities:
            if set(inequality) <= self.figures:
                rows.append((inequality, False, constant))
        for index, publication in enumerate(earlier):
            self._link(index, publication, rows)

        self.root_id: dict[Hashable, int] = {}
        for node in self.values:
            self.root_id.setdefault(self._find(node), len(self.root_id))
        self.root_of = {node: self.root_id[self._find(node)] for node in self.values}
        # Relations the data itself breaks (a headcount declared without its split) tell a reader
        # nothing true: they are left out rather than make every program infeasible.
        self.rows: list[tuple[list[int], list[float], float, bool]] = []
        for terms, equality, constant in rows:
            if not self._holds(terms, equality, constant):
                continue
            merged: dict[int, Fraction] = {}
            for node, c in terms.items():
                merged[self.root_of[node]] = merged.get(self.root_of[node], Fraction(0)) + c
            merged = {root: c for root, c in merged.items() if c}
            if merged:
                self.rows.append((list(merged), [float(c) for c in merged.values()], float(constant), equality))
        # What a reader knows of each node whatever is published; nodes merged into one root
        # (a figure unchanged since an earlier revision) hold the bounds of each.
        self.a_priori: list[tuple[float | None, float | None]] = [(None, None)] * len(self.root_id)
        for node, root in self.root_of.items():
            if isinstance(node, Change):
                lower, upper = self.change_bounds[node]
            elif isinstance(node, tuple) and node[:1] == ("earlier",):
                # An earlier revision's figure obeys the same rules as today's (values at least
                # 0), and a count of companies never exceeded the respondents of that time.
                lower = tables.cells[node[2]].lower
                upper = earlier[node[1]].uppers.get(node[2])
            else:
                lower, upper = tables.cells[node].lower, tables.cells[node].upper
            self.a_priori[root] = _intersect(self.a_priori[root], lower, upper)
        self._prepare()

    def _link(self, index: int, publication: Earlier, rows: list) -> None:
        separate: set[Key] = set()
        for key in self.figures:
            if key not in publication.values:
                continue
            node = ("earlier", index, key)
            self.values[node] = Fraction(publication.values[key])
            change = publication.changes.get(key)
            if change is None or change.contributors == 0:
                self._union(node, key)
                continue
            separate.add(key)
            delta = Change(publication.label, key)
            self.values[delta] = self.values[key] - self.values[node]
            self.change_cells[delta] = change
            # Declarations only added: a sum of theirs can only grow; a count of companies moves by
            # at most the number of them that differ.
            lower = upper = None
            if key in publication.bounds:
                lower, upper = publication.bounds[key]
            elif change.contributors:
                if publication.only_added:
                    lower = Fraction(0)
                if self.tables.cells[key].upper is not None:
                    upper = Fraction(change.contributors)
                    lower = Fraction(-change.contributors) if lower is None else lower
            self.change_bounds[delta] = (lower, upper)
            rows.append(({key: Fraction(1), node: Fraction(-1), delta: Fraction(-1)}, True, Fraction(0)))
        if not separate:
            return
        # The earlier publication's own tables, for the cells that differ; an estimate's factor of
        # that time is not kept, so relations with other coefficients than ±1 are not carried over.
        for terms, equality, constant in list(rows):
            if any(key in separate for key in terms if key in self.figures) and all(
                key in self.figures and abs(c) == 1 for key, c in terms.items()
            ):
                translated = {("earlier", index, key) if key in separate else key: c for key, c in terms.items()}
                rows.append((translated, equality, constant))

    def _find(self, node: Hashable) -> Hashable:
        root = node
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        self.parent[node] = root
        return root

    def _union(self, a: Hashable, b: Hashable) -> None:
        self.parent[self._find(a)] = self._find(b)

    def _holds(self, terms: Mapping[Hashable, Fraction], equality: bool, constant: Fraction) -> bool:
        total = sum((c * self.values[node] for node, c in terms.items()), constant)
        return total == 0 if equality else total <= 0

    def cell_of(self, node: Hashable) -> Cell:
        if isinstance(node, Change):
            return self.change_cells[node]
        if isinstance(node, tuple) and node[:1] == ("earlier",):
            return self.tables.cells[node[2]]
        return self.tables.cells[node]

    def _prepare(self) -> None:
        """What each node tells a reader when it is published, worked out once for every state of
        suppression: (current cell or None, root, visible whatever is suppressed, value, interval)."""
        self.entries = []
        for node, value in self.values.items():
            if isinstance(node, Change):
                continue
            if isinstance(node, tuple) and node[:1] == ("earlier",):
                cell, current = self.tables.cells[node[2]], None
                always = node[2] not in self.earlier[node[1]].hidden
            else:
                cell, current = self.tables.cells[node], node
                always = cell.is_empty
                if not (always or cell.published):
                    continue
            within = None
            if cell.within and not cell.is_empty:
                within = (float(value - Fraction(cell.within)), float(value + Fraction(cell.within)))
            if current is not None and always:
                current = None  # empty: everybody knows it is zero, there is nothing to suppress
            self.entries.append((current, self.root_of[node], always, float(value), within))
        self.sensitive_changes = [
            delta for delta, change in self.change_cells.items() if primary_reason(change, self.rules)
        ]

    def program(self, reasons: Mapping[Key, str | None]) -> "_Program":
        """The linear constraints a reader holds once `reasons` decided what is published."""
        known: list[float | None] = [None] * len(self.root_id)
        suppressible: dict[int, list[Key]] = {}
        intervals: dict[int, tuple[float, float, Key | None]] = {}
        for current, root, always, value, within in self.entries:
            if not always and (current is None or reasons[current] is not None):
                continue
            if within is not None:
                if root in intervals:
                    old_low, old_high, old_owner = intervals[root]
                    intervals[root] = (max(within[0], old_low), min(within[1], old_high), old_owner or current)
                else:
                    intervals[root] = (*within, current)
            elif known[root] is None:
                known[root] = value
                if current is not None:
                    suppressible[root] = [current]
            else:
                # Known through another publication too: hiding it here would not hide it.
                suppressible.pop(root, None)
        sensitive: list[Hashable] = [
            key
            for key, reason in reasons.items()
            if reason in PRIMARY and self.tables.cells[key].contributors and known[self.root_of[key]] is None
        ]
        sensitive += [delta for delta in self.sensitive_changes if known[self.root_of[delta]] is None]
        return _Program(self, known, suppressible, intervals, sensitive)


class _Program:
    """The constraints of one state of suppression, split into independent groups of hidden
    roots; each sensitive node's bounds are two linear programs over its group only."""

    def __init__(self, audit: _Audit, known, suppressible, intervals, sensitive) -> None:
        self.audit = audit
        self.sensitive = sensitive
        self.suppressible = suppressible
        self.intervals = intervals
        self.column: dict[int, int] = {}  # root -> variable
        self.rows: list[tuple[list[int], list[float], float, bool, list[int]]] = []
        for roots, coefficients, constant, equality in audit.rows:
            variables, kept, constants = [], [], []
            rhs = -constant
            for root, c in zip(roots, coefficients, strict=True):
                if known[root] is None:
                    variables.append(self.column.setdefault(root, len(self.column)))
                    kept.append(c)
                else:
                    rhs -= c * known[root]
                    constants.append(root)
            if variables:
                self.rows.append((variables, kept, rhs, equality, constants))
        self.roots = list(self.column)
        self.bounds = []
        for root in self.roots:
            low, high = audit.a_priori[root]
            if root in intervals:
                low_i, high_i, _owner = intervals[root]
                low = low_i if low is None else max(low, low_i)
                high = high_i if high is None else min(high, high_i)
            self.bounds.append((low, high))
        self._components()

    def _components(self) -> None:
        parent = list(range(len(self.roots)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for variables, *_rest in self.rows:
            first = find(variables[0])
            for other in variables[1:]:
                parent[find(other)] = first
        self.component = [find(i) for i in range(len(self.roots))]
        self.members: dict[int, list[int]] = defaultdict(list)
        for i, component in enumerate(self.component):
            self.members[component].append(i)
        self.component_rows: dict[int, list[int]] = defaultdict(list)
        for r, (variables, *_rest) in enumerate(self.rows):
            self.component_rows[self.component[variables[0]]].append(r)
        self.sensitive_in: dict[int, list[Hashable]] = defaultdict(list)
        self.watched_in: dict[int, list[Hashable]] = defaultdict(list)
        self.watch(self.sensitive, sensitive=True)
        self._matrices: dict[int, tuple] = {}

    def watch(self, nodes, *, sensitive: bool = False) -> None:
        """Record the values these nodes take in every feasible point found."""
        for node in nodes:
            variable = self.column.get(self.audit.root_of[node])
            if variable is not None:
                self.watched_in[self.component[variable]].append(node)
                if sensitive:
                    self.sensitive_in[self.component[variable]].append(node)

    def _matrices_of(self, component: int) -> tuple:
        if component not in self._matrices:
            position = {variable: j for j, variable in enumerate(self.members[component])}
            blocks = {True: ([], [], [], [], []), False: ([], [], [], [], [])}
            for r in self.component_rows[component]:
                variables, coefficients, rhs, equality, _constants = self.rows[r]
                data, row_index, column_index, rhs_list, row_ids = blocks[equality]
                data += coefficients
                row_index += [len(rhs_list)] * len(variables)
                column_index += [position[v] for v in variables]
                rhs_list.append(rhs)
                row_ids.append(r)

            def matrix(block):
                data, row_index, column_index, rhs_list, row_ids = block
                if not rhs_list:
                    return None, None, []
                shape = (len(rhs_list), len(position))
                return csr_matrix((data, (row_index, column_index)), shape=shape), np.array(rhs_list), row_ids

            bounds = [self.bounds[variable] for variable in self.members[component]]
            self._matrices[component] = (position, matrix(blocks[True]), matrix(blocks[False]), bounds)
        return self._matrices[component]

    def required(self, node: Hashable) -> tuple[float, float, float]:
        """The node's value and how low and how high a reader must be unable to rule out."""
        audit = self.audit
        value = float(audit.values[node])
        margin = float(required_margin(audit.cell_of(node), audit.rules))
        lower, upper = audit.a_priori[audit.root_of[node]]
        required_low = value - margin if lower is None else max(value - margin, lower)
        required_high = value + margin if upper is None else min(value + margin, upper)
        return value, required_low, required_high

    def interval(
        self, node: Hashable, *, seen: dict, exact: bool = False, required: bool = True
    ) -> tuple[Interval, list[Key]]:
        """The node's interval and the published cells that bind a side falling short of the
        protection. Unless `exact`, a side already seen wide enough in some feasible point is not
        solved again; every solution found is a feasible point for the node's whole group."""
        audit = self.audit
        value, required_low, required_high = self.required(node)
        if not required:
            required_low = required_high = value
        cell = audit.cell_of(node)
        reason = CORRECTION if isinstance(node, Change) else primary_reason(cell, audit.rules) or SECONDARY
        variable = self.column.get(audit.root_of[node])
        if variable is None:
            # Free of every constraint: only its a priori bounds hold it.
            low, high = self.bounds_of(node)
            return Interval(value, low, high, required_low, required_high, reason), []
        component = self.component[variable]
        extremes = seen.setdefault(node, [np.inf, -np.inf])
        slack = TOLERANCE * max(1.0, abs(value))
        binding: list[Key] = []
        for sense in (1.0, -1.0):
            if not exact and (
                extremes[0] <= required_low + slack if sense > 0 else extremes[1] >= required_high - slack
            ):
                continue
            result = self._solve(component, {variable: sense})
            if result is None:
                extremes[0 if sense > 0 else 1] = -np.inf if sense > 0 else np.inf
                continue
            self._witness(component, result.x, seen)
            bound = sense * result.fun
            extremes[0 if sense > 0 else 1] = bound
            if (bound > required_low + slack) if sense > 0 else (bound < required_high - slack):
                binding += self._binding(component, result)
        interval = Interval(value, extremes[0], extremes[1], required_low, required_high, reason, exact=exact)
        return interval, list(dict.fromkeys(binding))

    def around(self, node: Hashable) -> list[Key]:
        """Every cell published beside the node's group of hidden cells: what any constraint on
        that group reads, and the rounded figures that bound it."""
        variable = self.column.get(self.audit.root_of[node])
        if variable is None:
            return []
        component = self.component[variable]
        keys: list[Key] = []
        for r in self.component_rows[component]:
            for root in self.rows[r][4]:
                keys += self.suppressible.get(root, [])
        for member in self.members[component]:
            owner = self.intervals.get(self.roots[member], (None, None, None))[2]
            if owner is not None:
                keys.append(owner)
        return list(dict.fromkeys(keys))

    def push_all(self, seen: dict) -> None:
        """One program per group and direction pushing every sensitive node at once: its solution
        often shows many of them protected on that side, which spares their own programs."""
        for component, nodes in self.sensitive_in.items():
            for sense in (1.0, -1.0):
                weights: dict[int, float] = {}
                for node in nodes:
                    variable = self.column[self.audit.root_of[node]]
                    weights[variable] = weights.get(variable, 0.0) + sense / max(
                        1.0, abs(float(self.audit.values[node]))
                    )
                result = self._solve(component, weights)
                if result is not None:
                    self._witness(component, result.x, seen)

    def _solve(self, component: int, weights: Mapping[int, float]):
        """Minimise Σ weight × variable over the group; None when unbounded."""
        position, equalities, inequalities, bounds = self._matrices_of(component)
        objective = np.zeros(len(position))
        for variable, weight in weights.items():
            objective[position[variable]] = weight
        result = linprog(
            objective,
            A_ub=inequalities[0],
            b_ub=inequalities[1],
            A_eq=equalities[0],
            b_eq=equalities[1],
            bounds=bounds,
            method="highs",
        )
        if result.status == 3:
            return None
        if result.status != 0:
            raise RuntimeError(f"The disclosure audit failed: {result.message}")
        return result

    def bounds_of(self, node: Hashable) -> tuple[float, float]:
        lower, upper = self.audit.a_priori[self.audit.root_of[node]]
        return (-np.inf if lower is None else lower), (np.inf if upper is None else upper)

    def _witness(self, component: int, x, seen: dict) -> None:
        position = self._matrices_of(component)[0]
        for other in self.watched_in[component]:
            point = x[position[self.column[self.audit.root_of[other]]]]
            extremes = seen.setdefault(other, [np.inf, -np.inf])
            extremes[0], extremes[1] = min(extremes[0], point), max(extremes[1], point)

    def _binding(self, component: int, result) -> list[Key]:
        """The published cells behind the constraints with a non-zero dual value."""
        position, equalities, inequalities, _bounds = self._matrices_of(component)
        keys: list[Key] = []
        for block, marginals in ((equalities, result.eqlin.marginals), (inequalities, result.ineqlin.marginals)):
            for index, marginal in enumerate(marginals if block[2] else ()):
                if abs(marginal) > 1e-9:
                    for root in self.rows[block[2][index]][4]:
                        keys += self.suppressible.get(root, [])
        variables = {j: variable for variable, j in position.items()}
        for marginals in (result.lower.marginals, result.upper.marginals):
            for j, marginal in enumerate(marginals):
                if abs(marginal) > 1e-9:
                    owner = self.intervals.get(self.roots[variables[j]], (None, None, None))[2]
                    if owner is not None:
                        keys.append(owner)
        return keys


def _intersect(
    bounds: tuple[float | None, float | None], lower: Fraction | int | None, upper: Fraction | int | None
) -> tuple[float | None, float | None]:
    low, high = bounds
    if lower is not None:
        low = float(lower) if low is None else max(low, float(lower))
    if upper is not None:
        high = float(upper) if high is None else min(high, float(upper))
    return low, high
