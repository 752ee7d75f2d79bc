"""The disclosure rules on small hand-made tables (amrc.lib.disclosure is plain Python: no database)."""

from decimal import Decimal

import pytest

from amrc.lib.disclosure import (
    DERIVED,
    DOMINANCE,
    SECONDARY,
    THRESHOLD,
    Cell,
    DisclosureRules,
    Tables,
    primary_reason,
)
from amrc.lib.disclosure_audit import protect

RULES = DisclosureRules(min_contributors=3, dominance_n=2, dominance_k=85)


def magnitude(*contributions) -> Cell:
    """A cell summing the given companies' contributions."""
    return Cell(value=sum(contributions), contributors=len(contributions), largest=tuple(contributions))


def one_dimensional(rows: dict[str, Cell]) -> Tables:
    tables = Tables()
    for key, cell in rows.items():
        tables.add(key, cell)
    contributions = [c for cell in rows.values() for c in cell.largest]
    total = Cell(value=sum(c.value for c in rows.values()), contributors=99, largest=tuple(contributions), level=2)
    tables.add("total", total)
    tables.add_sum(parts=list(rows), total="total")
    return tables


def test_a_cell_with_two_contributors_is_suppressed_by_the_threshold_rule():
    assert primary_reason(magnitude(50, 50), RULES) == THRESHOLD


def test_a_cell_with_three_even_contributors_is_published():
    assert primary_reason(magnitude(40, 30, 30), RULES) is None


def test_a_cell_whose_two_largest_contributors_hold_more_than_85_percent_is_suppressed():
    assert primary_reason(magnitude(500, 400, 50, 30, 20), RULES) == DOMINANCE


def test_a_cell_whose_two_largest_contributors_hold_exactly_85_percent_is_published():
    assert primary_reason(magnitude(45, 40, 10, 5), RULES) is None


def test_two_contributors_sharing_the_lead_are_caught_where_a_one_k_rule_lets_them_through():
    # The largest holds 50 %: a (1, 85) rule publishes, and the second (40 %) could then subtract
    # its own figure to learn the largest one's within 10 %.
    cell = magnitude(50, 40, 4, 3, 3)

    assert primary_reason(cell, DisclosureRules(dominance_n=1, dominance_k=85)) is None
    assert primary_reason(cell, RULES) == DOMINANCE


def test_dominance_reads_the_largest_contributions_whatever_their_order():
    assert primary_reason(Cell(value=100, contributors=5, largest=(5, 90)), RULES) == DOMINANCE


def test_an_empty_cell_is_published():
    assert primary_reason(Cell(value=0, contributors=0, largest=()), RULES) is None


def test_a_cell_of_zeros_is_not_dominated():
    assert primary_reason(magnitude(0, 0, 0), RULES) is None


def test_dominance_is_exact_on_money():
    cell = Cell(value=Decimal("100.00"), contributors=4, largest=(Decimal("85.00"), Decimal("0.01")))

    assert primary_reason(cell, RULES) == DOMINANCE


def test_a_count_of_companies_follows_the_threshold_rule_only():
    assert primary_reason(Cell(value=3, contributors=3, largest=None), RULES) is None


def test_rules_refuse_impossible_parameters():
    with pytest.raises(ValueError):
        DisclosureRules(dominance_k=0)


def test_rules_are_recorded_as_a_plain_dict():
    assert RULES.as_dict() == {"min_contributors": 3, "dominance_n": 2, "dominance_k": 85, "protection_level": 10}


def test_a_suppressed_row_of_a_table_with_a_total_takes_another_row_with_it():
    tables = one_dimensional(
        {"a": magnitude(30, 30, 30), "b": magnitude(50, 50), "c": magnitude(20, 20, 20), "d": magnitude(9, 9, 9)}
    )

    reasons = protect(tables, RULES).reasons

    assert reasons["b"] == THRESHOLD
    assert reasons["d"] == SECONDARY
    assert [key for key, reason in reasons.items() if reason] == ["b", "d"]


def test_secondary_suppression_takes_the_smallest_row_first():
    tables = one_dimensional({"a": magnitude(9, 9, 9), "b": magnitude(50, 50), "c": magnitude(20, 20, 20)})

    reasons = protect(tables, RULES).reasons

    assert reasons["a"] == SECONDARY
    assert reasons["c"] is None


def test_a_complement_too_small_to_hide_a_tenth_of_the_cell_takes_another_with_it():
    # With c alone, b + c = 107 tells a reader b is at most 107: within 10 % of 100.
    tables = one_dimensional({"a": magnitude(9, 9, 9), "b": magnitude(50, 50), "c": magnitude(3, 2, 2)})

    protection = protect(tables, RULES)

    assert protection.reasons["c"] == protection.reasons["a"] == SECONDARY
    assert protection.intervals["b"].high >= 110


def test_secondary_suppression_spares_the_total_when_a_row_can_protect_the_cell():
    tables = one_dimensional({"a": magnitude(500, 500, 500), "b": magnitude(50, 50)})

    reasons = protect(tables, RULES).reasons

    assert reasons["a"] == SECONDARY
    assert reasons["total"] is None


