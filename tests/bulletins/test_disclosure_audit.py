"""The intruder's audit on hand-built tables with known intervals (amrc.lib.disclosure_audit is plain
Python: no database). Values are chosen so that each example's interval can be checked by hand."""

from fractions import Fraction

import pytest

from amrc.lib.disclosure import (
    CORRECTION,
    DOMINANCE,
    SECONDARY,
    THRESHOLD,
    Cell,
    DisclosureRules,
    Tables,
    required_margin,
)
from amrc.lib.disclosure_audit import Change, Earlier, protect

RULES = DisclosureRules(min_contributors=3, dominance_n=2, dominance_k=85, protection_level=10)


def magnitude(*contributions, **kwargs) -> Cell:
    return Cell(
        value=sum(contributions),
        contributors=len(contributions),
        largest=tuple(sorted(contributions, reverse=True)),
        **kwargs,
    )


def region_with_a_dominated_member_cell() -> Tables:
    """A region's headcount (published) splits into members (dominated: 2,700 + 2,200 + 643), small
    operators (209) and others (2,700). The small operators' on site and telework are published, so their
    headcount is at least 170; their headcount in all regions is published, so it is at most 248.
    Exact elimination sees two unknowns in one equation; the inequalities pin the members' cell to
    [5,504; 5,582], within 1 % of 5,543."""
    tables = Tables()
    tables.add("members", magnitude(2700, 2200, 643))
    tables.add("small", magnitude(70, 70, 69))
    tables.add("others", magnitude(900, 900, 900))
    tables.add("region", magnitude(2700, 2200, 643, 70, 70, 69, 900, 900, 900, level=2))
    tables.add("small_on_site_and_telework", magnitude(60, 60, 50))
    tables.add("small_rest", magnitude(10, 10, 19, published=False))
    tables.add("small_elsewhere", magnitude(13, 13, 13, published=False))
    tables.add("small_everywhere", magnitude(70, 70, 69, 13, 13, 13, level=1))
    tables.add_sum(parts=["members", "small", "others"], total="region")
    tables.add_sum(parts=["small_on_site_and_telework", "small_rest"], total="small")
    tables.add_sum(parts=["small", "small_elsewhere"], total="small_everywhere")
    return tables


def test_a_dominated_cell_that_inequalities_pin_within_4_percent_is_widened():
    tables = region_with_a_dominated_member_cell()

    protection = protect(tables, RULES)

    assert protection.reasons["members"] == DOMINANCE
    interval = protection.intervals["members"]
    assert interval.protected
    assert interval.low <= 5543 * 0.9 and interval.high >= 5543 * 1.1
    # One complement, as exact elimination asked, was not enough: more had to go.
    assert sum(1 for reason in protection.reasons.values() if reason == SECONDARY) >= 2


def test_the_audit_sees_what_exact_elimination_missed():
    tables = region_with_a_dominated_member_cell()
    # Suppress the dominated cell and its complement by hand, as exact elimination did.

    def without_further_suppression(tables: Tables) -> tuple[float, float]:
        from amrc.lib.disclosure_audit import _Audit

        reasons = dict.fromkeys(tables.cells)
        reasons["members"], reasons["small"] = DOMINANCE, SECONDARY
        program = _Audit(tables, RULES, ()).program(reasons)
        interval, _binding = program.interval("members", seen={}, exact=True)
        return interval.low, interval.high

    assert without_further_suppression(tables) == pytest.approx((5504, 5582))


def test_the_p_percent_rule_asks_the_second_contributor_not_to_bound_the_largest():
    # Informal separations (100, 2, 1): the second company knows its own 2 and that the third's is
    # at least 0; bounding the cell by 106 would bound the first company by 104, within 4 %.
    cell = magnitude(100, 2, 1)

    assert required_margin(cell, RULES) == Fraction(103, 10)


def test_informal_separations_bounded_by_106_are_widened():
    tables = Tables()
    tables.add("informal", magnitude(100, 2, 1))
    tables.add("unverified", magnitude(1, 1, 1))
    tables.add("formal", magnitude(40, 30, 30, 20))
    tables.add("total", magnitude(100, 2, 1, 1, 1, 1, 40, 30, 30, 20, level=2))
    tables.add_sum(parts=["informal", "unverified", "formal"], total="total")

    protection = protect(tables, RULES)

    assert protection.reasons["informal"] == DOMINANCE
    assert protection.intervals["informal"].high >= 103 + 10.3
    # The unverified operators' 3 is too small a complement: with it alone the cell is at most 106.
    assert protection.reasons["formal"] == SECONDARY


def test_a_count_that_equals_its_respondents_is_pinned_by_a_share_of_100_percent():
    # Three respondents (one member, two small operators) all have the measure: the total share
    # (100 %) and the bound "at most the respondents" give the member's count back.
    tables = Tables()
    tables.add("member", Cell(value=1, contributors=1, upper=1))
    tables.add("small", Cell(value=2, contributors=2, upper=2))
    tables.add("total", Cell(value=3, contributors=3, upper=3, level=2))
    tables.add_sum(parts=["member", "small"], total="total")

    protection = protect(tables, RULES)

    assert protection.reasons["member"] == protection.reasons["small"] == THRESHOLD
    assert protection.reasons["total"] == SECONDARY
    assert protection.intervals["member"].low == pytest.approx(0)


