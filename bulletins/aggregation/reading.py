"""Reading a campaign's approved declarations: sums, contributor counts and the few largest
contributions of each group, in a fixed number of queries whatever the number of companies."""

import operator
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce

from django.db.models import BigIntegerField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber

from amrc.lib.disclosure import DisclosureRules
from bulletins.aggregation.columns import REGIONAL, REGIONAL_PARTS, SUMMED
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
    reception: dict[str, dict[str, int]]
    groups: dict[tuple[str, str], Sums]
    largest: dict[tuple, list]
    regions: list[str]
    regional: dict[tuple[str, str, str], dict[str, int]]
    regional_largest: dict[tuple, list]
    regional_respondents: int
    measures: list[tuple[str, str]]
    answers: dict[tuple[str, str], dict[str, int]]
    workforce_largest: dict[str, list]
    sector_jobs: Decimal | None
    declarations: list[tuple[int, int]]


def read_campaign(*, campaign: Campaign, rules: DisclosureRules) -> CampaignData:
    approved = Declaration.objects.approved().for_campaign(campaign).order_by()
    measures = list(
        Measure.objects.filter(is_active=True).order_by("order", "code").values_list("pk", "code", "category")
    )
    codes = {pk: code for pk, code, _category in measures}
    regions = dict(Region.objects.order_by("code").values_list("pk", "code"))
    jobs = SectorFigure.objects.filter(key="jobs").values_list("value", flat=True).first()
    return CampaignData(
        campaign=campaign,
        rules=rules,
        registry=_registry_by_segment(campaign),
        reception=_reception_by_segment(campaign),
        groups=_sums_by_segment_and_formality(approved),
        largest=_largest_contributions(approved, rules.dominance_n),
        regions=list(regions.values()),
        regional=_regional_sums(approved, regions),
        regional_largest=_regional_largest_contributions(approved, regions, rules.dominance_n),
        regional_respondents=DeclarationRegion.objects.filter(declaration__in=approved.values("pk")).aggregate(
            n=Count("declaration", distinct=True)
        )["n"],
        measures=[(code, category) for _pk, code, category in measures],
        answers=_measure_answers(approved, codes),
        workforce_largest=_measure_workforce_largest(approved, codes, rules.dominance_n),
        sector_jobs=jobs,
        declarations=list(approved.order_by("pk").values_list("pk", "version")),
    )


def _registry_by_segment(campaign: Campaign) -> dict[str, dict[str, int]]:
    """Expected reports (active registered companies), how many of them are approved, and the
    registered workforce they stand for."""
    responded = Exists(Declaration.objects.approved().for_campaign(campaign).filter(company=OuterRef("pk")))
    rows = (
        Company.objects.active()
        .annotate(responded=responded)
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
    return declarations.annotate(
        activity_weight=ExpressionWrapper(F("activity_maintained_pct") * F("headcount"), output_field=BigIntegerField())
    )


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


def _regional_lines(approved: QuerySet) -> QuerySet:
    return DeclarationRegion.objects.filter(declaration__in=approved.values("pk")).order_by()


def _regional_sums(approved: QuerySet, regions: Mapping[int, str]) -> dict[tuple[str, str, str], dict[str, int]]:
    """Regional lines summed by (region, segment, formality), the finest groups a reader can
    reach by combining the regional tables with the others."""
    rows = (
        _regional_lines(approved)
        .values("region_id", "declaration__company__segment", "declaration__company__formality")
        .annotate(companies=Count("pk"), **{name: Sum(name) for name in REGIONAL})
    )
    sums = {}
    for row in rows:
        group = {"companies": row["companies"], **{name: row[name] or 0 for name in REGIONAL}}
        group["rest"] = group["headcount"] - group["on_site"] - group["telework"]
        key = (regions[row["region_id"]], row["declaration__company__segment"], row["declaration__company__formality"])
        sums[key] = group
    return sums


def _regional_largest_contributions(approved: QuerySet, regions: Mapping[int, str], n: int) -> dict[tuple, list]:
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
        _regional_lines(approved)
        .annotate(rest=F("headcount") - F("on_site") - F("telework"))
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


def _measure_answers(approved: QuerySet, codes: Mapping[int, str]) -> dict[tuple[str, str], dict[str, int]]:
    status = DeclarationMeasure.Status
    in_place = Q(status=status.IN_PLACE)
    rows = (
        DeclarationMeasure.objects.filter(declaration__in=approved.values("pk"), measure_id__in=list(codes))
        .order_by()
        .values("measure_id", "declaration__company__segment")
        .annotate(
            in_place=Count("pk", filter=in_place),
            planned=Count("pk", filter=Q(status=status.PLANNED)),
            requested=Count("pk", filter=Q(status__in=[status.IN_PLACE, status.PLANNED])),
            workforce=Sum("declaration__headcount", filter=in_place),
            workforce_contributors=Count("declaration__headcount", filter=in_place),
        )
    )
    return {
        (codes[row["measure_id"]], row["declaration__company__segment"]): {
            "in_place": row["in_place"],
            "planned": row["planned"],
            "requested": row["requested"],
            "workforce": row["workforce"] or 0,
            "workforce_contributors": row["workforce_contributors"],
        }
        for row in rows
    }


def _measure_workforce_largest(approved: QuerySet, codes: Mapping[int, str], n: int) -> dict[str, list]:
    rows = (
        DeclarationMeasure.objects.filter(
            declaration__in=approved.values("pk"),
            measure_id__in=list(codes),
            status=DeclarationMeasure.Status.IN_PLACE,
            declaration__headcount__isnull=False,
        )
        .order_by()
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("measure_id")],
                order_by=[F("declaration__headcount").desc(), F("pk").asc()],
            )
        )
        .filter(rank__lte=n)
        .values("measure_id", "declaration__headcount")
    )
    largest: dict[str, list] = defaultdict(list)
    for row in rows:
        largest[codes[row["measure_id"]]].append(row["declaration__headcount"])
    return largest
