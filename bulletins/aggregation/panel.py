"""Week-on-week changes like with like: each key figure's change measured on the companies whose
declarations count in both bulletins (the panel), never as the difference of two totals over
different respondents, and published with its base.

A reader who holds both weeks' totals and the panel's change also holds their difference:
total this week − total last week − panel change = what the companies that joined declared this
week − what those that left declared last week. So a change is published only when the panel,
the joined companies and the departed ones each pass the threshold and dominance rules
(amrc.lib.disclosure); otherwise it is shown as confidential, with its base (docs/disclosure.md).

Read in two queries whatever the number of companies: this week's declarations beside each
company's previous one (sums and the largest contributions and changes of each group), and the
previous week's beside this one (the same for the departed)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Abs

from amrc.lib.disclosure import DOMINANCE, THRESHOLD, DisclosureRules, is_dominated
from amrc.lib.largest import Largest
from bulletins.aggregation.columns import SUMMED, activity_weight
from bulletins.aggregation.reading import approved_in
from measures.models import Campaign, Declaration

# How a revision's changes were computed, kept in its internal record: 1 (revisions stored
# before, without the key) compared totals of different respondents; 2 compares the panel.
CHANGES_RULES_VERSION = 2


@dataclass
class Group:
    """Companies outside the panel that contribute to a total: how many, their sum, the largest."""

    contributors: int = 0
    total: Decimal | int = 0
    largest: list = field(default_factory=list)


@dataclass
class FigurePanel:
    """One summed figure over the panel: the companies declaring it both weeks."""

    base: int = 0
    this: Decimal | int = 0
    before: Decimal | int = 0
    # The headcount of the same companies, the denominator of a share or an average.
    headcount_this: int = 0
    headcount_before: int = 0
    moved: Decimal | int = 0
    largest_moves: list = field(default_factory=list)
    joined: Group = field(default_factory=Group)
    departed: Group = field(default_factory=Group)

    def reason(self, rules: DisclosureRules) -> tuple[str, str] | None:
        """Which group breaks a rule, and which rule; None when the change may be published."""
        if self.base < rules.min_contributors:
            return "panel", THRESHOLD
        # The panel's change is the sum of its companies' changes: one or two of them must not
        # make most of it.
        if is_dominated(self.moved, self.largest_moves, rules):
            return "panel", DOMINANCE
        for name, group in (("joined", self.joined), ("departed", self.departed)):
            if not group.contributors:
                continue
            if group.contributors < rules.min_contributors:
                return name, THRESHOLD
            if is_dominated(group.total, group.largest, rules):
                return name, DOMINANCE
        return None


@dataclass
class Panel:
    companies: int
    joined: int
    departed: int
    figures: dict[str, FigurePanel]


def _beside(declarations: QuerySet, other: dict) -> QuerySet:
    """Each declaration with the same company's declaration among `other` (lookups on
    Declaration), figure by figure: one join on the company's declarations, which the unique
    (company, campaign) index serves, rather than a subquery per figure and row."""
    condition = Q(**{f"company__declarations__{lookup}": value for lookup, value in other.items()})
    return declarations.order_by().annotate(
        other=FilteredRelation("company__declarations", condition=condition),
        activity_weight=activity_weight(),
        other_activity_weight=activity_weight("other__"),
        has_other=ExpressionWrapper(Q(other__pk__isnull=False), output_field=BooleanField()),
        **{f"other_{name}": F(f"other__{name}") for name in SUMMED if name != "activity_weight"},
    )


def _in_panel(name: str) -> Q:
    return Q(**{f"{name}__isnull": False, f"other_{name}__isnull": False})


def read_panel(
    *, campaign: Campaign, previous_campaign: int, previous_declarations: Sequence[int], rules: DisclosureRules
) -> Panel:
    """The panel between the campaign's approved declarations and the declarations the previous
    bulletin counted (ids from its internal record)."""
    current = approved_in(campaign)
    # The campaign lets the database find each company's previous declaration by index; the ids
    # go as one parameter (amrc.lib.among). An empty `pk__in` would have made Django drop this
    # week's whole query, its join condition matching nothing.
    previous = {"campaign_id": previous_campaign, "pk__among": list(previous_declarations)}
    n = rules.dominance_n
    this_week = _beside(Declaration.objects.filter(**current), previous)
    last_week = _beside(Declaration.objects.filter(**previous), current)
    aggregates = {"respondents": Count("pk"), "companies": Count("pk", filter=Q(has_other=True))}
    for name in SUMMED:
        both = _in_panel(name)
        change = Abs(F(name) - F(f"other_{name}"))
        aggregates |= {
            f"base_{name}": Count("pk", filter=both),
            f"this_{name}": Sum(name, filter=both),
            f"before_{name}": Sum(f"other_{name}", filter=both),
            f"hc_this_{name}": Sum("headcount", filter=both),
            f"hc_before_{name}": Sum("other_headcount", filter=both),
            f"moved_{name}": Sum(change, filter=both),
            f"moves_{name}": Largest(change, n=n, filter=both),
            f"out_n_{name}": Count(name, filter=~both),
            f"out_{name}": Sum(name, filter=~both),
            f"out_largest_{name}": Largest(name, n=n, filter=~both),
        }
    now = this_week.aggregate(**aggregates)
    before = last_week.aggregate(
        respondents=Count("pk"),
        **{f"out_n_{name}": Count(name, filter=~_in_panel(name)) for name in SUMMED},
        **{f"out_{name}": Sum(name, filter=~_in_panel(name)) for name in SUMMED},
        **{f"out_largest_{name}": Largest(name, n=n, filter=~_in_panel(name)) for name in SUMMED},
    )
    figures = {
        name: FigurePanel(
            base=now[f"base_{name}"],
            this=now[f"this_{name}"] or 0,
            before=now[f"before_{name}"] or 0,
            headcount_this=now[f"hc_this_{name}"] or 0,
            headcount_before=now[f"hc_before_{name}"] or 0,
            moved=now[f"moved_{name}"] or 0,
            largest_moves=now[f"moves_{name}"],
            joined=Group(now[f"out_n_{name}"], now[f"out_{name}"] or 0, now[f"out_largest_{name}"]),
            departed=Group(before[f"out_n_{name}"], before[f"out_{name}"] or 0, before[f"out_largest_{name}"]),
        )
        for name in SUMMED
    }
    companies = now["companies"]
    return Panel(
        companies=companies,
        joined=now["respondents"] - companies,
        departed=before["respondents"] - companies,
        figures=figures,
    )
