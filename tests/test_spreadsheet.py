"""A downloaded cell that a spreadsheet would run as a formula is written as text; numbers stay numbers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amrc.lib.spreadsheet import neutralise_formula


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://attaquant.example","Cliquez")', "+33 1 23", "-2+3", "@SUM(A1:A9)", "\tcaché", "\rretour"],
)
def test_a_cell_starting_like_a_formula_is_made_text(value):
    assert neutralise_formula(value) == "'" + value


@pytest.mark.parametrize("value", ["-12", "-0.25", "+4", "1.5e-3", "-3E+2", "42", "", "Semaine du 16 mars", "c"])
def test_numbers_and_plain_text_are_left_alone(value):
    assert neutralise_formula(value) == value


@given(st.text())
def test_no_cell_is_left_starting_like_a_formula_unless_it_is_a_number(value):
    result = neutralise_formula(value)

    assert not result.startswith(("=", "+", "-", "@", "\t", "\r")) or float(result) == float(value)
