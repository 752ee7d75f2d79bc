"""Small generated registries, published as staff publish them: the data the property tests give
to the oracle.

A registry is a few groups of 1 to 5 companies sharing a segment, a formality and a home region
(some also work in a second region), often with one company holding up to 99 % of its group, plus
a few registered companies that do not answer. A correction approves 1 or 2 late declarations, or
withdraws 1 or 2 approved ones, then publishes revision 2.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from hypothesis import strategies as st

from bulletins.models import Bulletin, BulletinRevision
from bulletins.services import bulletin_create, bulletin_publish
from measures.models import Campaign, Declaration, DeclarationMeasure, Measure
from measures.services import declaration_approve
from measures.validation import submission_errors
from members.models import Company
from public.page_cache import public_pages_changed
from tests.disclosure_oracle.truth import RevisionTruth, revision_truth
from tests.factories import (
    CampaignFactory,
    CompanyFactory,
    DeclarationFactory,
    DeclarationMeasureFactory,
    DeclarationRegionFactory,
    region,
)

SEGMENTS = tuple(Company.Segment.values)
FORMALITIES = tuple(Company.Formality.values)
REGIONS = ("MA-01", "MA-04", "MA-06")
# One measure of each kind a table publishes differently: sanitary, employment, support.
MEASURES = ("masks", "shift-rotation", "cnss-allowance")
ANSWERS = (
    DeclarationMeasure.Status.IN_PLACE,
    DeclarationMeasure.Status.PLANNED,
    DeclarationMeasure.Status.NOT_APPLICABLE,
    None,
)


@dataclass(frozen=True)
class CompanySpec:
    segment: str
    formality: str
    regions: tuple[str, ...]
    headcount: int
    cuts: tuple[int, int, int]
    hires: int
    separations: int
    dismissals: int
    export_per_employee: int
    activity: int
    answers: tuple[str | None, ...]
    registered: int

    def parts(self) -> dict[str, int]:
        """On site, telework, technical unemployment and other absences, adding up to the headcount."""
        a, b, c = sorted(self.cuts)
        points = [self.headcount * x // 100 for x in (a, b, c)]
        on_site, telework, unemployment = points[0], points[1] - points[0], points[2] - points[1]
        return {
            "on_site": on_site,
            "telework": telework,
            "technical_unemployment": unemployment,
            "other_absence": self.headcount - on_site - telework - unemployment,
        }

    def lines(self) -> dict[str, dict[str, int]]:
        """The regional breakdown, by region code: a second region takes a third of on site, of
        telework and of the rest of the headcount, the home region what remains. Splitting the rest
        too keeps on site + telework within each region's headcount, as submission requires; a
        third of the headcount alone would not (39 = 1 + 38 puts 1 + 26 of them in a home region
        of 26)."""
        parts = self.parts()
        remaining = {
            "on_site": parts["on_site"],
            "telework": parts["telework"],
            "rest": self.headcount - parts["on_site"] - parts["telework"],
        }
        shares = {}
        for code in reversed(self.regions):
            share = remaining if code == self.regions[0] else {name: value // 3 for name, value in remaining.items()}
            shares[code] = share
            remaining = {name: value - share[name] for name, value in remaining.items()}
        return {
            code: {"headcount": sum(share.values()), "on_site": share["on_site"], "telework": share["telework"]}
            for code, share in shares.items()
        }


@dataclass(frozen=True)
class Registry:
    respondents: tuple[CompanySpec, ...]
    # Registered companies that do not answer; a correction that adds declarations approves the
    # first `added` of them, which submitted late.
    others: tuple[CompanySpec, ...]
    correction: tuple[str, int] | None


size = st.one_of(st.integers(1, 40), st.integers(100, 3000))


@st.composite
def company(draw, segment: str, formality: str, home: str, headcount: int | None = None) -> CompanySpec:
    headcount = draw(size) if headcount is None else headcount
    separations = draw(st.integers(0, 30))
    second = draw(st.one_of(st.none(), st.sampled_from([r for r in REGIONS if r != home])))
    return CompanySpec(
        segment=segment,
        formality=formality,
        regions=(home,) if second is None else (home, second),
        headcount=headcount,
        cuts=draw(st.tuples(*[st.integers(0, 100)] * 3)),
        hires=draw(st.integers(0, 30)),
        separations=separations,
        dismissals=draw(st.integers(0, separations)),
        export_per_employee=draw(st.sampled_from([0, 0, 500, 2000, 9000])),
        activity=draw(st.integers(0, 100)),
        answers=tuple(draw(st.sampled_from(ANSWERS)) for _ in MEASURES),
        registered=draw(st.integers(max(1, headcount // 2), headcount * 2)),
    )


@st.composite
def group(draw) -> list[CompanySpec]:
    """1 to 5 companies of one segment, formality and home region; often one dominates."""
    segment, formality, home = (
        draw(st.sampled_from(SEGMENTS)),
        draw(st.sampled_from(FORMALITIES)),
        draw(st.sampled_from(REGIONS)),
    )
    companies = [draw(company(segment, formality, home)) for _ in range(draw(st.integers(1, 5)))]
    ratio = draw(st.one_of(st.none(), st.integers(1, 99)))
    if ratio is not None and len(companies) > 1:
        # The first company holds ratio / (ratio + 1) of the group's headcount, up to 99 %, within
        # what one call centre employs.
        rest = sum(c.headcount for c in companies[1:])
        companies[0] = draw(company(segment, formality, home, headcount=min(ratio * rest, 30_000)))
    return companies


def _any_company():
    return st.tuples(st.sampled_from(SEGMENTS), st.sampled_from(FORMALITIES), st.sampled_from(REGIONS)).flatmap(
        lambda key: company(*key)
    )


corrections = st.one_of(st.none(), st.tuples(st.sampled_from(["add", "remove"]), st.integers(1, 2)))
# Beyond 2, a correction no longer concerns too few companies to be published: it is audited.
larger_corrections = st.tuples(st.sampled_from(["add", "remove"]), st.integers(1, 4))


@st.composite
def registries(draw, corrections=corrections) -> Registry:
    if draw(st.booleans()):
        respondents = [c for g in draw(st.lists(group(), min_size=1, max_size=4)) for c in g]
    else:
        # A campaign with only 3 respondents.
        respondents = draw(st.lists(_any_company(), min_size=3, max_size=3))
    correction = draw(corrections)
    if correction and correction[0] == "remove" and len(respondents) <= correction[1]:
        # Withdraw all but one: a bulletin keeps a respondent.
        correction = ("remove", len(respondents) - 1) if len(respondents) > 1 else None
    late = correction[1] if correction and correction[0] == "add" else 0
    others = draw(st.lists(_any_company(), min_size=late, max_size=late + 2))
    return Registry(respondents=tuple(respondents), others=tuple(others), correction=correction)


def fixed_company(segment: str, formality: str, headcount: int, region: str = "MA-06") -> CompanySpec:
    """A company of a hand-written registry."""
    return CompanySpec(
        segment=segment,
        formality=formality,
        regions=(region,),
        headcount=headcount,
        cuts=(30, 60, 90),
        hires=2,
        separations=3,
        dismissals=1,
        export_per_employee=500,
        activity=80,
        answers=("in_place", "planned", None),
        registered=headcount,
    )


# Four members, and one small informal operator alone in its formality and its region.
MEMBERS = tuple(fixed_company("member", "formal", headcount) for headcount in (120, 150, 180, 210))
LONE_INFORMAL_OPERATOR = fixed_company("small", "informal", 30, region="MA-01")


# --- Building and publishing -----------------------------------------------------------------


@dataclass
class Publication:
    bulletin: Bulletin
    revisions: list[BulletinRevision]
    truths: list[RevisionTruth]


def keep_only_the_generated_measures() -> None:
    """The catalogue's other measures would be answered by nobody: they add nothing but size."""
    Measure.objects.exclude(code__in=MEASURES).update(is_active=False)


