"""What a week-on-week change of each declared figure is, so that companies of every size compare.

Levels (headcount, export revenue) change in per cent of last week's value; the parts of the
headcount and the movements are compared as shares of the headcount, which change in points; the
share of activity maintained is already a percentage and changes in points too.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Row = Mapping[str, Any]


class Unit(TextChoices):
    PERCENT = "percent", _("%")
    POINTS = "points", _("points")


class Scale(TextChoices):
    RELATIVE = "relative"
    SHARE = "share"
    PERCENTAGE = "percentage"


@dataclass(frozen=True)
class Metric:
    field: str
    label: Promise
    scale: str

    @property
    def unit(self) -> str:
        return Unit.PERCENT if self.scale == Scale.RELATIVE else Unit.POINTS

    def level(self, row: Row) -> float | None:
        """The figure as compared: the value itself, or its share of the headcount in %."""
        value = row.get(self.field)
        if value is None:
            return None
        if self.scale == Scale.SHARE:
            headcount = row.get("headcount")
            return 100 * float(value) / headcount if headcount else None
        return float(value)

    def change(self, previous: Row, current: Row) -> float | None:
        before, after = self.level(previous), self.level(current)
        if before is None or after is None:
            return None
        if self.scale == Scale.RELATIVE:
            # From nothing, any change is infinite: no comparison is meaningful.
            return 100 * (after - before) / before if before > 0 else None
        return after - before


METRICS = (
    Metric("headcount", _("Effectif total"), Scale.RELATIVE),
    Metric("on_site", _("Part sur site"), Scale.SHARE),
    Metric("telework", _("Part en télétravail"), Scale.SHARE),
    Metric("technical_unemployment", _("Part en arrêt technique"), Scale.SHARE),
    Metric("other_absence", _("Part en autres absences"), Scale.SHARE),
    Metric("hires", _("Recrutements (pour 100 salariés)"), Scale.SHARE),
    Metric("separations", _("Départs (pour 100 salariés)"), Scale.SHARE),
    Metric("export_revenue", _("Chiffre d'affaires à l'export"), Scale.RELATIVE),
    Metric("activity_maintained_pct", _("Activité clients maintenue"), Scale.PERCENTAGE),
)
METRICS_BY_FIELD = {metric.field: metric for metric in METRICS}
_RELATIVE = tuple(metric.scale == Scale.RELATIVE for metric in METRICS)
_SHARES = tuple((metric.field, metric.scale == Scale.SHARE) for metric in METRICS)


def levels(row: Row) -> tuple[float | None, ...]:
    """Every metric's level of a row, in METRICS order, as Metric.level computes each: done once
    per row, and inline, since a campaign's segment comparison reads thousands of rows."""
    headcount = row.get("headcount")
    result: list[float | None] = []
    for field, share in _SHARES:
        value = row.get(field)
        if value is None or (share and not headcount):
            result.append(None)
        else:
            result.append(100 * float(value) / headcount if share else float(value))
    return tuple(result)


def changes(before: Sequence[float | None], after: Sequence[float | None]) -> list[float | None]:
    """Every metric's change between two rows' levels, as Metric.change computes each."""
    result: list[float | None] = []
    for relative, old, new in zip(_RELATIVE, before, after, strict=True):
        if old is None or new is None:
            result.append(None)
        elif relative:
            result.append(100 * (new - old) / old if old > 0 else None)
        else:
            result.append(new - old)
    return result


# The shares whose jump in one week is a flag of its own, whatever the company's habits.
JUMP_SHARES = ("on_site", "telework")
# What the reads fetch for each declaration to compute every metric.
ROW_FIELDS = tuple(dict.fromkeys(["headcount", *(metric.field for metric in METRICS)]))
