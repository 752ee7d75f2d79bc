"""A campaign's approved declarations turned into the figures of a bulletin: the public snapshot
(schema amrc-bulletin/1, docs/bulletin-schema.md) and the internal record behind it.

Everything is summed in the database, in a fixed number of queries whatever the number of
companies: group-bys over (segment, formality), (region, segment) and (measure, segment), which
Python only rolls up into totals, and window functions that fetch the few largest contributions of
each cell for the dominance rule. Disclosure control (amrc.lib.disclosure) then decides which
cells are published.
"""

import datetime
import operator
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from functools import reduce

from django.conf import settings
from django.db.models import BigIntegerField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from amrc.lib.disclosure import Cell, DisclosureRules, Tables
from measures.models import HEADCOUNT_PARTS, Campaign, Declaration, DeclarationMeasure, DeclarationRegion, Measure
from members.models import Company, Region, SectorFigure

SCHEMA = "amrc-bulletin/1"
SEGMENTS = tuple(Company.Segment.values)
FORMALITIES = tuple(Company.Formality.values)
TOTAL = "total"
FLOWS = ("hires", "separations", "dismissals")
# Declared figures summed per cell; activity_weight is the activity maintained (%) × headcount,
# the numerator of the weighted average.
SUMMED = ("headcount", *HEADCOUNT_PARTS, *FLOWS, "export_revenue", "activity_weight")
REGIONAL = ("headcount", "on_site", "telework")
# A regional line's headcount splits into on site, telework and the rest (technical unemployment
# and other absences, which are not declared by region).
REGIONAL_PARTS = (*REGIONAL, "rest")
ESTIMATED = ("headcount", "on_site", "telework", "technical_unemployment")
SHARES = {f"{part}_share": part for part in HEADCOUNT_PARTS}

FULL_COLUMNS = [
    "respondents",
    "headcount",
    *HEADCOUNT_PARTS,
    "on_site_share",
    "telework_share",
    "technical_unemployment_share",
    *FLOWS,
    "export_revenue",
    "activity_maintained_avg",
]
REGION_COLUMNS = ["respondents", "headcount", "on_site", "telework", "on_site_share", "telework_share"]
MEASURE_COLUMNS = ["in_place_share", "planned_share", "workforce_share"]
KEY_FIGURES = [
    "respondents",
    "headcount",
    "on_site_share",
    "telework_share",
    "technical_unemployment_share",
    "other_absence_share",
    *FLOWS,
    "export_revenue",
    "activity_maintained_avg",
]
KINDS = {"export_revenue": "money"}


def disclosure_rules_from_settings() -> DisclosureRules:
    return DisclosureRules(
        min_contributors=settings.DISCLOSURE_MIN_CONTRIBUTORS,
        dominance_n=settings.DISCLOSURE_DOMINANCE_N,
        dominance_k=settings.DISCLOSURE_DOMINANCE_K,
    )


def campaign_snapshot(
    *, campaign: Campaign, previous_snapshot: dict | None = None, rules: DisclosureRules | None = None
) -> tuple[dict, dict]:
    """The public snapshot of the campaign's figures and the internal record behind it (rules
    applied, declarations used, when). Read-only: the caller stores both when it publishes."""
    rules = rules or disclosure_rules_from_settings()
    generated_at = timezone.localtime()
    data = _read(campaign=campaign, rules=rules)
    builder = _SnapshotBuilder(data=data)
    reasons = builder.tables.protect(rules)
    snapshot = builder.render(reasons=reasons, previous_snapshot=previous_snapshot, computed_at=generated_at)
    internal = {
        "schema": SCHEMA,
        "rules": rules.as_dict(),
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "declarations": [{"id": pk, "version": version} for pk, version in data.declarations],
        "suppressions": {
            "/".join(str(part) for part in key): reason for key, reason in reasons.items() if reason is not None
        },
    }
    return snapshot, internal


# --- Reading: a fixed number of queries ------------------------------------------------------


