"""Reading a campaign's approved declarations: sums, contributor counts and the few largest
contributions of each group, in a fixed number of queries whatever the number of companies."""

import operator
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.functions import RowNumber

from amrc.lib.disclosure import DisclosureRules
from bulletins.aggregation.columns import REGIONAL, REGIONAL_PARTS, SUMMED, activity_weight
from measures.models import Campaign, Declaration, DeclarationMeasure, DeclarationRegion, Measure
from members.models import Company, Region, SectorFigure


@dataclass
class Sums:
    """Sums and contributor counts of one group of declarations."""

    respondents: int = 0
    respondent_registered: int = 0
    activity_base: int = 0
    sums: dict[str, Decimal | int] = field(default_factory=dict)
    contributors: dict[str, int] = field(default_factory=dict)

    def __add__(self, other: "Sums") -> "Sums":
        return Sums(
            respondents=self.respondents + other.respondents,
            respondent_registered=self.respondent_registered + other.respondent_registered,
            activity_base=self.activity_base + other.activity_base,
            sums={v: self.sums.get(v, 0) + other.sums.get(v, 0) for v in {*self.sums, *other.sums}},
            contributors={
                v: self.contributors.get(v, 0) + other.contributors.get(v, 0)
                for v in {*self.contributors, *other.contributors}
            },
        )


@dataclass
class CampaignData:
    campaign: Campaign
    rules: DisclosureRules
    registry: dict[str, dict[str, int]]
    registry_largest: dict[tuple[str, bool], list]
    reception: dict[str, dict[str, int]]
    groups: dict[tuple[str, str], Sums]
    largest: dict[tuple, list]
    regions: list[str]
    regional: dict[tuple[str, str, str], dict[str, int]]
    regional_largest: dict[tuple, list]
    regional_respondents: int
    measures: list[tuple[str, str]]
    answers: dict[tuple[str, str, str], dict[str, int]]
    workforce_largest: dict[tuple[str, str], list]
    without_largest: dict[tuple[str, str], list]
    sector_jobs: Decimal | None
    declarations: list[tuple[int, int]]


def approved_in(campaign: Campaign) -> dict:
    """The declarations a bulletin counts, as lookups on Declaration."""
    return {"campaign": campaign, "status": Declaration.Status.APPROVED}


def read_campaign(*, campaign: Campaign, rules: DisclosureRules, selection: dict | None = None) -> CampaignData:
    """The campaign's figures from the declarations `selection` picks (lookups on Declaration:
    the approved ones by default; a correction's audit reads the few that changed)."""
    selection = selection or approved_in(campaign)
    declarations = Declaration.objects.filter(**selection).order_by()
    # Regional lines and measure answers are filtered through the join on their declaration, so
    # that the database reads only this campaign's rows, not every campaign's through IN (…).
    through = {f"declaration__{lookup}": value for lookup, value in selection.items()}
    measures = list(
        Measure.objects.filter(is_active=True).order_by("order", "code").values_list("pk", "code", "category")
    )
    codes = {pk: code for pk, code, _category in measures}
    regions = dict(Region.objects.order_by("code").values_list("pk", "code"))
    jobs = SectorFigure.objects.filter(key="jobs").values_list("value", flat=True).first()
    lines = DeclarationRegion.objects.filter(**through).order_by()
    answers = DeclarationMeasure.objects.filter(**through, measure_id__in=list(codes)).order_by()
    return CampaignData(
        campaign=campaign,
        rules=rules,
        registry=_registry_by_segment(declarations),
        registry_largest=_registry_largest(declarations, rules.dominance_n),
        reception=_reception_by_segment(campaign),
        groups=_sums_by_segment_and_formality(declarations),
        largest=_largest_contributions(declarations, rules.dominance_n),
        regions=list(regions.values()),
        regional=_regional_sums(lines, regions),
        regional_largest=_regional_largest_contributions(lines, regions, rules.dominance_n),
        regional_respondents=lines.aggregate(n=Count("declaration", distinct=True))["n"],
        measures=[(code, category) for _pk, code, category in measures],
        answers=_measure_answers(answers, codes),
        **_largest_with_and_without_measure(declarations, answers, codes, rules.dominance_n),
        sector_jobs=jobs,
        declarations=list(declarations.order_by("pk").values_list("pk", "version")),
    )


def _companies_responding(declarations: QuerySet) -> Exists:
    return Exists(declarations.filter(company=OuterRef("pk")))


