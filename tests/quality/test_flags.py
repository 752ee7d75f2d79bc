"""The flagging rules on rows given by hand (quality.flags.assess), with the default settings:
|M| > 3.5, at least 10 points / 25 % / 5 people away from the usual change, 6 past changes,
5 companies in a segment, 30-point share jumps, a headcount twice or half the registry's."""

import pytest

from members.models import Company
from quality.flags import FlagKind, assess
from quality.metrics import METRICS, changes, levels
from quality.scores import reference


def _row(*, telework: int = 50, headcount: int = 100, export_revenue: float = 100_000, **fields) -> dict:
    return {
        "headcount": headcount,
        "telework": telework,
        "on_site": headcount - telework,
        "technical_unemployment": 0,
        "other_absence": 0,
        "hires": 2,
        "separations": 2,
        "export_revenue": export_revenue,
        "activity_maintained_pct": 80,
        **fields,
    }


def _assess(current: dict, previous: dict | None = None, *, history=None, segment=None, registered=100):
    return assess(
        current=current,
        previous=previous,
        history=history or {},
        segment=segment or {},
        segment_name=Company.Segment.MEMBER,
        registered_headcount=registered,
    )


def _kinds(assessment, figure: str | None) -> set[str]:
    return {flag.kind for flag in assessment.flags if flag.figure == figure}


QUIET_CHANGES = [1, -2, 3, 0, -1, 2, -1]


def test_a_telework_jump_is_flagged_against_the_company_history_with_its_explanation():
    assessment = _assess(_row(telework=94), _row(telework=52), history={"telework": QUIET_CHANGES})

    flag = next(f for f in assessment.flags if f.kind == FlagKind.HISTORY and f.figure == "telework")
    # Median change 0, MAD 1: M = 0.6745 × 42 / 1.
    assert flag.score == pytest.approx(0.6745 * 42)
    assert "Part en télétravail : +42 points en une semaine" in flag.explanation
    assert "l'entreprise varie habituellement de 1 point (" in flag.explanation


def test_a_change_like_the_usual_ones_is_not_flagged():
    assessment = _assess(_row(telework=54), _row(telework=52), history={"telework": QUIET_CHANGES})

    assert assessment.flags == []


def test_a_large_score_on_a_tiny_change_is_not_flagged():
    # Past changes of exactly 0 or 0.1 point: a 3-point move scores high but means little.
    history = {"telework": [0, 0.1, 0, 0.1, 0, 0.1, 0]}

    assessment = _assess(_row(telework=55), _row(telework=52), history=history)

    assert FlagKind.HISTORY not in _kinds(assessment, "telework")


def test_two_people_of_a_team_of_twelve_are_not_flagged():
    history = {"telework": [0, 0, 0, 0, 0, 0, 0]}

    assessment = _assess(_row(telework=8, headcount=12), _row(telework=6, headcount=12), history=history)

    assert FlagKind.HISTORY not in _kinds(assessment, "telework")


def test_a_company_that_never_moved_is_flagged_when_it_moves_a_lot():
    history = {"telework": [0, 0, 0, 0, 0, 0, 0]}

    assessment = _assess(_row(telework=70), _row(telework=50), history=history)

    flag = next(f for f in assessment.flags if f.kind == FlagKind.HISTORY and f.figure == "telework")
    assert flag.score is None
    assert "n'avait pas bougé sur les 7 variations précédentes" in flag.explanation


def test_a_short_history_is_not_used():
    assessment = _assess(_row(telework=94), _row(telework=52), history={"telework": QUIET_CHANGES[:5]})

    assert FlagKind.HISTORY not in _kinds(assessment, "telework")
    assert assessment.history_too_short


def test_export_revenue_ten_times_off_is_flagged_in_per_cent():
    history = {"export_revenue": [2.0, -2.9, 2.0, -1.0, 3.0, -1.9, -1.0]}

    assessment = _assess(_row(export_revenue=1_000_000), _row(export_revenue=100_000), history=history)

    flag = next(f for f in assessment.flags if f.figure == "export_revenue")
    assert flag.kind == FlagKind.HISTORY
    assert "+900 % en une semaine" in flag.explanation


