"""Reads that put the quality flags on declarations, in a fixed number of queries whatever their
number, the number of companies or the length of the history.

Flags are computed when they are read, not stored: a segment's changes this week move each time
another company of the segment submits, and a company's history moves when staff correct an old
declaration, so stored flags would need recomputing on every such write, everywhere it happens.
Reading the flags of some declarations (a page of the list, the review page, the work queue) costs:

1. the declarations themselves;
2. their companies' received declarations in the history window before them, where each finds
   the previous declaration it is compared with (and one more query for those whose previous
   declaration is older than the window, when there are any);
3. their campaigns' segment references (quality.segments): one query while the cache holds them.

So a page reads its own rows and its companies' year, never the whole campaign. Medians are taken
in Python over these series (SQLite has no percentile function, and the series are bounded: one
row per company and week in the window).
"""

import datetime
import hashlib
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import astuple, dataclass, field
from itertools import pairwise

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet

from measures.models import Campaign, Declaration
from quality.flags import Assessment, Flag, Thresholds, assess, segment_flags
from quality.metrics import METRICS, ROW_FIELDS, Row, changes
from quality.reads import ASSESSED, RECEIVED, by_company, latest_before, previous_rows, rows
from quality.segments import CACHE_VERSION, segment_references

# What a declaration's own rules found stays valid until the declaration, its company or its
# history changes, which its cache key says; only a previous declaration older than the history
# window (a company back after a year) escapes the key, hence a bound all the same.
OWN_FLAGS_STALE_AFTER = 24 * 60 * 60


@dataclass
class _Reads:
    current: list[dict]
    previous: dict[int, dict]
    history: dict[int, list[dict]]


def _read(declarations: QuerySet[Declaration]) -> _Reads:
    assessed = declarations.filter(status__in=ASSESSED).order_by()
    # The companies as a subquery, not a list of keys: a whole campaign may be asked for.
    return _read_around(rows(assessed), companies=assessed.values("company_id"))


def _history_window(current: list[dict]) -> dict:
    """The lookups of the received declarations in the history window of every row of `current`."""
    window = datetime.timedelta(days=settings.QUALITY_HISTORY_DAYS)
    return {
        "status__in": RECEIVED,
        "campaign__period_start__gte": min(row["period_start"] for row in current) - window,
        "campaign__period_start__lt": max(row["period_start"] for row in current),
    }


def _read_around(current: list[dict], *, companies: QuerySet | set[int]) -> _Reads:
    """The history and the previous declaration of rows already read (of `companies`): one query,
    and one more for the rows whose previous declaration is older than the history window, when
    there are any."""
    history: dict[int, list[dict]] = {}
    if current:
        history = by_company(
            rows(
                Declaration.objects.filter(company_id__in=companies, **_history_window(current)).order_by(
                    "company_id", "campaign__period_start", "pk"
                )
            )
        )
    previous = {}
    for row in current:
        if (before := latest_before(history.get(row["company_id"], []), row)) is not None:
            previous[row["pk"]] = before
    # A company back after more than the history window: its previous declaration is older.
    previous |= previous_rows(row for row in current if row["pk"] not in previous)
    return _Reads(current=current, previous=previous, history=history)


def _changes(before: dict, after: dict) -> list[float | None]:
    return changes(before["levels"], after["levels"])


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


def _reviews(declarations: QuerySet[Declaration]) -> dict[int, QualityReview]:
    reads = _read(declarations)
    if not reads.current:
        return {}
    references = segment_references({row["campaign_id"] for row in reads.current})
    histories = {company_id: _CompanyHistory.of(series) for company_id, series in reads.history.items()}
    no_history = _CompanyHistory.of([])
    thresholds = Thresholds.from_settings()
    reviews = {}
    for row in reads.current:
        previous = reads.previous.get(row["pk"])
        assessment = assess(
            current=row,
            previous=previous,
            history=histories.get(row["company_id"], no_history).before(row["period_start"]),
            segment=references[row["campaign_id"]].get(row["segment"], {}),
            segment_name=row["segment"],
            registered_headcount=row["registered_headcount"],
            thresholds=thresholds,
        )
        by_figure: dict[str | None, list[Flag]] = defaultdict(list)
        for flag in assessment.flags:
            by_figure[flag.figure].append(flag)
        reviews[row["pk"]] = QualityReview(assessment, row, previous, dict(by_figure))
    return reviews


def _as_queryset(declarations: Iterable[Declaration] | QuerySet[Declaration]) -> QuerySet[Declaration]:
    if isinstance(declarations, QuerySet):
        return declarations
    return Declaration.objects.filter(pk__in=[declaration.pk for declaration in declarations])


def declaration_assessments(declarations: Iterable[Declaration] | QuerySet[Declaration]) -> dict[int, Assessment]:
    """The assessment of each declaration (drafts have none), by primary key, in a fixed number of
    queries (see the module's docstring)."""
    return {pk: review.assessment for pk, review in _reviews(_as_queryset(declarations)).items()}


def declarations_with_flags(declarations: Iterable[Declaration]) -> list[Declaration]:
    """The declarations, each with `quality_flags` (a list of quality.flags.Flag, empty for a
    draft or an unremarkable declaration): for lists such as the changelist or a work queue."""
    declarations = list(declarations)
    assessments = declaration_assessments(declarations)
    for declaration in declarations:
        assessment = assessments.get(declaration.pk)
        declaration.quality_flags = assessment.flags if assessment else []
    return declarations


