"""Reads that put the quality flags on declarations, in three queries whatever their number.

Flags are computed when they are read, not stored: a segment's changes this week move each time
another company of the segment submits, and a company's history moves when staff correct an old
declaration, so stored flags would need recomputing on every such write, everywhere it happens.
Reading costs three queries, whatever the number of declarations, companies or campaigns:

1. the declarations of the campaigns concerned (submitted, returned or approved), each with the
   primary key of its company's previous received declaration (a correlated subquery);
2. those previous declarations;
3. the received declarations of the companies concerned in the history window before them.

Medians are taken in Python over these series (SQLite has no percentile function, and the series
are bounded: one row per company and campaign in reach).
"""

import datetime
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from django.conf import settings
from django.db.models import F, OuterRef, QuerySet, Subquery

from measures.models import Declaration
from quality.comparison import COMPARED_ONLY_FIELDS
from quality.flags import Assessment, Flag, Thresholds, assess
from quality.metrics import METRICS, ROW_FIELDS, Row, changes, levels
from quality.scores import Reference, reference

# What counts as a company's declared figures: what it submitted, and what staff approved.
RECEIVED = (Declaration.Status.SUBMITTED, Declaration.Status.APPROVED)
# Drafts are work in progress: nothing to flag yet.
ASSESSED = (*RECEIVED, Declaration.Status.RETURNED)

_VALUES = ("pk", "company_id", "campaign_id", "status", *ROW_FIELDS, *COMPARED_ONLY_FIELDS)
_ANNOTATIONS = {
    "period_start": F("campaign__period_start"),
    "campaign_title": F("campaign__title"),
    "segment": F("company__segment"),
    "registered_headcount": F("company__registered_headcount"),
}


def _previous_pk() -> Subquery:
    return Subquery(
        Declaration.objects.filter(
            company_id=OuterRef("company_id"),
            status__in=RECEIVED,
            campaign__period_start__lt=OuterRef("campaign__period_start"),
        )
        .order_by("-campaign__period_start", "-pk")
        .values("pk")[:1]
    )


def _as_row(values: dict) -> dict:
    # Money arrives as Decimal; the statistics work in floats.
    if values["export_revenue"] is not None:
        values["export_revenue"] = float(values["export_revenue"])
    values["levels"] = levels(values)
    return values


@dataclass
class _Reads:
    current: dict[int, dict]
    previous: dict[int, dict]
    history: dict[int, list[dict]]


def _read(targets: Sequence[tuple[int, int]]) -> _Reads:
    campaign_ids = {campaign_id for _, campaign_id in targets}
    in_campaigns = (
        Declaration.objects.filter(campaign_id__in=campaign_ids, status__in=ASSESSED)
        .annotate(previous_pk=_previous_pk())
        .order_by()
    )
    current = {row["pk"]: _as_row(row) for row in in_campaigns.values(*_VALUES, "previous_pk", **_ANNOTATIONS)}
    # By their keys rather than a subquery, which the database would evaluate again row by row.
    previous_pks = [row["previous_pk"] for row in current.values() if row["previous_pk"] is not None]
    previous = {
        row["pk"]: _as_row(row)
        for row in Declaration.objects.filter(pk__in=previous_pks).order_by().values(*_VALUES, **_ANNOTATIONS)
    }
    assessed = [current[pk] for pk, _ in targets if pk in current]
    history: dict[int, list[dict]] = defaultdict(list)
    if assessed:
        window = datetime.timedelta(days=settings.QUALITY_HISTORY_DAYS)
        earliest = min(row["period_start"] for row in assessed) - window
        latest = max(row["period_start"] for row in assessed)
        rows = (
            Declaration.objects.filter(
                company_id__in={row["company_id"] for row in assessed},
                status__in=RECEIVED,
                campaign__period_start__gte=earliest,
                campaign__period_start__lt=latest,
            )
            .order_by("company_id", "campaign__period_start", "pk")
            .values(*_VALUES, **_ANNOTATIONS)
        )
        for row in rows:
            history[row["company_id"]].append(_as_row(row))
    return _Reads(current=current, previous=previous, history=history)


def _changes(before: dict, after: dict) -> list[float | None]:
    return changes(before["levels"], after["levels"])


