"""The declaration rows the quality rules read, and how a declaration finds the previous one it is
compared with: the company's latest received declaration of an earlier period (submitted or
approved; ties between campaigns of the same period go to the latest created).

Rows are plain dicts (`.values()`), each with its metrics' levels computed once (`levels`).
"""

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from itertools import groupby
from operator import itemgetter

from django.db.models import F, OuterRef, QuerySet, Subquery

from measures.models import Declaration
from quality.comparison import COMPARED_ONLY_FIELDS
from quality.metrics import ROW_FIELDS, levels

# What counts as a company's declared figures: what it submitted, and what staff approved.
RECEIVED = (Declaration.Status.SUBMITTED, Declaration.Status.APPROVED)
# Drafts are work in progress: nothing to flag yet.
ASSESSED = (*RECEIVED, Declaration.Status.RETURNED)

_VALUES = ("pk", "company_id", "campaign_id", "status", "updated_at", *ROW_FIELDS, *COMPARED_ONLY_FIELDS)
_ANNOTATIONS = {
    "period_start": F("campaign__period_start"),
    "campaign_title": F("campaign__title"),
    "segment": F("company__segment"),
    "registered_headcount": F("company__registered_headcount"),
    "company_updated_at": F("company__updated_at"),
}


def _as_row(values: dict) -> dict:
    # Money arrives as Decimal; the statistics work in floats.
    if values["export_revenue"] is not None:
        values["export_revenue"] = float(values["export_revenue"])
    values["levels"] = levels(values)
    return values


def rows(queryset: QuerySet[Declaration]) -> list[dict]:
    """The declarations of `queryset` as rows, in the queryset's order. One query."""
    return [_as_row(values) for values in queryset.values(*_VALUES, **_ANNOTATIONS)]


def latest_before(series: list[dict], row: dict) -> dict | None:
    """The last row of `series` (a company's received rows, in period order) of a period before
    `row`'s: the declaration `row` is compared with, if `series` reaches back far enough."""
    index = bisect_left(series, row["period_start"], key=itemgetter("period_start"))
    return series[index - 1] if index else None


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


def previous_rows(missing: Iterable[dict]) -> dict[int, dict]:
    """The previous declaration of each row of `missing` (rows whose previous declaration was not
    among those already read), by the row's primary key. One query, none when nothing is missing;
    the correlated subquery runs once per missing row, which is right for the few rows it is asked
    about, not for a whole campaign."""
    missing = list(missing)
    if not missing:
        return {}
    keys = Declaration.objects.filter(pk__in=[row["pk"] for row in missing]).annotate(previous_pk=_previous_pk())
    found = by_company(
        rows(
            Declaration.objects.filter(pk__in=keys.values("previous_pk")).order_by(
                "company_id", "campaign__period_start", "pk"
            )
        )
    )
    previous = {row["pk"]: latest_before(found.get(row["company_id"], []), row) for row in missing}
    return {pk: row for pk, row in previous.items() if row is not None}


def by_company(series: Iterable[dict]) -> dict[int, list[dict]]:
    """Rows grouped by company, each group in the order given (read them in period order)."""
    groups: dict[int, list[dict]] = defaultdict(list)
    for company_id, group in groupby(series, key=lambda row: row["company_id"]):
        groups[company_id].extend(group)
    return groups
