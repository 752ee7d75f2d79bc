"""The oracle's linear programs: the interval of an expression over what the intruder knows."""

import math

import pytest

from tests.disclosure_oracle.linear_program import InfeasibleModel, LinearProgram


def test_a_suppressed_cell_is_bounded_by_its_total_and_the_other_cells_bounds():
    lp = LinearProgram()
    lp.equal({"a": 1, "b": 1}, 100, why="a + b = 100")
    lp.constrain({"b": 1}, lower=30, why="b ≥ 30")

    assert lp.interval({"a": 1}) == pytest.approx((0, 70))


def test_a_cell_nothing_bounds_from_above_is_unbounded():
    lp = LinearProgram()
    lp.constrain({"a": 1, "b": -1}, lower=0, why="a ≥ b")

    assert lp.interval({"a": 1}) == (0, math.inf)


def test_a_model_that_contradicts_itself_is_refused():
    lp = LinearProgram()
    lp.equal({"a": 1}, 5, why="a = 5")
    lp.constrain({"a": 1}, upper=4, why="a ≤ 4")

    with pytest.raises(InfeasibleModel):
        lp.interval({"a": 1})


def test_a_point_that_breaks_a_constraint_is_named_with_its_reason():
    lp = LinearProgram()
    lp.constrain({"dismissals": 1, "separations": -1}, upper=0, why="dismissals ≤ separations")

    assert lp.violations({"dismissals": 3, "separations": 2}) == ["dismissals ≤ separations: -inf ≤ 1.0 ≤ 0.0"]
    assert lp.violations({"dismissals": 1, "separations": 2}) == []


def test_the_points_met_so_far_span_part_of_the_interval_without_a_solve():
    lp = LinearProgram()
    lp.equal({"a": 1, "b": 1}, 100, why="a + b = 100")
    lp.add_point({"a": 40, "b": 60})
    lp.add_point({"a": 55, "b": 45})

    assert lp.reach({"a": 1}) == (40, 55)
    assert lp.solves == 0
