"""Reading a campaign's approved declarations: sums, contributor counts and the few largest
contributions of each group (read beside the sums, by the same GROUP BY), in a fixed number of
queries whatever the number of companies."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.functions import RowNumber

from amrc.lib.disclosure import DisclosureRules
from amrc.lib.largest import Largest
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
    registry, registry_largest = _registry_by_segment(selection, rules.dominance_n)
    groups, largest = _sums_by_segment_and_formality(declarations, rules.dominance_n)
    regional, regional_largest = _regional_sums(lines, regions, rules.dominance_n)
    return CampaignData(
        campaign=campaign,
        rules=rules,
        registry=registry,
        registry_largest=registry_largest,
        reception=_reception_by_segment(campaign),
        groups=groups,
        largest=largest,
        regions=list(regions.values()),
        regional=regional,
        regional_largest=regional_largest,
        regional_respondents=lines.aggregate(n=Count("declaration", distinct=True))["n"],
        measures=[(code, category) for _pk, code, category in measures],
        answers=_measure_answers(answers, codes),
        **_largest_with_and_without_measure(declarations, answers, codes, rules.dominance_n),
        sector_jobs=jobs,
        declarations=list(declarations.order_by("pk").values_list("pk", "version")),
    )


def counted_declaration(selection: dict) -> FilteredRelation:
    """A company's declaration among those `selection` picks (lookups on Declaration, within one
    campaign, where a company has one declaration at most), as a relation joined once: filter on
    `<alias>__isnull`. A subquery per company instead would run once for each figure using it."""
    return FilteredRelation("declarations", condition=Q(**{f"declarations__{k}": v for k, v in selection.items()}))


def _registry_by_segment(selection: dict, n: int) -> tuple[dict, dict]:
    """Expected reports (active registered companies), how many of them are approved and the
    registered workforce they stand for; with the n largest registered headcounts of the
    responding and of the silent companies of each segment, for the dominance rule on the
    covered workforce and on the rest of the registered one.

    A company responds when it has a declaration in `selection`."""
    responded = Q(counted__isnull=False)
    rows = (
        Company.objects.active()
        .alias(counted=counted_declaration(selection))
        .order_by()
        .values("segment")
        .annotate(
            expected=Count("pk"),
            approved=Count("pk", filter=responded),
            registered=Sum("registered_headcount"),
            covered=Sum("registered_headcount", filter=responded),
            largest_responding=Largest("registered_headcount", n=n, filter=responded),
            largest_silent=Largest("registered_headcount", n=n, filter=~responded),
        )
    )
    registry = {}
    largest: dict[tuple[str, bool], tuple] = defaultdict(tuple)
    for row in rows:
        registry[row["segment"]] = {k: row[k] or 0 for k in ("expected", "approved", "registered", "covered")}
        largest[row["segment"], True] = row["largest_responding"]
        largest[row["segment"], False] = row["largest_silent"]
    return registry, largest


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


def _sums_by_segment_and_formality(approved: QuerySet, n: int) -> tuple[dict[tuple[str, str], Sums], dict]:
    """Each (segment, formality) group's sums and contributor counts, with the n largest
    contributions of each figure. Groups partition the segments and the formalities, so the
    largest of a segment are among its groups' largest."""
    aggregates = {}
    for name in SUMMED:
        aggregates[f"sum_{name}"] = Sum(name)
        aggregates[f"n_{name}"] = Count(name)
        aggregates[f"largest_{name}"] = Largest(name, n=n)
    rows = (
        approved.annotate(activity_weight=activity_weight())
        .values("company__segment", "company__formality")
        .annotate(
            respondents=Count("pk"),
            respondent_registered=Sum("company__registered_headcount"),
            activity_base=Sum("headcount", filter=Q(activity_maintained_pct__isnull=False)),
            **aggregates,
        )
    )
    groups, largest = {}, {}
    for row in rows:
        group = (row["company__segment"], row["company__formality"])
        groups[group] = Sums(
            respondents=row["respondents"],
            respondent_registered=row["respondent_registered"] or 0,
            activity_base=row["activity_base"] or 0,
            sums={name: row[f"sum_{name}"] or 0 for name in SUMMED},
            contributors={name: row[f"n_{name}"] for name in SUMMED},
        )
        for name in SUMMED:
            largest[(name, *group)] = row[f"largest_{name}"]
    return groups, largest


def _regional_sums(lines: QuerySet, regions: Mapping[int, str], n: int) -> tuple[dict, dict]:
    """Regional lines summed by (region, segment, formality), the finest groups a reader can
    reach by combining the regional tables with the others, with the n largest lines of each
    group per figure; `rest` is a line's headcount neither on site nor in telework."""
    rows = (
        lines.annotate(rest=F("headcount") - F("on_site") - F("telework"))
        .values("region_id", "declaration__company__segment", "declaration__company__formality")
        .annotate(
            companies=Count("pk"),
            **{f"sum_{name}": Sum(name) for name in REGIONAL},
            **{f"largest_{name}": Largest(name, n=n) for name in REGIONAL_PARTS},
        )
    )
    sums, largest = {}, {}
    for row in rows:
        group = {"companies": row["companies"], **{name: row[f"sum_{name}"] or 0 for name in REGIONAL}}
        group["rest"] = group["headcount"] - group["on_site"] - group["telework"]
        key = (regions[row["region_id"]], row["declaration__company__segment"], row["declaration__company__formality"])
        sums[key] = group
        for name in REGIONAL_PARTS:
            largest[(name, *key)] = row[f"largest_{name}"]
    return sums, largest


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
