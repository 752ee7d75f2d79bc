from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from demo.allocation import round_half_up, split_proportionally

weights = st.lists(st.floats(min_value=0, max_value=1_000, allow_nan=False), min_size=1, max_size=8)


@given(total=st.integers(min_value=0, max_value=100_000), weights=weights)
def test_the_parts_add_up_to_the_total(total, weights):
    assert sum(split_proportionally(total, weights)) == total


@given(data=st.data(), weights=weights)
def test_no_part_exceeds_its_cap(data, weights):
    caps = data.draw(st.lists(st.integers(min_value=0, max_value=5_000), min_size=len(weights), max_size=len(weights)))
    total = data.draw(st.integers(min_value=0, max_value=sum(caps)))

    parts = split_proportionally(total, weights, caps)

    assert sum(parts) == total
    assert all(0 <= part <= cap for part, cap in zip(parts, caps, strict=True))


@given(total=st.integers(min_value=0, max_value=100_000), weights=weights)
def test_each_part_is_within_one_of_its_exact_share(total, weights):
    parts = split_proportionally(total, weights)
    weight_sum = sum(weights) or None

    for part, weight in zip(parts, weights, strict=True):
        exact = total * weight / weight_sum if weight_sum else total / len(weights)
        assert abs(part - exact) < 1 + 1e-9


def test_it_refuses_a_total_the_caps_cannot_hold():
    with pytest.raises(ValueError):
        split_proportionally(10, [1, 1], caps=[4, 5])


@pytest.mark.parametrize(("value", "rounded"), [(Decimal("12.5"), 13), (Decimal("11.5"), 12), (744.48, 744), (0, 0)])
def test_halves_round_up(value, rounded):
    assert round_half_up(value) == rounded
