"""The intruder's audit of a published bulletin, independent of the platform's own disclosure
code: read every revision's public JSON and CSV files, model what they and the public rules say
(reader_model), and for every figure that must stay protected (sensitive, from the truth) find by
linear programming the interval a reader can narrow it to.

Not modelled: the comparison with the previous week's bulletin (`changes`, and what two weeks'
bulletins say together when contributions do not change) and what the pages or the feed print
beside the files (a correction's note).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from django.test import Client

from bulletins.models import BulletinRevision
from tests.disclosure_oracle.public_files import PublishedRevision, read_bulletin
from tests.disclosure_oracle.reader_model import ReaderModel
from tests.disclosure_oracle.sensitive import COUNT, PROTECTION, Quantity, sensitive_quantities
from tests.disclosure_oracle.truth import RevisionTruth, revision_truth


@dataclass(frozen=True)
class Leak:
    quantity: Quantity
    low: float
    high: float
    why: str

    def __str__(self) -> str:
        q = self.quantity
        top = ", ".join(f"{c:,.2f}" for c in q.contributions[:3]) + (", …" if len(q.contributions) > 3 else "")
        return (
            f"{q.label} = {q.value:,.2f} ({q.reason}; {len(q.contributions)} contributor(s): {top}) "
            f"— a reader bounds it to [{self.low:,.2f}; {self.high:,.2f}]: {self.why}"
        )


class LeaksFound(AssertionError):
    """The bulletin lets a reader narrow a protected figure below its protection level."""


@dataclass
class Audit:
    slug: str
    revisions: int
    sensitive: int
    # Cells the files flag as confidential, over all revisions.
    suppressed: int = 0
    leaks: list[Leak] = field(default_factory=list)
    # The label of every sensitive figure audited.
    labels: set[str] = field(default_factory=set)
    solves: int = 0

    def report(self, limit: int = 40) -> str:
        lines = [
            f"{self.slug}: {len(self.leaks)} leak(s) among {self.sensitive} sensitive figures of {self.revisions} "
            f"revision(s), {self.suppressed} suppressed cells ({self.solves} linear programs)"
        ]
        lines += [f"  - {leak}" for leak in self.leaks[:limit]]
        if len(self.leaks) > limit:
            lines.append(f"  … and {len(self.leaks) - limit} more")
        return "\n".join(lines)

    def about_corrections(self) -> "Audit":
        """The same audit restricted to the declarations corrections added or removed."""
        return replace(self, leaks=[leak for leak in self.leaks if leak.quantity.correction])

    def about(self, label: str) -> "Audit":
        """The same audit restricted to one sensitive figure, by its label ("r1 informal separations")."""
        assert label in self.labels, f"{label!r} is not a sensitive figure of {self.slug}: {sorted(self.labels)}"
        return replace(self, leaks=[leak for leak in self.leaks if leak.quantity.label == label])

    def assert_no_leaks(self) -> None:
        if self.leaks:
            raise LeaksFound(self.report())


def truths_of(slug: str) -> list[RevisionTruth]:
    return [revision_truth(r) for r in BulletinRevision.objects.filter(bulletin__slug=slug).order_by("number")]


def audit_bulletin(
    client: Client, slug: str, truths: Sequence[RevisionTruth] | None = None, protection: float = PROTECTION
) -> Audit:
    """Audit every published revision of the bulletin. `truths` are the companies behind each
    revision, read when it was published; by default from the revisions' internal records."""
    published = read_bulletin(client, slug)
    truths = list(truths) if truths is not None else truths_of(slug)
    model = ReaderModel(published, truths)
    broken = model.magnitudes.violations(model.true_magnitudes) + model.counts.violations(model.true_counts)
    assert not broken, "The oracle's model excludes the truth:\n" + "\n".join(broken[:20])
    model.magnitudes.add_point(model.true_magnitudes)
    model.counts.add_point(model.true_counts)
    quantities = sensitive_quantities(model, truths)
    audit = Audit(
        slug=slug,
        revisions=len(published),
        sensitive=len(quantities),
        suppressed=sum(len(revision.suppressed) for revision in published),
        labels={quantity.label for quantity in quantities},
    )
    baselines = _Baselines(published, truths)
    for quantity in quantities:
        program = model.magnitudes if quantity.program == "magnitudes" else model.counts
        terms = dict(quantity.terms)
        # The points already met span part of the interval; a wider one only removes leaks, so
        # when they already protect the figure no program needs solving.
        if quantity.leak(*program.reach(terms), protection) is None:
            continue
        low, high = program.interval(terms)
        why = quantity.leak(low, high, protection)
        if why and quantity.changed_in is not None:
            why = _beyond_earlier_revisions(quantity, (low, high), why, baselines, protection)
        if why:
            audit.leaks.append(Leak(quantity, low, high, why))
    audit.solves = model.magnitudes.solves + model.counts.solves + baselines.solves
    return audit


class _Baselines:
    """Reader models that read only the revisions before a correction, built when first needed
    (a correction's figure rarely leaks, and a model costs a few hundred constraints)."""

    def __init__(self, published: Sequence[PublishedRevision], truths: Sequence[RevisionTruth]) -> None:
        self.published, self.truths = published, truths
        self.models: dict[int, ReaderModel] = {}

    def model(self, changed_in: int) -> ReaderModel:
        if changed_in not in self.models:
            earlier = {p.number for p in self.published if p.number < changed_in}
            self.models[changed_in] = ReaderModel(self.published, self.truths, read=earlier)
        return self.models[changed_in]

    @property
    def solves(self) -> int:
        return sum(m.magnitudes.solves + m.counts.solves for m in self.models.values())


def _beyond_earlier_revisions(
    quantity: Quantity, interval: tuple[float, float], why: str, baselines: _Baselines, protection: float
) -> str | None:
    """A correction's added or removed declaration leaks only when the correction tells a reader
    more than the revisions before it: a removed company's answer pinned by an earlier revision's
    "100 % of the group" (a group's figure the rules publish) is no gift of the correction. So the
    leak stands when the earlier revisions alone leave the figure protected, or when the
    correction narrows it further still (for a count of companies, to fewer whole numbers)."""
    model = baselines.model(quantity.changed_in)
    program = model.magnitudes if quantity.program == "magnitudes" else model.counts
    earlier = program.interval(dict(quantity.terms))
    if quantity.leak(*earlier, protection) is None:
        return why
    if _narrower(quantity, interval, earlier):
        return f"{why} (the earlier revisions alone: [{earlier[0]:,.2f}; {earlier[1]:,.2f}])"
    return None


def _narrower(quantity: Quantity, interval: tuple[float, float], earlier: tuple[float, float]) -> bool:
    (low, high), (earlier_low, earlier_high) = interval, earlier
    if quantity.kind == COUNT:
        low, high = math.ceil(low - 1e-6), math.floor(high + 1e-6)
        earlier_low, earlier_high = math.ceil(earlier_low - 1e-6), math.floor(earlier_high + 1e-6)
        return low > earlier_low or high < earlier_high
    tolerance = 1e-6 * max(1.0, abs(quantity.value)) + 1e-6
    return low > earlier_low + tolerance or high < earlier_high - tolerance
