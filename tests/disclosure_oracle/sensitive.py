"""Which figures must stay protected, from the truth, and when a reader's interval is a leak.

Sensitive (the rules of docs/bulletin-schema.md, applied again from their definition):
- a group's figure with fewer than 3 contributing companies (threshold rule), or whose 2 largest
  contributions exceed 85 % of it ((2, 85) dominance rule). Groups are every one a reader can name:
  published (total, segment, formality, region, region × segment, a measure's companies) and
  reachable by differencing (segment × formality, region × segment × formality, region ×
  formality, the companies *without* a measure);
- a count of companies (measure answers) among a group of 1 or 2 respondents;
- the registered headcount of the respondents, or of the non-respondents, of a segment, under the
  same rules;
- every figure of a declaration a correction added or removed, and of two such declarations
  together (each knows its own).

A leak, at protection level p (10 %):
- a magnitude v > 0 whose interval [lo, hi] does not reach [(1 − p) v, (1 + p) v];
- for a dominated cell (or one of 2 contributors), the p % rule: the second-largest contributor,
  subtracting its own x₂, bounds the largest x₁ by hi − x₂ < (1 + p) x₁ (and, with 2
  contributors, from below by lo − x₂ > (1 − p) x₁);
- a count of companies the reader pins to one whole number ≥ 1 (an integer has no ±10 % interval;
  that none of them has a measure is no more protected than a zero).
"""

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import combinations

from tests.disclosure_oracle.reader_model import IN_PLACE, PLANNED, Block, ReaderModel
from tests.disclosure_oracle.truth import DECLARED, REGIONAL, Respondent, RevisionTruth

MIN_CONTRIBUTORS = 3
DOMINANCE_N, DOMINANCE_K = 2, 85
PROTECTION = 0.10
MAGNITUDE, COUNT = "magnitude", "count"


def breaks_a_rule(contributions: list[float]) -> str | None:
    if not contributions:
        return None
    if len(contributions) < MIN_CONTRIBUTORS:
        return "threshold"
    total = math.fsum(contributions)
    top = math.fsum(sorted(contributions, reverse=True)[:DOMINANCE_N])
    if total > 0 and 100 * top > DOMINANCE_K * total:
        return "dominance"
    return None


@dataclass(frozen=True)
class Quantity:
    label: str
    program: str  # "magnitudes" or "counts"
    terms: tuple
    value: float
    contributions: tuple[float, ...]
    kind: str
    reason: str
    # A figure of the declarations a correction added or removed, rather than of a group.
    correction: bool = False
    # For such a figure, the revision that added or removed the last of them: what the revisions
    # before it already told a reader is no gift of the correction.
    changed_in: int | None = None

    def leak(self, lo: float, hi: float, protection: float = PROTECTION) -> str | None:
        """Why the interval [lo, hi] a reader derives gives the figure away, or None."""
        v = self.value
        tolerance = 1e-6 * max(1.0, abs(v)) + 1e-6
        if self.kind == COUNT:
            low, high = math.ceil(lo - 1e-6), math.floor(hi + 1e-6)
            if low == high and v >= 1:
                return f"the reader pins it to {low}"
            return None
        problems = []
        if v > 0 and (lo > (1 - protection) * v + tolerance or hi < (1 + protection) * v - tolerance):
            problems.append(f"needs to reach [{(1 - protection) * v:,.2f}; {(1 + protection) * v:,.2f}]")
        if len(self.contributions) >= 2 and (self.reason == "dominance" or len(self.contributions) == 2):
            largest, second = self.contributions[0], self.contributions[1]
            if largest > 0 and hi - second < (1 + protection) * largest - tolerance:
                problems.append(
                    f"p % rule: the second largest ({second:,.2f}) bounds the largest ({largest:,.2f}) by "
                    f"{hi - second:,.2f} < {(1 + protection) * largest:,.2f}"
                )
            if len(self.contributions) == 2 and largest > 0 and lo - second > (1 - protection) * largest + tolerance:
                problems.append(
                    f"p % rule: the other contributor ({second:,.2f}) bounds the largest ({largest:,.2f}) from "
                    f"below by {lo - second:,.2f} > {(1 - protection) * largest:,.2f}"
                )
        return "; ".join(problems) or None


def _quantity(
    label,
    program,
    terms,
    contributions: Iterable[float],
    kind=MAGNITUDE,
    reason=None,
    correction=False,
    changed_in: int | None = None,
) -> Quantity | None:
    contributions = sorted((float(c) for c in contributions), reverse=True)
    reason = reason or breaks_a_rule(contributions)
    if reason is None or not terms:
        return None
    return Quantity(
        label=label,
        program=program,
        terms=tuple(sorted(terms.items(), key=repr)),
        value=math.fsum(contributions),
        contributions=tuple(contributions),
        kind=kind,
        reason=reason,
        correction=correction,
        changed_in=changed_in,
    )


def sensitive_quantities(model: ReaderModel, truths: list[RevisionTruth]) -> list[Quantity]:
    quantities: list[Quantity | None] = []
    for truth in truths:
        quantities.extend(_revision_quantities(model, truth))
    units = model.units()
    for unit in units:
        quantities.extend(_unit_quantities(model, [unit]))
    for pair in combinations(units, 2):
        quantities.extend(_unit_quantities(model, list(pair)))
    if len(units) > 2:
        # Three or more together: sensitive when a few dominate them.
        quantities.extend(_unit_quantities(model, units, reason=None))
    return [q for q in quantities if q is not None]


