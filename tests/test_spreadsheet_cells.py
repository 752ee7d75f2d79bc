"""The one guard against spreadsheet formulas (amrc/lib/spreadsheet_cells.py) that every export
and import goes through: text a spreadsheet would run gets a leading apostrophe on the way out,
and loses it on the way back in."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amrc.lib.spreadsheet_cells import FORMULA_STARTS, neutralised, starts_like_a_formula, unmarked


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+212 600", "'+212 600"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Atlas = Contact", "Atlas = Contact"),
        ("'=already marked", "'=already marked"),
        ("", ""),
    ],
)
def test_text_a_spreadsheet_would_run_gets_a_leading_apostrophe(value, expected):
    assert neutralised(value) == expected


@pytest.mark.parametrize("value", [-2, 3.5, None, True])
def test_numbers_and_empty_cells_pass_as_they_are(value):
    assert neutralised(value) is value


@pytest.mark.parametrize("value", ["-12", "-0.25", "-12,5", "+4", "1.5e-3", "-3E+2", "42", "Semaine du 16 mars", "c"])
def test_numbers_written_as_text_and_plain_text_are_left_alone(value):
    assert neutralised(value) == value


@given(st.text())
def test_no_cell_is_left_starting_like_a_formula_unless_it_is_a_number(value):
    result = neutralised(value)

    assert not result.startswith(FORMULA_STARTS) or float(result.replace(",", ".")) == float(value.replace(",", "."))


def test_an_imported_apostrophe_before_a_formula_sign_is_taken_off():
    assert unmarked("'=1+1") == "=1+1"


def test_an_apostrophe_that_protects_nothing_is_kept():
    assert unmarked("'Atlas") == "'Atlas"


@given(st.sampled_from(FORMULA_STARTS), st.text())
def test_a_neutralised_cell_no_longer_starts_like_a_formula_and_reads_back_unchanged(start, rest):
    value = start + rest

    cell = neutralised(value)

    assert not starts_like_a_formula(cell)
    assert unmarked(cell) == value