def test_a_change_far_from_the_segment_this_week_is_flagged():
    # The segment's telework shares moved by 0 to 3 points this week; this company by 40.
    segment = {"telework": reference([0, 1, 1, 2, 2, 3, 40])}

    assessment = _assess(_row(telework=90), _row(telework=50), segment=segment)

    flag = next(f for f in assessment.flags if f.kind == FlagKind.SEGMENT and f.figure == "telework")
    assert "quand les autres membres AMRC varient de +2 points en médiane, à 1 point près" in flag.explanation
    assert "7 entreprises cette semaine" in flag.explanation


def test_a_change_like_the_segment_s_is_not_flagged():
    # The whole segment moved by about 40 points: a lockdown, not a typing error.
    segment = {"telework": reference([38, 39, 40, 41, 42, 40])}

    assessment = _assess(_row(telework=90), _row(telework=50), segment=segment)

    assert FlagKind.SEGMENT not in _kinds(assessment, "telework")


def test_a_segment_of_fewer_than_five_companies_is_not_used():
    segment = {"telework": reference([0, 1, 2, 40])}

    assessment = _assess(_row(telework=90), _row(telework=50), segment=segment)

    assert FlagKind.SEGMENT not in _kinds(assessment, "telework")
    assert assessment.segment_too_small


def test_a_share_jump_beyond_the_threshold_is_flagged():
    assessment = _assess(_row(telework=85), _row(telework=50))

    flag = next(f for f in assessment.flags if f.kind == FlagKind.SHARE_JUMP and f.figure == "telework")
    assert "de 50 % à 85 % de l'effectif, soit +35 points en une semaine" in flag.explanation
    assert FlagKind.SHARE_JUMP in _kinds(assessment, "on_site")


def test_a_share_move_within_the_threshold_is_not_flagged():
    assessment = _assess(_row(telework=75), _row(telework=50))

    assert FlagKind.SHARE_JUMP not in _kinds(assessment, "telework")


def test_a_headcount_three_times_the_registered_one_is_flagged():
    assessment = _assess(_row(headcount=300, telework=150), registered=100)

    flag = next(f for f in assessment.flags if f.kind == FlagKind.REGISTERED_HEADCOUNT)
    assert "300 salariés pour 100 au registre : 3,0 fois plus" in flag.explanation


def test_a_headcount_well_below_the_registered_one_is_flagged():
    assessment = _assess(_row(headcount=40, telework=20), registered=100)

    assert "2,5 fois moins" in assessment.flags[0].explanation


def test_a_headcount_near_the_registered_one_is_not_flagged():
    assert _assess(_row(headcount=150, telework=75), registered=100).flags == []


def test_without_a_previous_declaration_only_the_registry_is_compared():
    assessment = _assess(_row(headcount=300, telework=290), history={"telework": QUIET_CHANGES}, registered=100)

    assert [flag.kind for flag in assessment.flags] == [FlagKind.REGISTERED_HEADCOUNT]
    assert not assessment.has_previous


def test_the_thresholds_are_settings(settings):
    settings.QUALITY_SHARE_JUMP_POINTS = 20

    assessment = _assess(_row(telework=75), _row(telework=50))

    assert FlagKind.SHARE_JUMP in _kinds(assessment, "telework")


def test_the_bulk_changes_match_each_metric_s_own():
    before, after = _row(telework=40, export_revenue=0), _row(telework=55, headcount=120, export_revenue=5)

    assert changes(levels(before), levels(after)) == [metric.change(before, after) for metric in METRICS]


def test_the_bulk_levels_match_each_metric_s_own():
    row = _row(telework=40, headcount=0, hires=None)

    assert levels(row) == tuple(metric.level(row) for metric in METRICS)