# --- The kinds of flags of many declarations: the list's filter, the work queue's count ---


def _history_states(current: list[dict], companies: QuerySet | set[int]) -> dict[int, tuple[int, datetime.datetime]]:
    """Each company's history state: how many received declarations in the history window, and
    when one of them last changed. One query, which the database answers without sending the rows."""
    return {
        row["company_id"]: (row["received"], row["changed"])
        for row in Declaration.objects.filter(company_id__in=companies, **_history_window(current))
        .order_by()
        .values("company_id")
        .annotate(received=Count("pk"), changed=Max("updated_at"))
    }


def _rules_digest(thresholds: Thresholds) -> str:
    rules = (astuple(thresholds), settings.QUALITY_HISTORY_DAYS, CACHE_VERSION)
    return hashlib.sha256(repr(rules).encode()).hexdigest()[:16]


def _own_key(row: dict, history_state: tuple | None, rules: str) -> str:
    received, changed = history_state or (0, None)
    return (
        f"quality:own:{rules}:{row['pk']}:{row['updated_at'].isoformat()}:"
        f"{row['company_updated_at'].isoformat()}:{received}:{changed.isoformat() if changed else '-'}"
    )


def _previous_figures(previous: dict | None) -> dict | None:
    return {name: previous[name] for name in ROW_FIELDS} if previous is not None else None


def declaration_flag_kinds(declarations: QuerySet[Declaration]) -> dict[int, set[str]]:
    """The kinds of flags of each declaration (drafts have none), by primary key: for the list's
    filter and the work queue's count, which look at whole campaigns.

    What a declaration's own figures, its history and the registry say does not move when other
    companies declare: it is kept in the cache per declaration, under a key made of the
    declaration's, its company's and its company's history's latest changes, so that a
    submission, an approval or a correction computes again only the declarations it concerns. The
    segment rule, which moves with every declaration of the segment, is applied afresh with the
    campaign's references (quality.segments). Four queries while the cache holds everything (the
    declarations, their companies' history states, the campaigns' states); the reads of
    declarations_with_flags for those it lacks."""
    assessed = declarations.filter(status__in=ASSESSED).order_by()
    current = rows(assessed)
    if not current:
        return {}
    companies = assessed.values("company_id")
    states = _history_states(current, companies)
    thresholds = Thresholds.from_settings()
    rules = _rules_digest(thresholds)
    keys = {row["pk"]: _own_key(row, states.get(row["company_id"]), rules) for row in current}
    known = cache.get_many(keys.values())
    missing = [row for row in current if keys[row["pk"]] not in known]
    if missing:
        everything = len(missing) == len(current)
        reads = _read_around(missing, companies=companies if everything else {row["company_id"] for row in missing})
        histories = {company_id: _CompanyHistory.of(series) for company_id, series in reads.history.items()}
        no_history = _CompanyHistory.of([])
        found = {}
        for row in missing:
            previous = reads.previous.get(row["pk"])
            own = assess(
                current=row,
                previous=previous,
                history=histories.get(row["company_id"], no_history).before(row["period_start"]),
                segment={},
                segment_name=row["segment"],
                registered_headcount=row["registered_headcount"],
                thresholds=thresholds,
            )
            found[keys[row["pk"]]] = ({flag.kind for flag in own.flags}, _previous_figures(previous))
        cache.set_many(found, OWN_FLAGS_STALE_AFTER)
        known |= found
    references = segment_references({row["campaign_id"] for row in current})
    kinds = {}
    for row in current:
        own, previous = known[keys[row["pk"]]]
        kinds[row["pk"]] = set(own)
        if previous is not None:
            kinds[row["pk"]] |= {
                flag.kind
                for flag in segment_flags(
                    current=row,
                    previous=previous,
                    segment=references[row["campaign_id"]].get(row["segment"], {}),
                    segment_name=row["segment"],
                    thresholds=thresholds,
                )
            }
    return kinds


def flagged_declaration_ids(queryset: QuerySet[Declaration], *, kind: str | None = None) -> list[int]:
    """The primary keys of the declarations of `queryset` that carry a flag (of `kind`, if given).
    Its cost follows the number of declarations: restrict the queryset first (flag_scope)."""
    return [pk for pk, kinds in declaration_flag_kinds(queryset).items() if kinds and (kind is None or kind in kinds)]


def flag_scope(queryset: QuerySet[Declaration]) -> tuple[QuerySet[Declaration], bool]:
    """The declarations of `queryset` that the list's quality filter looks at, and whether that is
    fewer than all of them. Within one campaign, all of them; across campaigns, those of the open
    campaigns and those waiting for review: the flags of the whole history would cost seconds for
    every filtered page, and a flag on a declaration approved long ago calls for no action. One
    query."""
    campaigns = queryset.order_by().values_list("campaign_id", flat=True).distinct()[:2]
    if len(campaigns) < 2:
        return queryset, False
    return queryset.filter(Q(campaign__status=Campaign.Status.OPEN) | Q(status=Declaration.Status.SUBMITTED)), True


def declaration_quality_review(declaration: Declaration) -> QualityReview:
    """What the review page shows: the flags, and the previous declaration's figures."""
    review = _reviews(Declaration.objects.filter(pk=declaration.pk)).get(declaration.pk)
    return review or QualityReview(assessment=Assessment())
