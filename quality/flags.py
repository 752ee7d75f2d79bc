"""The rules that flag a declaration for the reviewer, each with its explanation in words.

Plain functions of rows already read (see quality.selectors for the reads): a change far from the
company's own habits or from its segment's changes this week (modified z-score, quality.scores), a
jump in the on-site or telework share, a headcount far from the registry's. A flag never blocks
anything: it tells staff where to look before they approve.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import median

from django.conf import settings
from django.db.models import TextChoices
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from members.models import Company
from quality.metrics import JUMP_SHARES, METRICS, METRICS_BY_FIELD, Metric, Row, Scale, Unit
from quality.scores import Reference, reference


class FlagKind(TextChoices):
    HISTORY = "history", gettext_lazy("Inhabituel pour l'entreprise")
    SEGMENT = "segment", gettext_lazy("Inhabituel dans le segment")
    SHARE_JUMP = "share_jump", gettext_lazy("Saut de répartition")
    REGISTERED_HEADCOUNT = "registered", gettext_lazy("Loin de l'effectif enregistré")


SEGMENT_PEERS = {
    Company.Segment.MEMBER: gettext_lazy("autres membres AMRC"),
    Company.Segment.SMALL: gettext_lazy("autres petits opérateurs"),
}


@dataclass(frozen=True)
class Flag:
    kind: str
    # The metric's field, or None for a flag about the declaration as a whole.
    figure: str | None
    explanation: str
    score: float | None = None

    @property
    def badge(self) -> str:
        kind = FlagKind(self.kind).label
        return f"{METRICS_BY_FIELD[self.figure].label} : {kind}" if self.figure else str(kind)


@dataclass
class Assessment:
    """What the rules found for one declaration, and how much they had to go on."""

    flags: list[Flag] = field(default_factory=list)
    has_previous: bool = False
    # How many past week-on-week changes of the company were in reach (the most of any figure).
    history_changes: int = 0
    # How many companies of the segment changed this week, the declaration included.
    segment_changes: int = 0

    @property
    def history_too_short(self) -> bool:
        return self.history_changes < settings.QUALITY_MIN_HISTORY

    @property
    def segment_too_small(self) -> bool:
        return self.segment_changes < settings.QUALITY_MIN_PEERS


@dataclass(frozen=True)
class Thresholds:
    """The settings the rules read, read once for a whole list rather than once per figure."""

    zscore: float
    min_points: float
    min_percent: float
    min_employees: float
    min_history: int
    min_peers: int
    share_jump: float
    registered_ratio: float

    @classmethod
    def from_settings(cls) -> "Thresholds":
        return cls(
            zscore=settings.QUALITY_ZSCORE_THRESHOLD,
            min_points=settings.QUALITY_MIN_DEVIATION_POINTS,
            min_percent=settings.QUALITY_MIN_DEVIATION_PERCENT,
            min_employees=settings.QUALITY_MIN_DEVIATION_EMPLOYEES,
            min_history=settings.QUALITY_MIN_HISTORY,
            min_peers=settings.QUALITY_MIN_PEERS,
            share_jump=settings.QUALITY_SHARE_JUMP_POINTS,
            registered_ratio=settings.QUALITY_REGISTERED_HEADCOUNT_RATIO,
        )


def _number(value: float, decimals: int = 0) -> str:
    # A true minus sign: a hyphen may break the line between it and its number.
    return number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True).replace("-", "−")


def _amount(value: float, unit: str, *, signed: bool = True) -> str:
    decimals = 0 if abs(value) >= 10 or float(value).is_integer() else 1
    text = _number(abs(value) if signed else value, decimals)
    if signed and round(value, decimals) != 0:
        text = ("+" if value > 0 else "−") + text
    if unit == Unit.PERCENT:
        return f"{text} %"
    return ngettext("%(value)s point", "%(value)s points", int(abs(value))) % {"value": text}


def _floor(metric: Metric, headcount: int | None, t: Thresholds) -> float:
    """How far from the usual change a change must be to matter in practice: a 0.4-point wobble of
    a company that never moves is no news to a reviewer, nor are two people of a team of twelve
    (17 points)."""
    if metric.unit == Unit.PERCENT:
        return t.min_percent
    if metric.scale == Scale.SHARE and headcount:
        return max(t.min_points, 100 * t.min_employees / headcount)
    return t.min_points


def _is_outlier(ref: Reference, change: float, floor: float, t: Thresholds) -> tuple[bool, float | None]:
    score = ref.score(change)
    if abs(change - ref.median) < floor:
        return False, score
    if score is None:
        # A constant reference: any change beyond the practical floor stands out.
        return True, None
    return abs(score) > t.zscore, score


def _history_flag(metric: Metric, change: float, past: Sequence[float], floor: float, t: Thresholds) -> Flag | None:
    if max(past) - floor < change < min(past) + floor:
        # Within the floor of every past change, so of their median: no need to compute it.
        return None
    ref = reference(past)
    outlier, score = _is_outlier(ref, change, floor, t)
    if not outlier:
        return None
    values = {
        "figure": metric.label,
        "change": _amount(change, metric.unit),
        "count": len(past),
    }
    if score is None:
        explanation = _(
            "%(figure)s : %(change)s en une semaine, alors que ce chiffre n'avait pas bougé sur les %(count)s "
            "variations précédentes de l'entreprise."
        )
    else:
        values["typical"] = _amount(median(abs(value) for value in past), metric.unit, signed=False)
        values["score"] = _number(score, 1)
        explanation = _(
            "%(figure)s : %(change)s en une semaine ; l'entreprise varie habituellement de %(typical)s "
            "(score robuste %(score)s sur %(count)s variations précédentes)."
        )
    return Flag(FlagKind.HISTORY, metric.field, explanation % values, score)


def _segment_flag(
    metric: Metric, change: float, ref: Reference, segment: str, floor: float, t: Thresholds
) -> Flag | None:
    outlier, score = _is_outlier(ref, change, floor, t)
    if not outlier:
        return None
    values = {
        "figure": metric.label,
        "change": _amount(change, metric.unit),
        "peers": SEGMENT_PEERS.get(segment, ""),
        "median": _amount(ref.median, metric.unit),
        "count": ref.count,
    }
    if score is None:
        explanation = _(
            "%(figure)s : %(change)s en une semaine, quand les %(peers)s varient tous de %(median)s "
            "(%(count)s entreprises cette semaine)."
        )
    else:
        values["typical"] = _amount(ref.mad or ref.mean_ad, metric.unit, signed=False)
        values["score"] = _number(score, 1)
        explanation = _(
            "%(figure)s : %(change)s en une semaine, quand les %(peers)s varient de %(median)s en médiane, "
            "à %(typical)s près (score robuste %(score)s sur %(count)s entreprises cette semaine)."
        )
    return Flag(FlagKind.SEGMENT, metric.field, explanation % values, score)


def _comparable_segment_flag(
    metric: Metric, change: float, segment: Mapping[str, Reference], segment_name: str, floor: float, t: Thresholds
) -> Flag | None:
    ref = segment.get(metric.field)
    if ref is None or ref.count < t.min_peers:
        return None
    return _segment_flag(metric, change, ref, segment_name, floor, t)


def _share_jump_flag(metric: Metric, previous: Row, current: Row, t: Thresholds) -> Flag | None:
    change = metric.change(previous, current)
    threshold = t.share_jump
    if change is None or abs(change) <= threshold:
        return None
    explanation = _(
        "%(figure)s : de %(before)s %% à %(after)s %% de l'effectif, soit %(change)s en une semaine "
        "(signalé au-delà de %(threshold)s points)."
    ) % {
        "figure": metric.label,
        "before": _number(metric.level(previous)),
        "after": _number(metric.level(current)),
        "change": _amount(change, metric.unit),
        "threshold": _number(threshold),
    }
    return Flag(FlagKind.SHARE_JUMP, metric.field, explanation)


def _registered_headcount_flag(current: Row, registered: int | None, t: Thresholds) -> Flag | None:
    headcount = current.get("headcount")
    if not registered or not headcount:
        return None
    ratio = headcount / registered
    limit = t.registered_ratio
    if 1 / limit <= ratio <= limit:
        return None
    values = {"headcount": _number(headcount), "registered": _number(registered)}
    if ratio > 1:
        values["ratio"] = _number(ratio, 1)
        explanation = _(
            "Effectif déclaré de %(headcount)s salariés pour %(registered)s au registre : %(ratio)s fois plus."
        )
    else:
        values["ratio"] = _number(1 / ratio, 1)
        explanation = _(
            "Effectif déclaré de %(headcount)s salariés pour %(registered)s au registre : %(ratio)s fois moins."
        )
    return Flag(FlagKind.REGISTERED_HEADCOUNT, None, explanation % values)


def assess(
    *,
    current: Row,
    previous: Row | None,
    history: Mapping[str, Sequence[float]],
    segment: Mapping[str, Reference],
    segment_name: str,
    registered_headcount: int | None,
    thresholds: Thresholds | None = None,
) -> Assessment:
    """Every flag of one declaration.

    `history` holds the company's past week-on-week changes by metric (oldest first), `segment`
    the reference of its segment's changes this week by metric (the declaration's own included:
    a cross-section is scored as a whole, as Iglewicz and Hoaglin do).
    """
    t = thresholds or Thresholds.from_settings()
    assessment = Assessment(
        has_previous=previous is not None,
        history_changes=max((len(values) for values in history.values()), default=0),
        segment_changes=max((ref.count for ref in segment.values()), default=0),
    )
    flags = assessment.flags
    headcount = current.get("headcount")
    if previous is not None:
        for metric in METRICS:
            change = metric.change(previous, current)
            if change is None:
                continue
            floor = _floor(metric, headcount, t)
            past = history.get(metric.field, ())
            if len(past) >= t.min_history and (flag := _history_flag(metric, change, past, floor, t)):
                flags.append(flag)
            if flag := _comparable_segment_flag(metric, change, segment, segment_name, floor, t):
                flags.append(flag)
        for share in JUMP_SHARES:
            if flag := _share_jump_flag(METRICS_BY_FIELD[share], previous, current, t):
                flags.append(flag)
    if flag := _registered_headcount_flag(current, registered_headcount, t):
        flags.append(flag)
    return assessment


def segment_flags(
    *,
    current: Row,
    previous: Row,
    segment: Mapping[str, Reference],
    segment_name: str,
    thresholds: Thresholds | None = None,
) -> list[Flag]:
    """The segment rule alone, as assess applies it: for lists that keep what the other rules
    found, which does not move when other companies of the segment declare (quality.selectors)."""
    t = thresholds or Thresholds.from_settings()
    headcount = current.get("headcount")
    found = []
    for metric in METRICS:
        change = metric.change(previous, current)
        if change is not None and (
            flag := _comparable_segment_flag(metric, change, segment, segment_name, _floor(metric, headcount, t), t)
        ):
            found.append(flag)
    return found