def test_an_empty_row_never_serves_as_a_complementary_suppression():
    tables = one_dimensional(
        {"a": magnitude(30, 30, 30), "b": magnitude(50, 50), "empty": Cell(value=0, contributors=0, largest=())}
    )

    reasons = protect(tables, RULES).reasons

    assert reasons["empty"] is None
    assert reasons["a"] == SECONDARY


def test_one_suppressed_cell_of_a_two_dimensional_table_costs_a_rectangle():
    tables = Tables()
    values = {(r, c): magnitude(10 + r, 10 + c, 10) for r in range(3) for c in range(3)}
    values[1, 1] = magnitude(40, 40)
    for key, cell in values.items():
        tables.add(key, cell)
    for r in range(3):
        tables.add(("row", r), magnitude(*(v for c in range(3) for v in values[r, c].largest)))
    for c in range(3):
        tables.add(("column", c), magnitude(*(v for r in range(3) for v in values[r, c].largest)))
    tables.add("grand", magnitude(*(v for cell in values.values() for v in cell.largest)))
    tables.add_grid(
        interior={key: key for key in values},
        row_totals={r: ("row", r) for r in range(3)},
        column_totals={c: ("column", c) for c in range(3)},
        grand_total="grand",
    )

    reasons = protect(tables, RULES).reasons

    suppressed = {key for key, reason in reasons.items() if reason}
    assert reasons[1, 1] == THRESHOLD
    assert len(suppressed) == 4
    rows = {key[0] for key in suppressed}
    columns = {key[1] for key in suppressed}
    assert len(rows) == 2 and len(columns) == 2
    assert not protect(tables, RULES).unprotected


def test_a_share_of_a_suppressed_count_is_suppressed():
    tables = Tables()
    tables.add("telework", magnitude(40, 40))
    tables.add("headcount", magnitude(100, 100, 100))
    tables.add("telework_share", Cell(value=Decimal("0.27"), depends_on=("telework", "headcount")))

    reasons = protect(tables, RULES).reasons

    assert reasons["telework_share"] == DERIVED


def test_a_share_of_a_suppressed_denominator_is_suppressed_too():
    tables = Tables()
    tables.add("telework", magnitude(40, 40, 40))
    tables.add("headcount", magnitude(100, 100))
    tables.add("telework_share", Cell(value=Decimal("0.4"), depends_on=("telework", "headcount")))

    assert protect(tables, RULES).reasons["telework_share"] == DERIVED


def test_a_published_multiple_of_a_suppressed_cell_is_suppressed():
    tables = one_dimensional({"a": magnitude(30, 30, 30), "b": magnitude(50, 50), "c": magnitude(20, 20, 20)})
    tables.add("estimate_b", Cell(value=150, contributors=2))
    tables.add_multiple(key="estimate_b", of="b", factor=Decimal("1.5"))

    reasons = protect(tables, RULES).reasons

    assert reasons["estimate_b"] == THRESHOLD


def test_a_complement_that_a_published_multiple_gives_away_is_not_relied_on():
    # c is the smallest row, but its estimate (2 c) is published: hiding c would protect nothing.
    tables = one_dimensional({"a": magnitude(30, 30, 30), "b": magnitude(50, 50), "c": magnitude(20, 20, 20)})
    tables.add("estimate_c", Cell(value=120, contributors=3))
    tables.add_multiple(key="estimate_c", of="c", factor=2)

    protection = protect(tables, RULES)

    assert protection.reasons["a"] == SECONDARY
    assert protection.reasons["c"] is protection.reasons["estimate_c"] is None
    assert protection.intervals["b"].protected


def test_estimates_with_different_ratios_give_away_two_suppressed_rows_and_are_suppressed():
    # Rows a and b are suppressed and sum to a published total. If the estimated total
    # 1.2 a + 2 b were published too, a reader would have two equations in two unknowns.
    tables = one_dimensional({"a": magnitude(50, 50), "b": magnitude(40, 40)})
    tables.add("estimate_a", Cell(value=120, contributors=2))
    tables.add("estimate_b", Cell(value=160, contributors=2))
    tables.add("estimate_total", Cell(value=280, contributors=4, level=1))
    tables.add_multiple(key="estimate_a", of="a", factor=Decimal("1.2"))
    tables.add_multiple(key="estimate_b", of="b", factor=2)
    tables.add_sum(parts=["estimate_a", "estimate_b"], total="estimate_total")

    reasons = protect(tables, RULES).reasons

    assert reasons["total"] is None
    assert reasons["estimate_total"] == SECONDARY


def test_a_relation_naming_an_unknown_cell_is_refused():
    tables = Tables()
    tables.add("a", magnitude(1, 2, 3))
    tables.add_sum(parts=["a", "missing"], total="a")

    with pytest.raises(ValueError):
        protect(tables, RULES)


def test_a_cell_only_empty_cells_determine_stays_suppressed_without_taking_others_with_it():
    # The data broke the relation (a headcount declared without its split): nothing to protect.
    tables = Tables()
    tables.add("headcount", magnitude(5, 5))
    tables.add("split", Cell(value=0, contributors=0))
    tables.add("other", magnitude(7, 7, 7))
    tables.add_multiple(key="headcount", of="split", factor=1)

    assert protect(tables, RULES).reasons == {"headcount": THRESHOLD, "split": None, "other": None}
