"""Each campaign's segment references: for each segment (AMRC members, small operators) and each
metric, where the companies' week-on-week changes sit and how much they spread (quality.scores).

A segment flag compares one declaration's change with every change of its segment that week, so
computing a reference reads the whole campaign and each company's previous declaration: about a
second at 10,000 companies, far too much for every page of the declarations' list. The references
are therefore computed once per state of the campaign and kept in Django's cache (Redis in
production, shared by the app servers). The state is the number of the campaign's received
declarations and the latest time one of them changed: a submission, a correction, an approval or
a return changes it, and the next read computes the references again.

What the state does not see — a correction of an earlier week's declaration, which moves its
company's change this week, or a company moved to another segment — is caught up within
REFERENCES_STALE_AFTER: the references of a small segment would move by one company's change, a
flag at most, and the declaration's own change, its history and the other rules are always read
afresh.
"""

import datetime
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Collection

from django.core.cache import cache
from django.db.models import Count, Max

from measures.models import Campaign, Declaration
from quality.metrics import METRICS, changes
from quality.reads import RECEIVED, by_company, latest_before, previous_rows, rows
from quality.scores import Reference, reference

# Bump when what a reference holds or how it is computed changes: older entries are then ignored.
CACHE_VERSION = 1
REFERENCES_STALE_AFTER = 60 * 60

SegmentReferences = dict[str, dict[str, Reference]]


def _states(campaign_ids: Collection[int]) -> dict[int, tuple[int, datetime.datetime]]:
    """Each campaign's state: how many received declarations, and when one last changed. One query."""
    return {
        row["campaign_id"]: (row["received"], row["changed"])
        for row in Declaration.objects.filter(campaign_id__in=campaign_ids, status__in=RECEIVED)
        .order_by()
        .values("campaign_id")
        .annotate(received=Count("pk"), changed=Max("updated_at"))
    }


def _cache_key(campaign_id: int, state: tuple[int, datetime.datetime]) -> str:
    received, changed = state
    return f"quality:segments:{CACHE_VERSION}:{campaign_id}:{received}:{changed.isoformat()}"


def _preceding_periods(campaign_ids: Collection[int]) -> dict[int, datetime.date]:
    """The period just before each campaign's, where its companies' previous declarations mostly
    are. One query (campaigns are few: one a week)."""
    periods = dict(Campaign.objects.order_by().values_list("pk", "period_start"))
    starts = sorted(set(periods.values()))
    preceding = {}
    for campaign_id in campaign_ids:
        if index := bisect_left(starts, periods[campaign_id]):
            preceding[campaign_id] = starts[index - 1]
    return preceding


def _compute(campaign_ids: Collection[int]) -> dict[int, SegmentReferences]:
    """The references of campaigns not in the cache, in at most four queries whatever their number:
    their received declarations, the periods, the received declarations of the periods just before
    (where almost every company's previous declaration is), and the previous declarations of the
    companies that skipped that period."""
    current = rows(Declaration.objects.filter(campaign_id__in=campaign_ids, status__in=RECEIVED).order_by())
    preceding = _preceding_periods(campaign_ids)
    candidates = by_company(
        rows(
            Declaration.objects.filter(
                status__in=RECEIVED, campaign__period_start__in=set(preceding.values())
            ).order_by("company_id", "campaign__period_start", "pk")
        )
        if preceding
        else []
    )
    previous = {}
    for row in current:
        before = latest_before(candidates.get(row["company_id"], []), row)
        # Only a declaration of the period just before is surely the latest one before this period.
        if before is not None and before["period_start"] == preceding[row["campaign_id"]]:
            previous[row["pk"]] = before
    previous |= previous_rows(row for row in current if row["pk"] not in previous and row["campaign_id"] in preceding)

    by_group: dict[int, dict[str, dict[str, list[float]]]] = {
        campaign_id: defaultdict(lambda: defaultdict(list)) for campaign_id in campaign_ids
    }
    for row in current:
        before = previous.get(row["pk"])
        if before is None:
            continue
        by_metric = by_group[row["campaign_id"]][row["segment"]]
        for metric, change in zip(METRICS, changes(before["levels"], row["levels"]), strict=True):
            if change is not None:
                by_metric[metric.field].append(change)
    return {
        campaign_id: {
            segment: {field: reference(values) for field, values in by_metric.items()}
            for segment, by_metric in segments.items()
        }
        for campaign_id, segments in by_group.items()
    }


def segment_references(campaign_ids: Collection[int]) -> dict[int, SegmentReferences]:
    """For each campaign, its segments' references of this week's changes by metric (a segment
    without a change this week has none). One query when the cache holds them; at most four more
    otherwise."""
    states = _states(campaign_ids)
    keys = {campaign_id: _cache_key(campaign_id, state) for campaign_id, state in states.items()}
    cached = cache.get_many(keys.values())
    references = {campaign_id: cached[key] for campaign_id, key in keys.items() if key in cached}
    missing = [campaign_id for campaign_id in keys if campaign_id not in references]
    if missing:
        computed = _compute(missing)
        cache.set_many({keys[campaign_id]: computed[campaign_id] for campaign_id in missing}, REFERENCES_STALE_AFTER)
        references |= computed
    # A campaign without a received declaration has no reference to compare with.
    return {campaign_id: references.get(campaign_id, {}) for campaign_id in campaign_ids}
