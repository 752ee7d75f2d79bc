"""Whole-number splits that add up exactly, for the demo's regional lines and headcount parts."""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float | Decimal) -> int:
    """Round as people do (12.5 → 13), not as Python's banker's rounding does (12.5 → 12)."""
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def split_proportionally(total: int, weights: Sequence[float], caps: Sequence[int] | None = None) -> list[int]:
    """Split `total` into whole parts proportional to `weights`, never above `caps`.

    Largest remainders first, so the parts add up to `total` exactly; a part that reaches its cap
    passes its share on to the others. The caps must leave room for the total.
    """
    if caps is None:
        caps = [total] * len(weights)
    if total > sum(caps):
        raise ValueError(f"Cannot fit {total} into parts capped at {list(caps)}.")
    weight_sum = sum(weights)
    if weight_sum <= 0:
        weights, weight_sum = [1.0] * len(weights), float(len(weights))
    exact = [total * weight / weight_sum for weight in weights]
    parts = [min(int(share), cap) for share, cap in zip(exact, caps, strict=True)]
    by_remainder = sorted(range(len(parts)), key=lambda i: (-(exact[i] - int(exact[i])), i))
    missing = total - sum(parts)
    while missing:
        for i in by_remainder:
            if missing and parts[i] < caps[i]:
                parts[i] += 1
                missing -= 1
    return parts