def _registry_by_segment(declarations: QuerySet) -> dict[str, dict[str, int]]:
    """Expected reports (active registered companies), how many of them are approved, and the
    registered workforce they stand for."""
    rows = (
        Company.objects.active()
        .annotate(responded=_companies_responding(declarations))
        .order_by()
        .values("segment")
        .annotate(
            expected=Count("pk"),
            approved=Count("pk", filter=Q(responded=True)),
            registered=Sum("registered_headcount"),
            covered=Sum("registered_headcount", filter=Q(responded=True)),
        )
    )
    return {row["segment"]: {k: row[k] or 0 for k in ("expected", "approved", "registered", "covered")} for row in rows}


def _registry_largest(declarations: QuerySet, n: int) -> dict[tuple[str, bool], list]:
    """The n largest registered headcounts of the responding and of the silent companies of each
    segment: the dominance rule on the covered workforce and on the rest of the registered one."""
    rows = (
        Company.objects.active()
        .annotate(responded=_companies_responding(declarations))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("segment"), F("responded")],
                order_by=[F("registered_headcount").desc(), F("pk").asc()],
            )
        )
        .order_by()
        .filter(rank__lte=n)
        .values_list("segment", "responded", "registered_headcount")
    )
    largest: dict[tuple[str, bool], list] = defaultdict(list)
    for segment, responded, registered in rows:
        largest[segment, responded].append(registered)
    return largest


def _reception_by_segment(campaign: Campaign) -> dict[str, dict[str, int]]:
    received = Declaration.objects.for_campaign(campaign).filter(company__in=Company.objects.active()).received()
    rows = (
        received.order_by()
        .values("company__segment")
        .annotate(
            received=Count("pk"),
            on_time=Count("pk", filter=Q(pk__in=received.on_time().values("pk"))),
            late=Count("pk", filter=Q(pk__in=received.late().values("pk"))),
        )
    )
    return {row["company__segment"]: {k: row[k] for k in ("received", "on_time", "late")} for row in rows}


def _with_activity_weight(declarations: QuerySet) -> QuerySet:
    return declarations.annotate(activity_weight=activity_weight())


def _sums_by_segment_and_formality(approved: QuerySet) -> dict[tuple[str, str], Sums]:
    aggregates = {}
    for name in SUMMED:
        aggregates[f"sum_{name}"] = Sum(name)
        aggregates[f"n_{name}"] = Count(name)
    rows = (
        _with_activity_weight(approved)
        .values("company__segment", "company__formality")
        .annotate(
            respondents=Count("pk"),
            respondent_registered=Sum("company__registered_headcount"),
            activity_base=Sum("headcount", filter=Q(activity_maintained_pct__isnull=False)),
            **aggregates,
        )
    )
    return {
        (row["company__segment"], row["company__formality"]): Sums(
            respondents=row["respondents"],
            respondent_registered=row["respondent_registered"] or 0,
            activity_base=row["activity_base"] or 0,
            sums={name: row[f"sum_{name}"] or 0 for name in SUMMED},
            contributors={name: row[f"n_{name}"] for name in SUMMED},
        )
        for row in rows
    }


def _top_rows_filter(rank_names: Iterable[str], n: int) -> Q:
    return reduce(operator.or_, (Q(**{f"{name}__lte": n}) for name in rank_names))


def _largest_contributions(approved: QuerySet, n: int) -> dict[tuple, list]:
    """The n largest contributions of each figure in each (segment, formality) group, from one
    query: a window per figure ranks the declarations within their group. Groups partition the
    segments and the formalities, so the largest of a segment are among its groups' largest."""
    windows = {
        f"rank_{name}": Window(
            RowNumber(),
            partition_by=[F("company__segment"), F("company__formality")],
            order_by=[F(name).desc(nulls_last=True), F("pk").asc()],
        )
        for name in SUMMED
    }
    rows = (
        _with_activity_weight(approved)
        .annotate(**windows)
        .filter(_top_rows_filter(windows, n))
        .values("company__segment", "company__formality", *SUMMED, *windows)
    )
    largest: dict[tuple, list] = defaultdict(list)
    for row in rows:
        for name in SUMMED:
            if row[name] is not None and row[f"rank_{name}"] <= n:
                largest[name, row["company__segment"], row["company__formality"]].append(row[name])
    return largest


def _regional_sums(lines: QuerySet, regions: Mapping[int, str]) -> dict[tuple[str, str, str], dict[str, int]]:
    """Regional lines summed by (region, segment, formality), the finest groups a reader can
    reach by combining the regional tables with the others."""
    rows = lines.values("region_id", "declaration__company__segment", "declaration__company__formality").annotate(
        companies=Count("pk"), **{name: Sum(name) for name in REGIONAL}
    )
    sums = {}
    for row in rows:
        group = {"companies": row["companies"], **{name: row[name] or 0 for name in REGIONAL}}
        group["rest"] = group["headcount"] - group["on_site"] - group["telework"]
        key = (regions[row["region_id"]], row["declaration__company__segment"], row["declaration__company__formality"])
        sums[key] = group
    return sums