def _segment_references(reads: _Reads, groups: set[tuple[int, str]]) -> dict[tuple[int, str], dict[str, Reference]]:
    """Each (campaign, segment)'s reference of week-on-week changes, by metric."""
    changes: dict[tuple[int, str], dict[str, list[float]]] = {group: defaultdict(list) for group in groups}
    for row in reads.current.values():
        group = (row["campaign_id"], row["segment"])
        previous = reads.previous.get(row["previous_pk"])
        if group not in changes or row["status"] not in RECEIVED or previous is None:
            continue
        for metric, change in zip(METRICS, _changes(previous, row), strict=True):
            if change is not None:
                changes[group][metric.field].append(change)
    return {
        group: {field: reference(values) for field, values in by_metric.items()} for group, by_metric in changes.items()
    }


@dataclass
class _CompanyHistory:
    """A company's week-on-week changes between consecutive received declarations, computed once
    for all its declarations being assessed."""

    befores: list[datetime.date]
    afters: list[datetime.date]
    changes: list[list[float | None]]

    @classmethod
    def of(cls, series: list[dict]) -> "_CompanyHistory":
        pairs = list(pairwise(series))
        return cls(
            befores=[before["period_start"] for before, _ in pairs],
            afters=[after["period_start"] for _, after in pairs],
            changes=[_changes(before, after) for before, after in pairs],
        )

    def before(self, period_start: datetime.date) -> dict[str, list[float]]:
        """The changes inside the history window that ends at `period_start`, by metric, oldest
        first."""
        window_start = period_start - datetime.timedelta(days=settings.QUALITY_HISTORY_DAYS)
        in_window = self.changes[bisect_left(self.befores, window_start) : bisect_left(self.afters, period_start)]
        return {
            metric.field: [changes[index] for changes in in_window if changes[index] is not None]
            for index, metric in enumerate(METRICS)
        }


@dataclass
class QualityReview:
    """One declaration's flags and the previous declaration they compare it with."""

    assessment: Assessment
    current: Row | None = None
    previous: Row | None = None
    flags_by_figure: dict[str | None, list[Flag]] = field(default_factory=dict)


def _reviews(targets: Sequence[tuple[int, int]]) -> dict[int, QualityReview]:
    if not targets:
        return {}
    reads = _read(targets)
    assessed = [reads.current[pk] for pk, _ in targets if pk in reads.current]
    references = _segment_references(reads, {(row["campaign_id"], row["segment"]) for row in assessed})
    histories = {company_id: _CompanyHistory.of(series) for company_id, series in reads.history.items()}
    no_history = _CompanyHistory.of([])
    thresholds = Thresholds.from_settings()
    reviews = {}
    for row in assessed:
        previous = reads.previous.get(row["previous_pk"])
        assessment = assess(
            current=row,
            previous=previous,
            history=histories.get(row["company_id"], no_history).before(row["period_start"]),
            segment=references[(row["campaign_id"], row["segment"])],
            segment_name=row["segment"],
            registered_headcount=row["registered_headcount"],
            thresholds=thresholds,
        )
        by_figure: dict[str | None, list[Flag]] = defaultdict(list)
        for flag in assessment.flags:
            by_figure[flag.figure].append(flag)
        reviews[row["pk"]] = QualityReview(assessment, row, previous, dict(by_figure))
    return reviews


def declaration_assessments(declarations: Iterable[Declaration]) -> dict[int, Assessment]:
    """The assessment of each declaration (drafts have none), by primary key, in three queries."""
    targets = [(declaration.pk, declaration.campaign_id) for declaration in declarations]
    return {pk: review.assessment for pk, review in _reviews(targets).items()}


def declarations_with_flags(declarations: Iterable[Declaration]) -> list[Declaration]:
    """The declarations, each with `quality_flags` (a list of quality.flags.Flag, empty for a
    draft or an unremarkable declaration): for lists such as the changelist or a work queue."""
    declarations = list(declarations)
    assessments = declaration_assessments(declarations)
    for declaration in declarations:
        assessment = assessments.get(declaration.pk)
        declaration.quality_flags = assessment.flags if assessment else []
    return declarations


def flagged_declaration_ids(queryset: QuerySet[Declaration], *, kind: str | None = None) -> list[int]:
    """The primary keys of the declarations of `queryset` that carry a flag (of `kind`, if given),
    in four queries (the queryset's keys, then the three reads)."""
    targets = list(queryset.order_by().values_list("pk", "campaign_id"))
    return [
        pk
        for pk, review in _reviews(targets).items()
        if any(kind is None or flag.kind == kind for flag in review.assessment.flags)
    ]


def declaration_quality_review(declaration: Declaration) -> QualityReview:
    """What the review page shows: the flags, and the previous declaration's figures."""
    review = _reviews([(declaration.pk, declaration.campaign_id)]).get(declaration.pk)
    return review or QualityReview(assessment=Assessment())
