"""This week's figures beside the previous declaration's, with the differences, for the reviewer."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from quality.metrics import METRICS_BY_FIELD, Row

# Figures shown but not scored (dismissals are part of separations, which are).
COMPARED_ONLY_FIELDS = ("dismissals",)

# (field, label, whether a change in per cent means something): shares and percentages change in
# points, and a change in per cent of a percentage only confuses.
COMPARED = (
    ("headcount", _("Effectif total"), True),
    ("on_site", _("dont sur site"), True),
    ("telework", _("dont en télétravail"), True),
    ("technical_unemployment", _("dont en arrêt technique"), True),
    ("other_absence", _("dont autres absences"), True),
    ("hires", _("Recrutements"), True),
    ("separations", _("Départs"), True),
    ("dismissals", _("dont licenciements"), True),
    ("export_revenue", _("Chiffre d'affaires à l'export (MAD)"), True),
    ("activity_maintained_pct", _("Activité clients maintenue (%)"), False),
)
SHARES = (
    # The % is a literal percent sign (these labels are never %-formatted): without the
    # marker, xgettext flags them python-format and msgfmt --check rejects the translations.
    # xgettext:no-python-format
    ("on_site", _("Part sur site (% de l'effectif)")),
    # xgettext:no-python-format
    ("telework", _("Part en télétravail (% de l'effectif)")),
)


@dataclass(frozen=True)
class ComparisonRow:
    label: Promise
    current: float | None
    previous: float | None
    # Flags about this figure (or its share), for the row to be marked and to link to them.
    flags: Sequence = field(default_factory=tuple)
    relative: bool = True
    is_share: bool = False

    @property
    def difference(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def percent(self) -> float | None:
        if not self.relative or self.difference is None or not self.previous:
            return None
        return 100 * self.difference / self.previous


def comparison_rows(current: Row, previous: Row | None, flags_by_figure: Mapping[str | None, Sequence]) -> list:
    previous = previous or {}
    rows = [
        ComparisonRow(
            label=label,
            current=current.get(name),
            previous=previous.get(name),
            flags=tuple(flags_by_figure.get(name, ())) if name not in ("on_site", "telework") else (),
            relative=relative,
        )
        for name, label, relative in COMPARED
    ]
    for name, label in SHARES:
        metric = METRICS_BY_FIELD[name]
        rows.append(
            ComparisonRow(
                label=label,
                current=metric.level(current),
                previous=metric.level(previous) if previous else None,
                flags=tuple(flags_by_figure.get(name, ())),
                relative=False,
                is_share=True,
            )
        )
    return rows
