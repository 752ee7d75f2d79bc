"""The modified z-score of Iglewicz and Hoaglin, checked on series computed by hand."""

import pytest

from quality.scores import modified_z_score, reference


def test_a_far_value_scores_0_6745_times_its_distance_from_the_median_over_the_mad():
    # Median 3; absolute deviations 2, 1, 0, 1, 97: their median (the MAD) is 1.
    assert modified_z_score(100, [1, 2, 3, 4, 100]) == pytest.approx(0.6745 * 97)


def test_a_value_at_the_median_scores_zero():
    assert modified_z_score(3, [1, 2, 3, 4, 100]) == 0


def test_the_score_is_signed_like_the_deviation():
    assert modified_z_score(1, [1, 2, 3, 4, 100]) == pytest.approx(-0.6745 * 2)


def test_one_outlier_does_not_hide_another():
    # A mean and standard deviation would be dragged by the 1000; median and MAD are not.
    assert modified_z_score(40, [1, 2, 3, 4, 1000]) > 3.5


def test_when_most_values_are_equal_the_mean_absolute_deviation_replaces_the_mad():
    # Median 5; deviations 0, 0, 0, 1, 4: the MAD is 0, the mean absolute deviation 1.
    ref = reference([5, 5, 5, 6, 9])

    assert ref.mad == 0
    assert ref.score(9) == pytest.approx(4 / 1.253314)


def test_a_constant_reference_gives_no_score():
    ref = reference([2, 2, 2, 2])

    assert ref.is_constant
    assert ref.score(10) is None


def test_an_empty_reference_is_refused():
    with pytest.raises(ValueError, match="at least one value"):
        reference([])
