"""What the oracle knows and a reader does not: each company's own figures behind a revision.

Read from the database through the revision's internal record (the declarations it counted, with
their version): the companies' declared figures, regional lines and measure answers, and the
registered headcount of every active company (respondents' and non-respondents')."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from bulletins.models import BulletinRevision
from measures.models import Declaration, DeclarationMeasure, DeclarationRegion
from members.models import Company

DECLARED = (
    "headcount",
    "on_site",
    "telework",
    "technical_unemployment",
    "other_absence",
    "hires",
    "separations",
    "dismissals",
    "export_revenue",
    # Activity maintained (%) × headcount: the numerator of the published weighted average.
    "activity_weight",
)
REGIONAL = ("headcount", "on_site", "telework")


@dataclass(frozen=True)
class Respondent:
    """One approved declaration as counted by a revision."""

    declaration: int
    version: int
    company: int
    name: str
    segment: str
    formality: str
    registered: int
    figures: dict[str, float] = field(hash=False)
    lines: dict[str, dict[str, int]] = field(hash=False)
    answers: dict[str, str] = field(hash=False)

    @property
    def key(self) -> tuple[int, int]:
        return (self.declaration, self.version)

    @property
    def group(self) -> tuple[str, str]:
        return (self.segment, self.formality)

    def describe(self) -> str:
        return f"{self.name} ({self.segment}, {self.formality}, declaration {self.declaration} v{self.version})"


@dataclass(frozen=True)
class NonRespondent:
    company: int
    segment: str
    formality: str
    registered: int


@dataclass
class RevisionTruth:
    number: int
    respondents: list[Respondent]
    non_respondents: list[NonRespondent]


def revision_truth(revision: BulletinRevision) -> RevisionTruth:
    """The companies behind a stored revision. Their declarations must not have changed since
    (the version the revision recorded is the one in the database)."""
    recorded = {item["id"]: item["version"] for item in revision.internal["declarations"]}
    declarations = list(Declaration.objects.filter(pk__in=recorded).select_related("company").order_by("pk"))
    assert len(declarations) == len(recorded), f"{revision}: declarations of the internal record are missing"
    for declaration in declarations:
        assert declaration.version == recorded[declaration.pk], (
            f"{revision}: declaration {declaration.pk} changed since publication "
            f"(v{recorded[declaration.pk]} then, v{declaration.version} now); read the truth when publishing"
        )
    lines: dict[int, dict[str, dict[str, int]]] = defaultdict(dict)
    for line in DeclarationRegion.objects.filter(declaration__in=recorded).select_related("region"):
        lines[line.declaration_id][line.region.code] = {name: getattr(line, name) for name in REGIONAL}
    answers: dict[int, dict[str, str]] = defaultdict(dict)
    for answer in DeclarationMeasure.objects.filter(declaration__in=recorded).select_related("measure"):
        answers[answer.declaration_id][answer.measure.code] = answer.status
    respondents = [
        Respondent(
            declaration=d.pk,
            version=d.version,
            company=d.company_id,
            name=d.company.trade_name,
            segment=d.company.segment,
            formality=d.company.formality,
            registered=d.company.registered_headcount,
            figures=_figures(d),
            lines=lines[d.pk],
            answers=answers[d.pk],
        )
        for d in declarations
    ]
    responding = {r.company for r in respondents}
    non_respondents = [
        NonRespondent(company=c.pk, segment=c.segment, formality=c.formality, registered=c.registered_headcount)
        for c in Company.objects.active().exclude(pk__in=responding).order_by("pk")
    ]
    return RevisionTruth(number=revision.number, respondents=respondents, non_respondents=non_respondents)


def _figures(declaration: Declaration) -> dict[str, float]:
    figures = {name: getattr(declaration, name) for name in DECLARED if name != "activity_weight"}
    missing = [name for name, value in figures.items() if value is None]
    assert not missing, f"Approved declaration {declaration.pk} lacks {missing}"
    assert declaration.activity_maintained_pct is not None, f"Approved declaration {declaration.pk} lacks activity"
    figures["activity_weight"] = declaration.activity_maintained_pct * declaration.headcount
    return {name: float(value) if isinstance(value, Decimal) else value for name, value in figures.items()}