def _named_groups(model: ReaderModel) -> list[tuple[str, Callable[[str, str], bool], str | None, str | None]]:
    """Every group of segment × formality a reader can name: (label, membership, segment, formality)."""
    named = [("all", lambda s, f: True, None, None)]
    named += [(s, lambda seg, f, s=s: seg == s, s, None) for s in model.segments]
    named += [(f, lambda s, form, f=f: form == f, None, f) for f in model.formalities]
    named += [
        (f"{s}/{f}", lambda seg, form, s=s, f=f: (seg, form) == (s, f), s, f)
        for s in model.segments
        for f in model.formalities
    ]
    return named


def _revision_quantities(model: ReaderModel, truth: RevisionTruth):
    n = truth.number
    respondents = truth.respondents
    for label, belongs, segment, formality in _named_groups(model):
        members = [c for c in respondents if belongs(c.segment, c.formality)]
        if not members:
            continue
        groups = model.groups(segment=segment, formality=formality)
        where = f"r{n} {label}"
        for figure in DECLARED:
            yield _quantity(
                f"{where} {figure}",
                "magnitudes",
                model.declared(n, figure, groups),
                [c.figures[figure] for c in members],
            )
        regions = sorted({r for c in members for r in c.lines})
        for region in regions:
            cells = model.cells(region=region, segment=segment, formality=formality)
            for figure in (*REGIONAL, "rest"):
                yield _quantity(
                    f"{where} in {region} {figure}",
                    "magnitudes",
                    model.regional(n, figure, cells),
                    [_line(c, region, figure) for c in members if region in c.lines],
                )
        for measure in model.measures:
            having = [c for c in members if c.answers.get(measure) == IN_PLACE]
            lacking = [c for c in members if c.answers.get(measure) != IN_PLACE]
            yield _quantity(
                f"{where} workforce of the companies with {measure} in place",
                "magnitudes",
                model.workforce(n, measure, groups),
                [c.figures["headcount"] for c in having],
            )
            headcount_without = model.declared(n, "headcount", groups)
            for name, c in model.workforce(n, measure, groups).items():
                headcount_without[name] = headcount_without.get(name, 0.0) - c
            yield _quantity(
                f"{where} headcount of the companies without {measure} in place",
                "magnitudes",
                headcount_without,
                [c.figures["headcount"] for c in lacking],
            )
            if len(members) < MIN_CONTRIBUTORS:
                yield from _answer_counts(model, n, measure, groups, members, where)
        yield _quantity(
            f"{where} registered headcount of respondents",
            "magnitudes",
            model.registered(n, groups),
            [c.registered for c in members],
        )
    for label, segments in [("all", model.segments), *((s, [s]) for s in model.segments)]:
        absent = [c.registered for c in truth.non_respondents if c.segment in segments]
        terms = model.registry(n, segments)
        for name, c in model.registered(n, {g for g in model.all_groups if g[0] in segments}).items():
            terms[name] = terms.get(name, 0.0) - c
        yield _quantity(f"r{n} {label} registered headcount of non-respondents", "magnitudes", terms, absent)


def _answer_counts(
    model: ReaderModel,
    n: int,
    measure: str,
    groups,
    members: list[Respondent],
    where: str,
    blocks=None,
    correction: bool = False,
    changed_in: int | None = None,
):
    for status in (IN_PLACE, PLANNED, "requested"):
        statuses = (IN_PLACE, PLANNED) if status == "requested" else (status,)
        count = sum(1 for c in members if c.answers.get(measure) in statuses)
        if not count:
            continue
        yield _quantity(
            f"{where} companies with {measure} {status} (of {len(members)})",
            "counts",
            model.answers(n, status, measure, groups, blocks),
            [1] * count,
            kind=COUNT,
            reason="threshold",
            correction=correction,
            changed_in=changed_in,
        )


def _line(c: Respondent, region: str, figure: str) -> float:
    line = c.lines[region]
    if figure == "rest":
        return line["headcount"] - line["on_site"] - line["telework"]
    return line[figure]


def _changed_in(model: ReaderModel, unit: Block) -> int:
    """The revision that added the unit's declaration, or that removed it."""
    first, last = min(unit.revisions), max(unit.revisions)
    return first if first > min(model.published) else last + 1


def _change(model: ReaderModel, unit: Block) -> str:
    (company,) = unit.respondents
    verb = "added" if min(unit.revisions) > min(model.published) else "removed"
    return f"{company.describe()}, {verb} in r{_changed_in(model, unit)}"


def _unit_quantities(model: ReaderModel, units: list[Block], reason: str | None = "threshold"):
    """A declaration a correction added or removed (or two of them, which know each other's sum
    less their own, or all of them): each of its figures."""
    members = [c for unit in units for c in unit.respondents]
    where = " and ".join(_change(model, unit) for unit in units)
    n = min(units[0].revisions)
    changed_in = max(_changed_in(model, unit) for unit in units)
    for figure in DECLARED:
        yield _quantity(
            f"{where} {figure}",
            "magnitudes",
            model.declared(n, figure, model.all_groups, units),
            [c.figures[figure] for c in members],
            reason=reason,
            correction=True,
            changed_in=changed_in,
        )
    for region in sorted({r for c in members for r in c.lines}):
        for figure in (*REGIONAL, "rest"):
            yield _quantity(
                f"{where} in {region} {figure}",
                "magnitudes",
                model.regional(n, figure, model.cells(region=region), units),
                [_line(c, region, figure) for c in members if region in c.lines],
                reason=reason,
                correction=True,
                changed_in=changed_in,
            )
    yield _quantity(
        f"{where} registered headcount",
        "magnitudes",
        model.registered(n, model.all_groups, units),
        [c.registered for c in members],
        reason=reason,
        correction=True,
        changed_in=changed_in,
    )
    if len(units) == 1:
        for measure in model.measures:
            yield from _answer_counts(
                model, n, measure, model.all_groups, members, where, units, correction=True, changed_in=changed_in
            )
