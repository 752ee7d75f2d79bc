"""What a member's page is built from, read in one query: the state a kept copy of the page is
filed under (portal.page_cache).

A page's state is a fingerprint of every row it shows, not the rows themselves: for each table,
the number of rows concerned, their highest id and the sum of their revisions (amrc.lib.revised;
for declarations, their versions, which every save raises too). A save raises the sum, an insert
the highest id, a deletion lowers the number.

A `QuerySet.update()` raises no revision: the platform's code changes these rows through `save()`
(the admin, the services), and a kept page lasts MEMBER_PAGE_SECONDS at most.
"""

from django.db.models import CharField, F, Func, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Concat

from amrc.lib.compiled_query import run_compiled
from measures.models import Campaign, Declaration, DeclarationEvent, Measure
from measures.selectors import declarations_for_member
from members.models import Company, CompanyMessage, Region, Site


def _over_rows(function: str, field: str) -> Func:
    # A plain function rather than Django's aggregates, which would group the outer query's rows.
    return Func(F(field), function=function)


def _fingerprint(queryset: QuerySet, *, revision: str | None = "revision") -> Subquery:
    """The rows' number, highest id and sum of revisions, as one text: one subquery for the
    database to plan instead of three (planning, not running, is most of this query's cost)."""
    parts = [_over_rows("COUNT", "pk"), Value(":"), _over_rows("MAX", "pk")]
    if revision is not None:
        parts += [Value(":"), _over_rows("SUM", revision)]
    return Subquery(queryset.order_by().values(value=Concat(*parts, output_field=CharField()))[:1])


def _catalogue() -> dict[str, Subquery]:
    """The regions and the measure catalogue, which every member page names."""
    return {"regions": _fingerprint(Region.objects.all()), "measures": _fingerprint(Measure.objects.all())}


def _company_rows(company_ref: OuterRef) -> dict[str, Subquery]:
    """A company's sites and declarations (the dashboard's weeks, the form's previous week)."""
    return {
        "sites_state": _fingerprint(Site.objects.filter(company=company_ref)),
        "declarations_state": _fingerprint(Declaration.objects.filter(company=company_ref), revision="version"),
    }


def _dashboard_query(user_id: int) -> QuerySet:
    return (
        Company.objects.for_user(user_id)
        .annotate(
            **_company_rows(OuterRef("pk")),
            messages_state=_fingerprint(CompanyMessage.objects.filter(company=OuterRef("pk"))),
            messages_to_all=_fingerprint(CompanyMessage.objects.filter(company=None)),
            campaigns=_fingerprint(Campaign.objects.all()),
            **_catalogue(),
        )
        .order_by("pk")
    )


def _declaration_query(user_id: int, declaration_id: int) -> QuerySet:
    return (
        declarations_for_member(user_id)
        .filter(pk=declaration_id)
        .annotate(
            company_revision=F("company__revision"),
            # A step is never edited.
            steps_state=_fingerprint(DeclarationEvent.objects.filter(declaration=OuterRef("pk")), revision=None),
            **_company_rows(OuterRef("company_id")),
            # Its own campaign and the one it was prefilled from.
            campaigns=_fingerprint(Campaign.objects.all()),
            **_catalogue(),
        )
        .order_by()
    )


def dashboard_state(user) -> tuple | None:
    """The state of the member's dashboard: each of the user's companies (approved, pending or
    inactive), its sites, declarations and messages, the campaigns, the messages to all and the
    catalogue. None for a user without a company: nothing to file the page under."""
    return tuple(run_compiled(_dashboard_query, fields=("pk", "revision"), ids=(user.pk,))) or None


def declaration_state(user, declaration_id: int) -> tuple | None:
    """The state of a declaration's page: the declaration (its version moves with every save of
    its figures, lines and answers), its steps, the campaigns, its company with its sites and
    other declarations (the previous week's), and the catalogue. None when the user may not open
    it: the page answers that itself."""
    rows = run_compiled(_declaration_query, fields=("pk", "version"), ids=(user.pk, declaration_id))
    return rows[0] if rows else None