@dataclass
class _Sums:
    """Sums and contributor counts of one group of declarations."""

    respondents: int = 0
    respondent_registered: int = 0
    activity_base: int = 0
    sums: dict[str, Decimal | int] = field(default_factory=dict)
    contributors: dict[str, int] = field(default_factory=dict)

    def __add__(self, other: "_Sums") -> "_Sums":
        return _Sums(
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
class _Data:
    campaign: Campaign
    rules: DisclosureRules
    registry: dict[str, dict[str, int]]
    reception: dict[str, dict[str, int]]
    groups: dict[tuple[str, str], _Sums]
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


def _read(*, campaign: Campaign, rules: DisclosureRules) -> _Data:
    approved = Declaration.objects.approved().for_campaign(campaign).order_by()
    measures = list(
        Measure.objects.filter(is_active=True).order_by("order", "code").values_list("pk", "code", "category")
    )
    codes = {pk: code for pk, code, _category in measures}
    regions = dict(Region.objects.order_by("code").values_list("pk", "code"))
    jobs = SectorFigure.objects.filter(key="jobs").values_list("value", flat=True).first()
    return _Data(
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


def _sums_by_segment_and_formality(approved: QuerySet) -> dict[tuple[str, str], _Sums]:
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
        (row["company__segment"], row["company__formality"]): _Sums(
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


# --- Cells, relations and rendering ----------------------------------------------------------


def _top(values: Iterable, n: int) -> tuple:
    return tuple(sorted(values, reverse=True)[:n])


def _rounded(value: Fraction | Decimal | int, places: int) -> Decimal:
    with localcontext() as context:
        context.prec = 50
        if isinstance(value, Fraction):
            value = Decimal(value.numerator) / Decimal(value.denominator)
        return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _public_value(value, kind: str) -> int | float:
    if kind == "share":
        return float(_rounded(value, 4))
    if kind == "money":
        return float(_rounded(value, 2))
    return int(_rounded(value, 0))


def _ratio(numerator, denominator) -> Fraction | None:
    if not denominator:
        return None
    return Fraction(numerator) / Fraction(denominator)


class _SnapshotBuilder:
    """Declares every cell and relation of the bulletin, then renders the protected snapshot."""

    def __init__(self, *, data: _Data) -> None:
        self.data = data
        self.n = data.rules.dominance_n
        self.tables = Tables()
        self.values: dict[tuple, object] = {}
        self.printed: set[tuple] = set()

        segment_sums = {s: self._rollup(lambda group, s=s: group[0] == s) for s in SEGMENTS}
        formality_sums = {f: self._rollup(lambda group, f=f: group[1] == f) for f in FORMALITIES}
        total_sums = self._rollup(lambda group: True)
        self.groups: dict[tuple[str, str], _Sums] = {
            **{("segment", s): sums for s, sums in segment_sums.items()},
            **{("formality", f): sums for f, sums in formality_sums.items()},
            ("all", TOTAL): total_sums,
        }
        for (dimension, key), sums in self.groups.items():
            self._add_declared_cells(dimension, key, sums)
        self._add_segment_by_formality_cells()
        self._relate_declared_cells()
        self._add_regional_cells()
        self.factors = self._estimate_factors()
        self._add_estimate_cells()
        self._add_measure_cells()

    # Declaring cells.

    def _add(self, key: tuple, cell: Cell | None) -> None:
        """A cell the disclosure rules see; None for a figure that cannot be computed (a share of
        nothing), which is published as not available."""
        if cell is None:
            self.values[key] = None
            return
        self.tables.add(key, replace(cell, level=_level(key)))
        self.values[key] = cell.value

    def _rollup(self, belongs) -> _Sums:
        return sum((sums for group, sums in self.data.groups.items() if belongs(group)), _Sums())

    def _largest(self, name: str, dimension: str, key: str) -> tuple:
        groups = [
            (segment, formality)
            for segment in SEGMENTS
            for formality in FORMALITIES
            if dimension == "all" or key == {"segment": segment, "formality": formality}[dimension]
        ]
        return _top((v for group in groups for v in self.data.largest.get((name, *group), [])), self.n)

    def _add_declared_cells(self, dimension: str, key: str, sums: _Sums) -> None:
        for name in SUMMED:
            self._add(
                (name, dimension, key),
                Cell(
                    value=sums.sums.get(name, 0),
                    contributors=sums.contributors.get(name, 0),
                    largest=self._largest(name, dimension, key),
                ),
            )
        self.values["respondents", dimension, key] = sums.respondents
        headcount = sums.sums.get("headcount", 0)
        for share, part in SHARES.items():
            self._add_share((share, dimension, key), sums.sums.get(part, 0), headcount, [(part, dimension, key)])
        self._add_share(
            ("activity_maintained_avg", dimension, key),
            sums.sums.get("activity_weight", 0),
            100 * sums.activity_base,
            [("activity_weight", dimension, key)],
            denominator_key=("headcount", dimension, key),
        )

    def _add_share(self, key, numerator, denominator, sources, denominator_key=None) -> None:
        ratio = _ratio(numerator, denominator)
        if ratio is None:
            self._add(key, None)
            return
        denominator_key = denominator_key or ("headcount", *key[1:])
        self._add(key, Cell(value=ratio, depends_on=(*sources, denominator_key)))

    def _add_segment_by_formality_cells(self) -> None:
        """Segment by formality is not published, but a reader gets it by differencing the two
        tables (when every member is formal, formal minus members is the small formal operators):
        these cells are protected without being shown."""
        for segment in SEGMENTS:
            for formality in FORMALITIES:
                sums = self.data.groups.get((segment, formality), _Sums())
                for name in SUMMED:
                    self._add(
                        (name, "cross", segment, formality),
                        Cell(
                            value=sums.sums.get(name, 0),
                            contributors=sums.contributors.get(name, 0),
                            largest=_top(self.data.largest.get((name, segment, formality), []), self.n),
                            published=False,
                        ),
                    )
                self.tables.add_sum(
                    parts=[(part, "cross", segment, formality) for part in HEADCOUNT_PARTS],
                    total=("headcount", "cross", segment, formality),
                )
        for name in SUMMED:
            self.tables.add_grid(
                interior={(s, f): (name, "cross", s, f) for s in SEGMENTS for f in FORMALITIES},
                row_totals={s: (name, "segment", s) for s in SEGMENTS},
                column_totals={f: (name, "formality", f) for f in FORMALITIES},
                grand_total=(name, "all", TOTAL),
            )

    def _relate_declared_cells(self) -> None:
        for dimension, keys in (("segment", SEGMENTS), ("formality", FORMALITIES)):
            # The parts of the headcount and the rows both add up: a two-dimensional table.
            self.tables.add_grid(
                interior={(key, part): (part, dimension, key) for key in keys for part in HEADCOUNT_PARTS},
                row_totals={key: ("headcount", dimension, key) for key in keys},
                column_totals={part: (part, "all", TOTAL) for part in HEADCOUNT_PARTS},
                grand_total=("headcount", "all", TOTAL),
            )
            for name in (*FLOWS, "export_revenue", "activity_weight"):
                self.tables.add_sum(parts=[(name, dimension, key) for key in keys], total=(name, "all", TOTAL))

    def _regional(self, name: str, regions: Iterable[str], segments: Iterable[str], formalities: Iterable[str]):
        """Value, contributors and largest lines of the regional lines of some groups."""
        groups = [(r, s, f) for r in regions for s in segments for f in formalities]
        nothing = {"companies": 0, **dict.fromkeys(REGIONAL_PARTS, 0)}
        sums = [self.data.regional.get(group, nothing) for group in groups]
        largest = (v for group in groups for v in self.data.regional_largest.get((name, *group), []))
        return sum(group[name] for group in sums), sum(group["companies"] for group in sums), _top(largest, self.n)

    def _regional_cell(self, key: tuple, name: str, regions, segments, formalities=FORMALITIES, **kwargs) -> None:
        value, contributors, largest = self._regional(name, regions, segments, formalities)
        self._add(key, Cell(value=value, contributors=contributors, largest=largest, **kwargs))

    def _add_regional_cells(self) -> None:
        regions = self.data.regions
        # The finest groups, never published: by combining the regional tables with the others (and
        # what a reader knows to be empty) one could reach them, so they are protected too.
        for region in regions:
            for segment in SEGMENTS:
                for formality in FORMALITIES:
                    group = (region, segment, formality)
                    for name in REGIONAL_PARTS:
                        self._regional_cell(
                            (name, "fine", *group), name, [region], [segment], [formality], published=False
                        )
                    self.tables.add_sum(
                        parts=[(name, "fine", *group) for name in ("on_site", "telework", "rest")],
                        total=("headcount", "fine", *group),
                    )
        for segment in SEGMENTS:
            for formality in FORMALITIES:
                # The regional lines add up to the declared totals.
                for name in REGIONAL:
                    self.tables.add_sum(
                        parts=[(name, "fine", region, segment, formality) for region in regions],
                        total=(name, "cross", segment, formality),
                    )
                self.tables.add_relation(
                    {
                        **{("rest", "fine", region, segment, formality): 1 for region in regions},
                        ("technical_unemployment", "cross", segment, formality): -1,
                        ("other_absence", "cross", segment, formality): -1,
                    }
                )

        for region in regions:
            for segment in SEGMENTS:
                key = ("headcount", "region_segment", region, segment)
                self._regional_cell(key, "headcount", [region], [segment])
                self.tables.add_sum(parts=[("headcount", "fine", region, segment, f) for f in FORMALITIES], total=key)
            for name in REGIONAL:
                self._regional_cell((name, "region", region), name, [region], SEGMENTS)
                self.tables.add_sum(
                    parts=[(name, "fine", region, s, f) for s in SEGMENTS for f in FORMALITIES],
                    total=(name, "region", region),
                )
            self.values["respondents", "region", region] = self._regional("headcount", [region], SEGMENTS, FORMALITIES)[
                1
            ]
            for share in ("on_site_share", "telework_share"):
                part = SHARES[share]
                self._add_share(
                    (share, "region", region),
                    self.values[part, "region", region],
                    self.values["headcount", "region", region],
                    [(part, "region", region)],
                )

        # The regional margins are the declared totals again, summed from the regional lines: the
        # same cells for a reader, so they carry the declared cells' contributors and must share
        # their fate.
        for segment in SEGMENTS:
            key = ("headcount", "region_segment", TOTAL, segment)
            source = self.tables.cells["headcount", "segment", segment]
            value = self._regional("headcount", regions, [segment], FORMALITIES)[0]
            self._add(key, Cell(value=value, contributors=source.contributors, largest=source.largest))
            self.tables.add_multiple(key=key, of=("headcount", "segment", segment), factor=1)
        for name in REGIONAL:
            key = (name, "region", TOTAL)
            source = self.tables.cells[name, "all", TOTAL]
            value = self._regional(name, regions, SEGMENTS, FORMALITIES)[0]
            self._add(key, Cell(value=value, contributors=source.contributors, largest=source.largest))
            self.tables.add_multiple(key=key, of=(name, "all", TOTAL), factor=1)
            self.tables.add_sum(parts=[(name, "region", region) for region in regions], total=key)
        self.values["respondents", "region", TOTAL] = self.data.regional_respondents
        for share in ("on_site_share", "telework_share"):
            part = SHARES[share]
            self._add_share(
                (share, "region", TOTAL),
                self.values[part, "region", TOTAL],
                self.values["headcount", "region", TOTAL],
                [(part, "region", TOTAL)],
            )
        self.tables.add_grid(
            interior={
                (region, segment): ("headcount", "region_segment", region, segment)
                for region in regions
                for segment in SEGMENTS
            },
            row_totals={region: ("headcount", "region", region) for region in regions},
            column_totals={segment: ("headcount", "region_segment", TOTAL, segment) for segment in SEGMENTS},
            grand_total=("headcount", "region", TOTAL),
        )

    def _estimate_factors(self) -> dict[str, Fraction | None]:
        """Per segment, the registered workforce the estimate stands for over the registered
        workforce of the respondents: their figures are scaled by it (ratio estimation)."""
        factors: dict[str, Fraction | None] = {}
        for segment in SEGMENTS:
            registry = self.data.registry.get(segment, {})
            not_responding = registry.get("registered", 0) - registry.get("covered", 0)
            responding = self.groups["segment", segment].respondent_registered
            if not_responding <= 0:
                factors[segment] = Fraction(1)
            elif responding > 0:
                factors[segment] = Fraction(responding + not_responding, responding)
            else:
                factors[segment] = None
        return factors

    def _add_estimate_cells(self) -> None:
        for name in ESTIMATED:
            for segment in SEGMENTS:
                factor = self.factors[segment]
                source = ("estimate", name, segment)
                declared = self.tables.cells[name, "segment", segment]
                if factor is None:
                    self._add(source, None)
                    continue
                self._add(source, Cell(value=factor * Fraction(declared.value), contributors=declared.contributors))
                self.tables.add_multiple(key=source, of=(name, "segment", segment), factor=factor)
            parts = [("estimate", name, segment) for segment in SEGMENTS]
            if any(self.values[part] is None for part in parts):
                self._add(("estimate", name, TOTAL), None)
                continue
            total = ("estimate", name, TOTAL)
            self._add(
                total,
                Cell(
                    value=sum((self.tables.cells[part].value for part in parts), Fraction(0)),
                    contributors=self.tables.cells[name, "all", TOTAL].contributors,
                ),
            )
            self.tables.add_sum(parts=parts, total=total)

    def _add_measure_cells(self) -> None:
        respondents = {s: self.groups["segment", s].respondents for s in SEGMENTS}
        respondents[TOTAL] = self.groups["all", TOTAL].respondents
        nothing = {"in_place": 0, "planned": 0, "requested": 0, "workforce": 0, "workforce_contributors": 0}
        for code, category in self.data.measures:
            by_segment = {s: self.data.answers.get((code, s), nothing) for s in SEGMENTS}
            total = {k: sum(answers[k] for answers in by_segment.values()) for k in nothing}
            # Counts of companies: the rule is on the number of respondents they are a share of.
            for status in ("in_place", "planned"):
                self._add((status, "measure", code), Cell(value=total[status], contributors=respondents[TOTAL]))
            self._add(
                ("workforce", "measure", code),
                Cell(
                    value=total["workforce"],
                    contributors=total["workforce_contributors"],
                    largest=_top(self.data.workforce_largest.get(code, []), self.n),
                ),
            )
            self._add_share(
                ("workforce_share", "measure", code),
                total["workforce"],
                self.values["headcount", "all", TOTAL],
                [("workforce", "measure", code)],
                denominator_key=("headcount", "all", TOTAL),
            )
            # Adoption by segment lets a member compare itself with its own segment; the
            # segments add up to the measures table's count, so they are protected together.
            for segment in SEGMENTS:
                self._add(
                    ("in_place", code, segment),
                    Cell(value=by_segment[segment]["in_place"], contributors=respondents[segment]),
                )
            self.tables.add_sum(parts=[("in_place", code, s) for s in SEGMENTS], total=("in_place", "measure", code))
            if category == Measure.Category.SUPPORT:
                for segment in SEGMENTS:
                    self._add(
                        ("requested", code, segment),
                        Cell(value=by_segment[segment]["requested"], contributors=respondents[segment]),
                    )
                self._add(("requested", code, TOTAL), Cell(value=total["requested"], contributors=respondents[TOTAL]))
                self.tables.add_sum(parts=[("requested", code, s) for s in SEGMENTS], total=("requested", code, TOTAL))
                # Requested is in place or planned, which the measures table publishes too.
                self.tables.add_sum(
                    parts=[("in_place", "measure", code), ("planned", "measure", code)],
                    total=("requested", code, TOTAL),
                )
        self.respondents = respondents

    # Rendering.

    def render(
        self, *, reasons: Mapping[tuple, str | None], previous_snapshot: dict | None, computed_at: datetime.datetime
    ) -> dict:
        self.reasons = reasons
        campaign = self.data.campaign
        # The key figures are the total row's cells.
        key_figures = {name: self._cell((name, "all", TOTAL)) for name in KEY_FIGURES}
        return {
            "schema": SCHEMA,
            "campaign": {
                "id": campaign.pk,
                "title": campaign.title,
                "period_start": campaign.period_start.isoformat(),
                "period_end": campaign.period_end.isoformat(),
            },
            "computed_at": computed_at.isoformat(timespec="seconds"),
            "response": {"rows": self._response_rows()},
            "key_figures": key_figures,
            "changes": _changes(key_figures, previous_snapshot),
            "tables": [
                self._declared_table("by_segment", "segment", SEGMENTS),
                self._declared_table("by_formality", "formality", FORMALITIES),
                self._region_table(),
                self._region_by_segment_table(),
                self._measures_table(),
                self._measures_by_segment_table(),
                self._support_table(),
            ],
            "estimates": self._estimates(),
            "methodology": {
                "respondents": self.groups["all", TOTAL].respondents,
                "suppressed_cells": sum(1 for key in self.printed if reasons.get(key) is not None),
            },
        }

    def _cell(self, key: tuple, kind: str | None = None) -> dict:
        kind = kind or _kind(key[0])
        if key not in self.tables.cells:
            # Counts of respondents (the response base, published as such) or a figure that
            # cannot be computed.
            value = self.values.get(key)
            return {"value": None if value is None else _public_value(value, kind), "flag": None}
        self.printed.add(key)
        if self.reasons[key] is not None:
            return {"value": None, "flag": "c"}
        return {"value": _public_value(self.values[key], kind), "flag": None}

    def _count_share_cell(self, key: tuple, base: int) -> dict:
        """A count of companies published as a share of the respondents it is counted among."""
        self.printed.add(key)
        if self.reasons[key] is not None:
            return {"value": None, "flag": "c"}
        if not base:
            return {"value": None, "flag": None}
        return {"value": _public_value(Fraction(self.values[key], base), "share"), "flag": None}

    def _response_rows(self) -> list[dict]:
        registry, reception = self.data.registry, self.data.reception
        rows = []
        for segment in (*SEGMENTS, TOTAL):
            keys = SEGMENTS if segment == TOTAL else (segment,)
            figures = {
                "expected": sum(registry.get(k, {}).get("expected", 0) for k in keys),
                "received": sum(reception.get(k, {}).get("received", 0) for k in keys),
                "on_time": sum(reception.get(k, {}).get("on_time", 0) for k in keys),
                "late": sum(reception.get(k, {}).get("late", 0) for k in keys),
                "approved": sum(registry.get(k, {}).get("approved", 0) for k in keys),
                "registered_workforce": sum(registry.get(k, {}).get("registered", 0) for k in keys),
                "covered_workforce": sum(registry.get(k, {}).get("covered", 0) for k in keys),
            }
            row = {"key": segment, **figures}
            row["response_rate"] = _share_or_none(figures["received"], figures["expected"])
            row["on_time_rate"] = _share_or_none(figures["on_time"], figures["expected"])
            row["workforce_coverage"] = _share_or_none(figures["covered_workforce"], figures["registered_workforce"])
            row["sector_reference_coverage"] = _share_or_none(figures["covered_workforce"], self.data.sector_jobs)
            if segment == TOTAL:
                jobs = self.data.sector_jobs
                row["sector_reference_jobs"] = None if jobs is None else int(jobs)
            rows.append(row)
        return rows

    def _declared_table(self, table_id: str, dimension: str, keys: Iterable[str]) -> dict:
        def row(dimension: str, key: str) -> dict:
            return {"key": key, "cells": {column: self._cell((column, dimension, key)) for column in FULL_COLUMNS}}

        return {
            "id": table_id,
            "dimension": dimension,
            "columns": FULL_COLUMNS,
            "rows": [row(dimension, key) for key in keys],
            "total": row("all", TOTAL),
        }

    def _region_table(self) -> dict:
        def row(key: str) -> dict:
            return {"key": key, "cells": {column: self._cell((column, "region", key)) for column in REGION_COLUMNS}}

        return {
            "id": "by_region",
            "dimension": "region",
            "columns": REGION_COLUMNS,
            "rows": [row(region) for region in self.data.regions],
            "total": row(TOTAL),
        }

    def _region_by_segment_table(self) -> dict:
        def row(region: str) -> dict:
            cells = {s: self._cell(("headcount", "region_segment", region, s), "count") for s in SEGMENTS}
            cells[TOTAL] = self._cell(("headcount", "region", region))
            return {"key": region, "cells": cells}

        return {
            "id": "region_by_segment",
            "dimension": "region",
            "column_dimension": "segment",
            "columns": list(SEGMENTS),
            "measure": "headcount",
            "rows": [row(region) for region in self.data.regions],
            "total": row(TOTAL),
        }

    def _measures_table(self) -> dict:
        base = self.respondents[TOTAL]
        return {
            "id": "measures",
            "dimension": "measure",
            "columns": MEASURE_COLUMNS,
            "rows": [
                {
                    "key": code,
                    "category": category,
                    "cells": {
                        "in_place_share": self._count_share_cell(("in_place", "measure", code), base),
                        "planned_share": self._count_share_cell(("planned", "measure", code), base),
                        "workforce_share": self._cell(("workforce_share", "measure", code)),
                    },
                }
                for code, category in self.data.measures
            ],
        }

    def _measures_by_segment_table(self) -> dict:
        return {
            "id": "measures_by_segment",
            "dimension": "measure",
            "column_dimension": "segment",
            "columns": [*SEGMENTS, TOTAL],
            "measure": "in_place_share",
            "rows": [
                {
                    "key": code,
                    "category": category,
                    "cells": {
                        **{
                            segment: self._count_share_cell(("in_place", code, segment), self.respondents[segment])
                            for segment in SEGMENTS
                        },
                        TOTAL: self._count_share_cell(("in_place", "measure", code), self.respondents[TOTAL]),
                    },
                }
                for code, category in self.data.measures
            ],
        }

    def _support_table(self) -> dict:
        return {
            "id": "support_by_segment",
            "dimension": "measure",
            "column_dimension": "segment",
            "columns": [*SEGMENTS, TOTAL],
            "measure": "requested_share",
            "rows": [
                {
                    "key": code,
                    "category": category,
                    "cells": {
                        column: self._count_share_cell(("requested", code, column), self.respondents[column])
                        for column in (*SEGMENTS, TOTAL)
                    },
                }
                for code, category in self.data.measures
                if category == Measure.Category.SUPPORT
            ],
        }

    def _estimates(self) -> dict:
        rows = []
        for segment in (*SEGMENTS, TOTAL):
            keys = SEGMENTS if segment == TOTAL else (segment,)
            registered = sum(
                self.data.registry.get(k, {}).get("registered", 0) - self.data.registry.get(k, {}).get("covered", 0)
                for k in keys
            )
            responding = sum(self.groups["segment", k].respondent_registered for k in keys)
            rows.append(
                {
                    "key": segment,
                    "basis": {
                        "respondents": sum(self.groups["segment", k].respondents for k in keys),
                        "registered_workforce": responding + registered,
                        "respondent_registered_workforce": responding,
                    },
                    "cells": {name: self._cell(("estimate", name, segment), "count") for name in ESTIMATED},
                }
            )
        return {"method": "ratio-by-segment", "rows": rows}


def _level(key: tuple) -> int:
    """Declared totals, then subtotals, are the figures readers look for first: complementary
    suppression takes inner cells before them, and an estimated total before a declared one."""
    if key[0] == "estimate":
        return 1 if key[2] == TOTAL else 0
    if key[1] == "all" or TOTAL in key:
        return 2
    if key[0] == "headcount" and key[1] != "region_segment":
        return 1
    return 0


def _kind(column: str) -> str:
    if column.endswith("_share") or column.endswith("_avg"):
        return "share"
    return KINDS.get(column, "count")


def _share_or_none(numerator, denominator) -> float | None:
    ratio = _ratio(numerator, denominator)
    return None if ratio is None else _public_value(ratio, "share")


def _changes(key_figures: dict, previous_snapshot: dict | None) -> dict:
    """Each key figure against the previous published bulletin. The publication service, which
    knows that bulletin, names it in changes.previous."""
    if not previous_snapshot:
        return {}
    previous_figures = previous_snapshot.get("key_figures") or {}
    changes = {}
    for name, cell in key_figures.items():
        if name not in previous_figures:
            continue
        previous = (previous_figures[name] or {}).get("value")
        current = cell["value"]
        delta = None
        if isinstance(previous, int | float) and current is not None:
            places = {"share": 4, "money": 2}.get(_kind(name), 0)
            delta = float(_rounded(Decimal(str(current)) - Decimal(str(previous)), places))
            if places == 0:
                delta = int(delta)
        changes[name] = {"previous": previous, "delta": delta}
    previous_campaign = previous_snapshot.get("campaign") or {}
    previous_bulletin = previous_snapshot.get("bulletin") or {}
    return {
        "previous": {
            "bulletin": previous_bulletin.get("slug"),
            "revision": previous_bulletin.get("revision"),
            "campaign": previous_campaign.get("id"),
            "period_end": previous_campaign.get("period_end"),
        },
        "key_figures": changes,
    }
