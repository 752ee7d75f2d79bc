"""The intruder's model of a bulletin: variables for what the reader does not see, and every
equation and inequality the published numbers and the public rules give about them.

The reader works on groups, not companies: for every group of companies it cannot split further
(segment × formality, and × region for the regional lines) there is one variable per figure, the
group's sum. Every rule a company's figures obey and the intruder may assume is linear and holds
for sums of companies too, so a group's sums obey it as well:
- values are ≥ 0; on site + telework + technical unemployment + other absence = headcount;
  dismissals ≤ separations; activity maintained is between 0 and 100 % (of the headcount);
- the regional lines add up to the declared headcount, on site and telework; in a region, on site
  + telework ≤ headcount;
- a measure's workforce (headcount of the companies that have it in place) ≤ headcount; in place +
  planned ≤ respondents;
and the published numbers: sums are exact (money to the centime), shares and averages are
intervals of ±0.00005 (4 decimals), estimates are the published factor (registered workforce of the
segment over its respondents') × the respondents' sum, to ±0.5 employee.

Counts of companies (respondents, measure answers) are a program of their own: no rule links them
to headcounts linearly. What it pins down feeds the magnitudes program once: a group where no
company has a measure in place has no workforce for it, a group where all have it has all its
headcount in it.

Revisions of one bulletin share their companies. The oracle splits them (it knows the truth) into
the companies every revision counts ("common") and the declarations that a correction added or
removed ("units", one company each), and the reader is granted the group and regions of each
unit: the response counts by segment, formality and region, and the correction note, usually say
as much. Revision r's group sum is then common + the units revision r counts.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from tests.disclosure_oracle.linear_program import LinearProgram, Name
from tests.disclosure_oracle.public_files import PublishedRevision, UnreadPublication
from tests.disclosure_oracle.truth import DECLARED, REGIONAL, Respondent, RevisionTruth

HALF_SHARE = 0.00005
# A float read back from a file may sit a hair outside the rounding interval.
FLOAT_SLACK = 1e-9
HALF_CENTIME = 0.005
HALF_EMPLOYEE = 0.5
PARTS = ("on_site", "telework", "technical_unemployment", "other_absence")
SHARES = {f"{part}_share": part for part in PARTS}
ESTIMATED = ("headcount", "on_site", "telework", "technical_unemployment")
IN_PLACE, PLANNED = "in_place", "planned"
COMMON = "common"

Group = tuple[str, str]
Cell = tuple[str, str, str]


@dataclass
class Block:
    """Companies the reader handles as one: those every revision counts, or one added or removed
    declaration."""

    name: Name
    revisions: set[int]
    groups: set[Group]
    cells: set[Cell]
    unit: bool = False
    respondents: list[Respondent] = field(default_factory=list)


class ReaderModel:
    def __init__(
        self,
        published: Sequence[PublishedRevision],
        truths: Sequence[RevisionTruth],
        read: Collection[int] | None = None,
    ) -> None:
        """`read`: the revisions whose numbers the reader has (all by default); the companies and
        blocks are those of every revision all the same, so that the figures of a model that
        reads fewer are the same expressions."""
        assert [p.number for p in published] == [t.number for t in truths], "one truth per published revision"
        self.published = {p.number: p for p in published}
        first = published[0]
        self.segments = [row["key"] for row in _table(first, "by_segment")["rows"]]
        self.formalities = [row["key"] for row in _table(first, "by_formality")["rows"]]
        self.regions = [row["key"] for row in _table(first, "by_region")["rows"]]
        self.measures = [row["key"] for row in _table(first, "measures")["rows"]]
        self.all_groups = {(s, f) for s in self.segments for f in self.formalities}
        self.blocks = self._blocks(truths)
        self.magnitudes = LinearProgram()
        self.counts = LinearProgram()
        for block in self.blocks:
            self._rules(block)
        for revision in published:
            if read is not None and revision.number not in read:
                continue
            self._registry_rules(revision.number)
            for key, value in revision.numbers.items():
                self._published(revision, key, value)
        # The true value of every variable: the oracle checks the model admits it.
        self.true_magnitudes, self.true_counts = self.truth_point(truths)
        self._measure_workforce_inferences(self.true_counts)

    # --- Blocks: who is counted where ----------------------------------------------------------

    def _blocks(self, truths: Sequence[RevisionTruth]) -> list[Block]:
        numbers = {t.number for t in truths}
        presence: dict[tuple, set[int]] = {}
        respondents: dict[tuple, Respondent] = {}
        for truth in truths:
            for respondent in truth.respondents:
                presence.setdefault(respondent.key, set()).add(truth.number)
                respondents[respondent.key] = respondent
        common = Block(
            name=COMMON,
            revisions=numbers,
            groups={g for g in self.all_groups if not any(self._known_empty_group(n, g) for n in numbers)},
            cells=set(),
        )
        common.cells = {
            (r, s, f)
            for (s, f) in common.groups
            for r in self.regions
            if not any(self._known_empty_region(n, r) for n in numbers)
        }
        common.respondents = [respondents[key] for key, seen in presence.items() if seen == numbers]
        blocks = [common]
        for key, seen in sorted(presence.items()):
            if seen == numbers:
                continue
            respondent = respondents[key]
            blocks.append(
                Block(
                    name=("unit", *key),
                    revisions=seen,
                    groups={respondent.group},
                    cells={(r, *respondent.group) for r in respondent.lines},
                    unit=True,
                    respondents=[respondent],
                )
            )
        return blocks

    def units(self) -> list[Block]:
        return [block for block in self.blocks if block.unit]

    def _known_empty_group(self, number: int, group: tuple[str | None, str | None]) -> bool:
        """A reader knows a segment or a formality without respondents is empty."""
        numbers = self.published[number].numbers
        segment, formality = group
        return (
            numbers.get(("by_segment", segment, "respondents")) == 0
            or numbers.get(("by_formality", formality, "respondents")) == 0
        )

    def _known_empty_region(self, number: int, region: str) -> bool:
        return self.published[number].numbers.get(("by_region", region, "respondents")) == 0

    def _in(self, number: int) -> list[Block]:
        return [block for block in self.blocks if number in block.revisions]

    # --- Expressions: a revision's figure over some groups --------------------------------------

    def groups(self, *, segment: str | None = None, formality: str | None = None) -> set[Group]:
        return {
            (s, f)
            for s, f in self.all_groups
            if (segment is None or s == segment) and (formality is None or f == formality)
        }

    def cells(self, *, region: str | None = None, segment: str | None = None, formality: str | None = None):
        return {
            (r, s, f)
            for r in self.regions
            for s, f in self.groups(segment=segment, formality=formality)
            if region is None or r == region
        }

    def declared(self, number: int, figure: str, groups: Iterable[Group], blocks=None) -> dict:
        terms: dict = {}
        for block in blocks or self._in(number):
            for group in block.groups.intersection(groups):
                terms[("D", block.name, *group, figure)] = 1.0
        return terms

    def regional(self, number: int, figure: str, cells: Iterable[Cell], blocks=None) -> dict:
        """A regional figure; `rest` is the lines' headcount neither on site nor in telework."""
        terms: dict = {}
        for block in blocks or self._in(number):
            for cell in block.cells.intersection(cells):
                if figure == "rest":
                    terms[("L", block.name, *cell, "headcount")] = 1.0
                    terms[("L", block.name, *cell, "on_site")] = -1.0
                    terms[("L", block.name, *cell, "telework")] = -1.0
                else:
                    terms[("L", block.name, *cell, figure)] = 1.0
        return terms

    def respondents(self, number: int, groups: Iterable[Group], blocks=None) -> dict:
        return {("N", b.name, *g): 1.0 for b in blocks or self._in(number) for g in b.groups.intersection(groups)}

    def answers(self, number: int, status: str, measure: str, groups: Iterable[Group], blocks=None) -> dict:
        """Companies with the measure in place, planned, or either ("requested")."""
        statuses = (IN_PLACE, PLANNED) if status == "requested" else (status,)
        return {
            (name, b.name, measure, *g): 1.0
            for b in blocks or self._in(number)
            for g in b.groups.intersection(groups)
            for name in ({IN_PLACE: "IP", PLANNED: "PL"}[s] for s in statuses)
        }

    def workforce(self, number: int, measure: str, groups: Iterable[Group], blocks=None) -> dict:
        return {
            ("W", b.name, measure, *g): 1.0 for b in blocks or self._in(number) for g in b.groups.intersection(groups)
        }

    def registered(self, number: int, groups: Iterable[Group], blocks=None) -> dict:
        """Registered headcount of the respondents."""
        return {("RR", b.name, *g): 1.0 for b in blocks or self._in(number) for g in b.groups.intersection(groups)}

    def registry(self, number: int, segments: Iterable[str]) -> dict:
        """Registered headcount of every active company of the segments (the response table's)."""
        return {("REG", number, s): 1.0 for s in segments}

    # --- Public rules ---------------------------------------------------------------------------

    def _rules(self, block: Block) -> None:
        lp, name = self.magnitudes, block.name
        for group in sorted(block.groups):
            d = {figure: ("D", name, *group, figure) for figure in DECLARED}
            for variable in d.values():
                lp.variable(variable)
            lp.equal({**{d[p]: 1 for p in PARTS}, d["headcount"]: -1}, 0, why=f"{name} {group}: parts = headcount")
            lp.constrain(
                {d["dismissals"]: 1, d["separations"]: -1}, upper=0, why=f"{name} {group}: dismissals ≤ separations"
            )
            lp.constrain(
                {d["activity_weight"]: 1, d["headcount"]: -100}, upper=0, why=f"{name} {group}: activity ≤ 100 %"
            )
            cells = sorted(cell for cell in block.cells if cell[1:] == group)
            for figure in REGIONAL:
                lp.equal(
                    {**{("L", name, *cell, figure): 1 for cell in cells}, d[figure]: -1},
                    0,
                    why=f"{name} {group}: regional {figure} = declared",
                )
            for cell in cells:
                lp.constrain(
                    {
                        ("L", name, *cell, "on_site"): 1,
                        ("L", name, *cell, "telework"): 1,
                        ("L", name, *cell, "headcount"): -1,
                    },
                    upper=0,
                    why=f"{name} {cell}: on site + telework ≤ headcount",
                )
            lp.variable(("RR", name, *group))
            for measure in self.measures:
                lp.constrain(
                    {("W", name, measure, *group): 1, d["headcount"]: -1},
                    upper=0,
                    why=f"{name} {group} {measure}: workforce ≤ headcount",
                )
                self.counts.constrain(
                    {("IP", name, measure, *group): 1, ("PL", name, measure, *group): 1, ("N", name, *group): -1},
                    upper=0,
                    why=f"{name} {group} {measure}: in place + planned ≤ respondents",
                )
            if block.unit:
                self.counts.equal({("N", name, *group): 1}, 1, why=f"{name}: one company")

    def _registry_rules(self, number: int) -> None:
        for segment in self.segments:
            self.magnitudes.constrain(
                {**self.registry(number, [segment]), **_negated(self.registered(number, self.groups(segment=segment)))},
                lower=0,
                why=f"r{number} {segment}: respondents' registered headcount ≤ the segment's",
            )

    def _measure_workforce_inferences(self, truth: dict) -> None:
        """What the counts pin down about the measures' workforce, fed once to the magnitudes. The
        truth only spares the programs whose answer it already gives: a count that is not zero in
        truth cannot be pinned to zero."""
        for block in self.blocks:
            for group in sorted(block.groups):
                respondents = ("N", block.name, *group)
                for measure in self.measures:
                    in_place = ("IP", block.name, measure, *group)
                    workforce = ("W", block.name, measure, *group)
                    if truth[in_place] == 0 and self.counts.interval({in_place: 1})[1] <= 1e-6:
                        self.magnitudes.equal({workforce: 1}, 0, why=f"{block.name} {group}: nobody has {measure}")
                    elif truth[respondents] == truth[in_place] and (
                        self.counts.interval({respondents: 1, in_place: -1})[1] <= 1e-6
                    ):
                        self.magnitudes.equal(
                            {workforce: 1, ("D", block.name, *group, "headcount"): -1},
                            0,
                            why=f"{block.name} {group}: everybody has {measure}",
                        )

    # --- Published numbers ----------------------------------------------------------------------

    def _published(self, revision: PublishedRevision, key: tuple[str, str, str], value: float) -> None:
        table, row, column = key
        n = revision.number
        why = f"{revision.label} {table}/{row}/{column} = {value}"
        if table in ("key_figures", "by_segment", "by_formality"):
            groups = self._row_groups(table, row)
            if column == "respondents":
                self.counts.equal(self.respondents(n, groups), value, why=why)
            elif column == "activity_maintained_avg":
                self._share(
                    self.declared(n, "activity_weight", groups),
                    _times(self.declared(n, "headcount", groups), 100),
                    value,
                    why,
                )
            elif column in SHARES:
                self._share(self.declared(n, SHARES[column], groups), self.declared(n, "headcount", groups), value, why)
            elif column in DECLARED:
                slack = HALF_CENTIME if column == "export_revenue" else 0
                self.magnitudes.equal(self.declared(n, column, groups), value, why=why, slack=slack)
            else:
                raise UnreadPublication(why)
        elif table in ("by_region", "region_by_segment"):
            if table == "by_region":
                cells = self.cells(region=None if row == "total" else row)
                figure = column
            else:
                cells = self.cells(
                    region=None if row == "total" else row, segment=None if column == "total" else column
                )
                figure = "headcount"
            if figure == "respondents":
                return  # Companies with a line in the region: used to know empty regions only.
            if figure in SHARES:
                self._share(self.regional(n, SHARES[figure], cells), self.regional(n, "headcount", cells), value, why)
            elif figure in REGIONAL:
                self.magnitudes.equal(self.regional(n, figure, cells), value, why=why)
            else:
                raise UnreadPublication(why)
        elif table == "measures":
            everyone = self.all_groups
            if column in ("in_place_share", "planned_share"):
                status = column.removesuffix("_share")
                self._share(
                    self.answers(n, status, row, everyone), self.respondents(n, everyone), value, why, self.counts
                )
            elif column == "workforce_share":
                self._share(self.workforce(n, row, everyone), self.declared(n, "headcount", everyone), value, why)
            else:
                raise UnreadPublication(why)
        elif table in ("measures_by_segment", "support_by_segment"):
            groups = self.groups(segment=None if column == "total" else column)
            status = IN_PLACE if table == "measures_by_segment" else "requested"
            self._share(self.answers(n, status, row, groups), self.respondents(n, groups), value, why, self.counts)
        elif table == "estimates":
            self._estimate(revision, row, column, value, why)
        elif table == "estimates_basis":
            groups = self._row_groups("by_segment", row)
            segments = self.segments if row == "total" else [row]
            if column == "respondents":
                self.counts.equal(self.respondents(n, groups), value, why=why)
            elif column == "respondent_registered_workforce":
                self.magnitudes.equal(self.registered(n, groups), value, why=why)
            elif column == "registered_workforce":
                self.magnitudes.equal(self.registry(n, segments), value, why=why)
            else:
                raise UnreadPublication(why)
        elif table == "response":
            self._response(revision, row, column, value, why)
        else:
            raise UnreadPublication(why)

    def _row_groups(self, table: str, row: str) -> set[Group]:
        if row == "total":
            return set(self.all_groups)
        if table == "by_segment":
            return self.groups(segment=row)
        if table == "by_formality":
            return self.groups(formality=row)
        raise UnreadPublication(f"{table}/{row}")

    def _share(self, part: dict, whole: dict, value: float, why: str, program: LinearProgram | None = None) -> None:
        """part / whole rounded to 4 decimals is `value`: (value − ½ unit) × whole ≤ part ≤ (value + ½ unit) × whole."""
        program = program or self.magnitudes
        low, high = value - HALF_SHARE - FLOAT_SLACK, value + HALF_SHARE + FLOAT_SLACK
        program.constrain(_added(part, _times(whole, -low)), lower=0, why=why + " (low)")
        program.constrain(_added(part, _times(whole, -high)), upper=0, why=why + " (high)")

    def _estimate(self, revision: PublishedRevision, row: str, column: str, value: float, why: str) -> None:
        if column not in ESTIMATED:
            raise UnreadPublication(why)
        segments = self.segments if row == "total" else [row]
        terms: dict = {}
        for segment in segments:
            if self._known_empty_group(revision.number, (segment, None)):
                continue
            factor = self._factor(revision, segment)
            if factor is None:
                return
            terms = _added(terms, _times(self.declared(revision.number, column, self.groups(segment=segment)), factor))
        self.magnitudes.constrain(terms, lower=value - HALF_EMPLOYEE, upper=value + HALF_EMPLOYEE, why=why)

    def _factor(self, revision: PublishedRevision, segment: str) -> float | None:
        """The published ratio of the segment's estimate: registered workforce it stands for over
        its respondents'."""
        numbers = revision.numbers
        registered = numbers.get(("estimates_basis", segment, "registered_workforce"))
        responding = numbers.get(("estimates_basis", segment, "respondent_registered_workforce"))
        if registered is None or not responding:
            return None
        return registered / responding

    def _response(self, revision: PublishedRevision, row: str, column: str, value: float, why: str) -> None:
        n = revision.number
        groups = self._row_groups("by_segment", row)
        segments = self.segments if row == "total" else [row]
        if column in (
            "expected",
            "received",
            "on_time",
            "late",
            "response_rate",
            "on_time_rate",
            "sector_reference_jobs",
        ):
            return  # Counts of companies and their rates: they reveal no company's figure.
        if column == "approved":
            self.counts.equal(self.respondents(n, groups), value, why=why)
        elif column == "registered_workforce":
            self.magnitudes.equal(self.registry(n, segments), value, why=why)
        elif column == "covered_workforce":
            self.magnitudes.equal(self.registered(n, groups), value, why=why)
        elif column == "workforce_coverage":
            self._share(self.registered(n, groups), self.registry(n, segments), value, why)
        elif column == "sector_reference_coverage":
            jobs = revision.numbers.get(("response", "total", "sector_reference_jobs"))
            if jobs:
                terms = self.registered(n, groups)
                low, high = (value - HALF_SHARE - FLOAT_SLACK) * jobs, (value + HALF_SHARE + FLOAT_SLACK) * jobs
                self.magnitudes.constrain(terms, lower=low, upper=high, why=why)
        else:
            raise UnreadPublication(why)

    # --- The truth, as a point of the model ------------------------------------------------------

    def truth_point(self, truths: Sequence[RevisionTruth]) -> tuple[dict, dict]:
        """The true value of every variable (magnitudes, counts): it must satisfy every constraint,
        or the oracle models the bulletin wrongly."""
        magnitudes: dict = defaultdict(float, dict.fromkeys(self.magnitudes.index, 0.0))
        counts: dict = defaultdict(float, dict.fromkeys(self.counts.index, 0.0))
        for block in self.blocks:
            for c in block.respondents:
                group = c.group
                assert group in block.groups, f"{c.describe()} is in a group the reader knows to be empty"
                for figure in DECLARED:
                    magnitudes["D", block.name, *group, figure] += c.figures[figure]
                for region, line in c.lines.items():
                    assert (region, *group) in block.cells, f"{c.describe()} has a line in a region known to be empty"
                    for figure in REGIONAL:
                        magnitudes["L", block.name, region, *group, figure] += line[figure]
                magnitudes["RR", block.name, *group] += c.registered
                counts["N", block.name, *group] += 1
                for measure in self.measures:
                    status = c.answers.get(measure)
                    if status == IN_PLACE:
                        magnitudes["W", block.name, measure, *group] += c.figures["headcount"]
                        counts["IP", block.name, measure, *group] += 1
                    elif status == PLANNED:
                        counts["PL", block.name, measure, *group] += 1
        for truth in truths:
            for segment in self.segments:
                magnitudes["REG", truth.number, segment] = sum(
                    c.registered for c in truth.respondents if c.segment == segment
                ) + sum(c.registered for c in truth.non_respondents if c.segment == segment)
        return dict(magnitudes), dict(counts)


def _table(revision: PublishedRevision, table_id: str) -> dict:
    for table in revision.document["tables"]:
        if table["id"] == table_id:
            return table
    raise UnreadPublication(f"{revision.label} has no table {table_id}")


def _times(terms: dict, factor: float) -> dict:
    return {name: c * factor for name, c in terms.items()}


def _negated(terms: dict) -> dict:
    return _times(terms, -1)


def _added(a: dict, b: dict) -> dict:
    merged = dict(a)
    for name, c in b.items():
        merged[name] = merged.get(name, 0.0) + c
    return merged