def test_the_one_company_without_a_measure_is_not_read_off_the_workforce_share():
    # The measure's workforce is published only as a share of the headcount, to 4 decimals: with
    # the headcount, a reader knows it within ±0.075 of 1,220, and the rest is one company's 280.
    tables = Tables()
    tables.add("headcount", magnitude(500, 420, 300, 280, level=2))
    tables.add("workforce", magnitude(500, 420, 300, within=Fraction(75, 1000)))
    tables.add("without", magnitude(280, published=False))
    tables.add_sum(parts=["workforce", "without"], total="headcount")

    protection = protect(tables, RULES)

    assert protection.reasons["without"] == THRESHOLD
    assert protection.reasons["workforce"] == SECONDARY
    assert protection.intervals["without"].protected


def test_an_estimate_inherits_the_dominance_of_its_contributors():
    estimate = Cell(value=Fraction(1900), contributors=4, largest=(Fraction(1805), Fraction(38)))
    tables = Tables()
    tables.add("estimate", estimate)

    assert protect(tables, RULES).reasons["estimate"] == DOMINANCE


def test_a_published_cell_pinned_anyway_is_not_kept_suppressed():
    # b's complement c is pinned by a published multiple: hiding it would protect nothing.
    tables = Tables()
    tables.add("a", magnitude(30, 30, 30))
    tables.add("b", magnitude(50, 50))
    tables.add("c", magnitude(20, 20, 20))
    tables.add("total", magnitude(30, 30, 30, 50, 50, 20, 20, 20, level=2))
    tables.add("twice_c", magnitude(40, 40, 40))
    tables.add_sum(parts=["a", "b", "c"], total="total")
    tables.add_multiple(key="twice_c", of="c", factor=2)

    reasons = protect(tables, RULES).reasons

    assert reasons["c"] is None
    assert reasons["a"] == SECONDARY


def revision_tables(*rows: Cell) -> Tables:
    tables = Tables()
    for index, cell in enumerate(rows):
        tables.add(index, cell)
    tables.add("total", Cell(value=sum(cell.value for cell in rows), contributors=99, largest=(0,), level=2))
    tables.add_sum(parts=range(len(rows)), total="total")
    return tables


def test_a_correction_that_adds_one_company_suppresses_the_cells_it_touches():
    # Revision 1 published rows 0 and 1 and the total; revision 2 adds a company of 74 to row 1.
    first = {0: Fraction(300), 1: Fraction(600), "total": Fraction(900)}
    tables = revision_tables(magnitude(100, 100, 100), magnitude(200, 200, 200, 74))
    earlier = Earlier(
        label="revision 1",
        values=first,
        hidden=frozenset(),
        changes={1: magnitude(74), "total": magnitude(74)},
        only_added=True,
        companies=1,
    )

    protection = protect(tables, RULES, (earlier,))

    assert protection.reasons[1] == protection.reasons["total"] == CORRECTION
    assert protection.reasons[0] is None
    assert protection.intervals[Change("revision 1", 1)].protected


def counts_by_segment_after_a_correction_of_four() -> tuple[Tables, Earlier]:
    """Companies with a measure among the respondents: one member and three small operators joined.
    Revision 1 hid the members' count (2 of 2) and the small operators' (1 of 2); revision 2
    publishes 3 of 3 members, 2 of 5 small operators and 5 of 8 in all, so the members' count is
    the total less the small operators'."""
    tables = Tables()
    tables.add("member", Cell(value=3, contributors=3, upper=3))
    tables.add("small", Cell(value=2, contributors=5, upper=5))
    tables.add("total", Cell(value=5, contributors=8, upper=8, level=2))
    tables.add_sum(parts=["member", "small"], total="total")
    earlier = Earlier(
        label="revision 1",
        values={"member": Fraction(2), "small": Fraction(1), "total": Fraction(3)},
        hidden=frozenset({"member", "small"}),
        changes={
            "member": Cell(value=1, contributors=1),
            "small": Cell(value=1, contributors=3),
            "total": Cell(value=2, contributors=4),
        },
        only_added=True,
        companies=4,
        bounds={
            "member": (Fraction(0), Fraction(1)),
            "small": (Fraction(0), Fraction(3)),
            "total": (Fraction(0), Fraction(4)),
        },
        uppers={"member": Fraction(2), "small": Fraction(2), "total": Fraction(4)},
    )
    return tables, earlier


def test_an_earlier_revisions_hidden_count_is_bounded_by_its_respondents_of_that_time():
    tables, earlier = counts_by_segment_after_a_correction_of_four()

    protection = protect(tables, RULES, (earlier,))

    # 3 − (at most 2) is at least 1: with the members' count published or pinned by the others, the
    # member who joined would be known to have the measure.
    difference = protection.intervals[Change("revision 1", "member")]
    assert difference.protected and difference.low <= 0
    assert protection.reasons["member"] == CORRECTION
    assert protection.reasons["small"] is not None or protection.reasons["total"] is not None