def _declare(campaign: Campaign, spec: CompanySpec, status: str) -> Declaration:
    company = CompanyFactory(
        segment=spec.segment,
        formality=spec.formality,
        region=region(spec.regions[0]),
        registered_headcount=spec.registered,
    )
    submitted_at = timezone.make_aware(datetime.datetime.combine(campaign.opens_on, datetime.time(10)))
    parts = spec.parts()
    declaration = DeclarationFactory(
        campaign=campaign,
        company=company,
        status=status,
        headcount=spec.headcount,
        **parts,
        hires=spec.hires,
        separations=spec.separations,
        dismissals=spec.dismissals,
        export_revenue=Decimal(spec.export_per_employee * spec.headcount),
        activity_maintained_pct=spec.activity,
        submitted_at=submitted_at,
        approved_at=submitted_at if status == Declaration.Status.APPROVED else None,
    )
    lines = [
        DeclarationRegionFactory(declaration=declaration, region=region(code), **line)
        for code, line in spec.lines().items()
    ]
    measures = {m.code: m for m in Measure.objects.filter(code__in=MEASURES)}
    answers = [
        DeclarationMeasureFactory(declaration=declaration, measure=measures[code], status=answer)
        for code, answer in zip(MEASURES, spec.answers, strict=True)
        if answer is not None
    ]
    # The factories write what they are given: a declaration the platform would refuse at
    # submission is no registry a bulletin can count, and the oracle would model it wrongly.
    refused = submission_errors(declaration, lines, answers)
    assert not refused, f"The generator made a declaration submission refuses: {spec} {refused}"
    return declaration


def publish(registry: Registry, *, staff) -> Publication:
    """Revision 1 of the campaign's bulletin, then the correction, if any, as revision 2. The truth
    behind each revision is read as it is published."""
    campaign = CampaignFactory(status=Campaign.Status.CLOSED)
    approved = [_declare(campaign, spec, Declaration.Status.APPROVED) for spec in registry.respondents]
    late = [_declare(campaign, spec, Declaration.Status.SUBMITTED) for spec in registry.others]
    bulletin = bulletin_create(campaign=campaign, user=staff, title=campaign.title)
    # Small registries answer partially: the guard would ask staff to confirm; the oracle reads
    # what is published either way.
    revisions = [bulletin_publish(bulletin=bulletin, user=staff, confirm_provisional=True)]
    truths = [revision_truth(revisions[0])]
    if registry.correction:
        kind, count = registry.correction
        if kind == "add":
            for declaration in late[:count]:
                declaration_approve(declaration=declaration, user=staff)
            note = f"{count} déclaration(s) validée(s) après la première publication."
        else:
            # No service withdraws an approved declaration; staff would reopen it in the admin.
            withdrawn = [d.pk for d in approved[-count:]]
            Declaration.objects.filter(pk__in=withdrawn).update(status=Declaration.Status.RETURNED)
            note = f"{count} déclaration(s) retirée(s) des chiffres."
        revisions.append(bulletin_publish(bulletin=bulletin, user=staff, note=note, confirm_provisional=True))
        truths.append(revision_truth(revisions[1]))
    # A test's transaction never commits, so the publication's on-commit hook that starts a new
    # generation of public pages never runs: without this, the series a reader downloads would be
    # the one cached by an earlier example of the same property test.
    public_pages_changed()
    return Publication(bulletin=bulletin, revisions=revisions, truths=truths)