def _regional_largest_contributions(lines: QuerySet, regions: Mapping[int, str], n: int) -> dict[tuple, list]:
    """The n largest lines of each (region, segment, formality) group, per figure; `rest` is the
    line's headcount neither on site nor in telework."""
    windows = {
        f"rank_{name}": Window(
            RowNumber(),
            partition_by=[F("region_id"), F("declaration__company__segment"), F("declaration__company__formality")],
            order_by=[F(name).desc(), F("pk").asc()],
        )
        for name in REGIONAL_PARTS
    }
    rows = (
        lines.annotate(rest=F("headcount") - F("on_site") - F("telework"))
        .annotate(**windows)
        .filter(_top_rows_filter(windows, n))
        .values(
            "region_id", "declaration__company__segment", "declaration__company__formality", *REGIONAL_PARTS, *windows
        )
    )
    largest: dict[tuple, list] = defaultdict(list)
    for row in rows:
        group = (
            regions[row["region_id"]],
            row["declaration__company__segment"],
            row["declaration__company__formality"],
        )
        for name in REGIONAL_PARTS:
            if row[f"rank_{name}"] <= n:
                largest[(name, *group)].append(row[name])
    return largest


def _measure_answers(answers: QuerySet, codes: Mapping[int, str]) -> dict[tuple[str, str, str], dict[str, int]]:
    """Answers by measure, segment and formality: the segment is published, and formality within
    it is a group a reader can name (when all of a segment has a measure, so has each part)."""
    status = DeclarationMeasure.Status
    in_place = Q(status=status.IN_PLACE)
    rows = answers.values("measure_id", "declaration__company__segment", "declaration__company__formality").annotate(
        in_place=Count("pk", filter=in_place),
        planned=Count("pk", filter=Q(status=status.PLANNED)),
        requested=Count("pk", filter=Q(status__in=[status.IN_PLACE, status.PLANNED])),
        workforce=Sum("declaration__headcount", filter=in_place),
        workforce_contributors=Count("declaration__headcount", filter=in_place),
    )
    return {
        (codes[row["measure_id"]], row["declaration__company__segment"], row["declaration__company__formality"]): {
            "in_place": row["in_place"],
            "planned": row["planned"],
            "requested": row["requested"],
            "workforce": row["workforce"] or 0,
            "workforce_contributors": row["workforce_contributors"],
        }
        for row in rows
    }


# How far down each segment's largest declarations the companies with or without a measure are
# looked for.
LARGEST_SCANNED = 50


def _largest_with_and_without_measure(
    declarations: QuerySet, answers: QuerySet, codes: Mapping[int, str], n: int
) -> dict[str, dict[tuple[str, str], list]]:
    """The n largest headcounts of each segment's companies with each measure in place
    (`workforce_largest`, for the segments where one of its largest declarations has it) and
    without it, whether they answered for it or not (`without_largest`): the segment's largest
    declarations walked down, in two queries whatever the number of measures and companies. Past
    the LARGEST_SCANNED largest, the smallest of them stands in for the rest: never less than the
    truth, so that dominance errs towards suppression."""
    ranked = list(
        declarations.filter(headcount__isnull=False)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("company__segment")],
                order_by=[F("headcount").desc(), F("pk").asc()],
            )
        )
        .filter(rank__lte=LARGEST_SCANNED)
        .values_list("pk", "company__segment", "headcount")
    )
    in_place = set(
        answers.filter(declaration_id__in=[pk for pk, _segment, _headcount in ranked])
        .filter(status=DeclarationMeasure.Status.IN_PLACE)
        .values_list("declaration_id", "measure_id")
    )
    by_segment: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for pk, segment, headcount in sorted(ranked, key=lambda row: (-row[2], row[0])):
        by_segment[segment].append((pk, headcount))

    def largest(rows: list[tuple[int, int]], found: list[int]) -> list[int]:
        found = found[:n]
        if len(found) < n and len(rows) == LARGEST_SCANNED:
            found += [rows[-1][1]] * (n - len(found))
        return found

    with_measure: dict[tuple[str, str], list] = {}
    without_measure: dict[tuple[str, str], list] = {}
    for measure_id, code in codes.items():
        for segment, rows in by_segment.items():
            having = [headcount for pk, headcount in rows if (pk, measure_id) in in_place]
            lacking = [headcount for pk, headcount in rows if (pk, measure_id) not in in_place]
            with_measure[code, segment] = largest(rows, having)
            without_measure[code, segment] = largest(rows, lacking)
    return {"workforce_largest": with_measure, "without_largest": without_measure}
