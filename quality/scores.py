"""The modified z-score of Iglewicz and Hoaglin (1993), on plain numbers.

M = 0.6745 (x − median) / MAD, where MAD is the median absolute deviation from the median; an
observation with |M| > 3.5 is a potential outlier. Median and MAD ignore the outliers themselves,
so one absurd figure does not hide another. When more than half of the reference is identical the
MAD is 0; the mean absolute deviation then takes its place (M = (x − median) / (1.253314 MeanAD),
as IBM SPSS and the NIST handbook's followers do). When every reference value is the same there is
no spread at all and no score: the caller decides what a change from a constant means.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

# 0.6745 is the 0.75 quantile of the standard normal distribution: MAD / 0.6745 estimates σ.
MAD_CONSISTENCY = 0.6745
# √(π/2): MeanAD × 1.253314 estimates σ for normal data.
MEAN_AD_CONSISTENCY = 1.253314


@dataclass(frozen=True)
class Reference:
    """Where a series sits and how much it spreads."""

    count: int
    median: float
    mad: float
    mean_ad: float

    @property
    def is_constant(self) -> bool:
        return self.mad == 0 and self.mean_ad == 0

    def score(self, value: float) -> float | None:
        """The modified z-score of `value`, or None when the reference has no spread."""
        if self.mad > 0:
            return MAD_CONSISTENCY * (value - self.median) / self.mad
        if self.mean_ad > 0:
            return (value - self.median) / (MEAN_AD_CONSISTENCY * self.mean_ad)
        return None


def reference(values: Sequence[float]) -> Reference:
    if not values:
        raise ValueError("A reference needs at least one value.")
    centre = median(values)
    deviations = [abs(value - centre) for value in values]
    return Reference(
        count=len(values),
        median=centre,
        mad=median(deviations),
        mean_ad=sum(deviations) / len(deviations),
    )


def modified_z_score(value: float, values: Sequence[float]) -> float | None:
    return reference(values).score(value)
