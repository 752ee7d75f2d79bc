"""A linear program over named variables, and the interval a linear expression can take on it:
what an intruder who knows these equations and inequalities can say about a figure.

Solved by HiGHS through scipy.optimize.linprog, twice per expression (min and max). Every variable
is ≥ 0: all figures of a bulletin are counts, headcounts and money.
"""

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array

Name = Hashable
Terms = Mapping[Name, float]


class InfeasibleModel(AssertionError):
    """The intruder's model has no solution: it contradicts the published figures, so the oracle
    models something wrongly (the truth must always be a solution)."""


@dataclass(frozen=True)
class Constraint:
    terms: tuple[tuple[Name, float], ...]
    lower: float
    upper: float
    why: str

    def value(self, point: Mapping[Name, float]) -> float:
        return math.fsum(coefficient * float(point[name]) for name, coefficient in self.terms)


class LinearProgram:
    def __init__(self) -> None:
        self.index: dict[Name, int] = {}
        self.constraints: list[Constraint] = []
        self._matrices: tuple | None = None
        self._intervals: dict[frozenset, tuple[float, float]] = {}
        # Feasible points met so far (the truth, each optimum): what they span is reached for sure.
        self._points: list[np.ndarray] = []
        self.solves = 0

    def variable(self, name: Name) -> Name:
        if name not in self.index:
            self.index[name] = len(self.index)
            self._forget()
        return name

    def constrain(self, terms: Terms, *, lower: float = -math.inf, upper: float = math.inf, why: str) -> None:
        """lower ≤ Σ coefficient × variable ≤ upper."""
        merged: dict[Name, float] = {}
        for name, coefficient in terms.items():
            self.variable(name)
            merged[name] = merged.get(name, 0.0) + float(coefficient)
        merged = {name: c for name, c in merged.items() if c}
        if not merged:
            if lower > 1e-9 or upper < -1e-9:
                raise InfeasibleModel(f"Empty constraint cannot hold: {lower} ≤ 0 ≤ {upper} ({why})")
            return
        self.constraints.append(Constraint(tuple(merged.items()), float(lower), float(upper), why))
        self._forget()

    def equal(self, terms: Terms, value: float, *, why: str, slack: float = 0.0) -> None:
        self.constrain(terms, lower=value - slack, upper=value + slack, why=why)

    def interval(self, terms: Terms) -> tuple[float, float]:
        """The smallest and largest value of the expression over the feasible set (±inf when
        unbounded)."""
        terms = {name: float(c) for name, c in terms.items() if c}
        if not terms:
            return 0.0, 0.0
        key = frozenset(terms.items())
        if key not in self._intervals:
            objective = np.zeros(len(self.index))
            for name, coefficient in terms.items():
                objective[self.index[self.variable(name)]] = coefficient
            self._intervals[key] = (self._optimum(objective), -self._optimum(-objective))
        return self._intervals[key]

    def reach(self, terms: Terms) -> tuple[float, float]:
        """The smallest and largest value of the expression at the feasible points met so far: an
        inner bound of the interval, which costs no solve."""
        for name in terms:
            self.variable(name)
        if not self._points:
            return math.inf, -math.inf
        values = np.stack(self._points)[:, [self.index[name] for name in terms]] @ np.array(
            [float(c) for c in terms.values()]
        )
        return float(values.min()), float(values.max())

    def add_point(self, point: Mapping[Name, float]) -> None:
        """A point known to satisfy every constraint (the truth)."""
        vector = np.zeros(len(self.index))
        for name, value in point.items():
            vector[self.index[name]] = float(value)
        self._points.append(vector)

    def violations(self, point: Mapping[Name, float], *, tolerance: float = 1e-6) -> list[str]:
        """The constraints a point breaks (each with why it holds): the truth must break none."""
        broken = []
        for constraint in self.constraints:
            value = constraint.value(point)
            scale = tolerance * max(1.0, abs(value), *(abs(float(point[n]) * c) for n, c in constraint.terms))
            if value < constraint.lower - scale or value > constraint.upper + scale:
                broken.append(f"{constraint.why}: {constraint.lower} ≤ {value} ≤ {constraint.upper}")
        broken.extend(f"{name} = {point[name]} < 0" for name in self.index if float(point[name]) < -tolerance)
        return broken

    def _forget(self) -> None:
        self._matrices = None
        self._intervals.clear()
        self._points.clear()

    def _build(self) -> tuple:
        if self._matrices is None:
            n = len(self.index)
            upper_rows, upper_bounds, equal_rows, equal_bounds = [], [], [], []
            for constraint in self.constraints:
                row = {self.index[name]: c for name, c in constraint.terms}
                if constraint.lower == constraint.upper:
                    equal_rows.append(row)
                    equal_bounds.append(constraint.upper)
                    continue
                if constraint.upper < math.inf:
                    upper_rows.append(row)
                    upper_bounds.append(constraint.upper)
                if constraint.lower > -math.inf:
                    upper_rows.append({i: -c for i, c in row.items()})
                    upper_bounds.append(-constraint.lower)
            self._matrices = (
                _sparse(upper_rows, n),
                np.array(upper_bounds) if upper_rows else None,
                _sparse(equal_rows, n),
                np.array(equal_bounds) if equal_rows else None,
            )
        return self._matrices

    def _optimum(self, objective: np.ndarray) -> float:
        a_ub, b_ub, a_eq, b_eq = self._build()
        self.solves += 1
        result = linprog(objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        if result.status == 3:
            return -math.inf
        if result.status == 2:
            raise InfeasibleModel("The intruder's model is infeasible: it contradicts the published figures.")
        if result.status != 0:
            raise RuntimeError(f"HiGHS did not solve the intruder's model: {result.message}")
        self._points.append(result.x)
        return float(result.fun)


def _sparse(rows: list[dict[int, float]], n: int) -> csr_array | None:
    if not rows:
        return None
    data, indices, pointers = [], [], [0]
    for row in rows:
        for column, value in row.items():
            indices.append(column)
            data.append(value)
        pointers.append(len(indices))
    return csr_array((np.array(data, dtype=float), np.array(indices), np.array(pointers)), shape=(len(rows), n))
