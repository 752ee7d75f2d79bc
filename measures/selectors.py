"""Reads of declarations used in more than one place (portal, services, admin).

Every function here runs a fixed number of queries, whatever the number of campaigns,
declarations, regions or measures involved.
"""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, F, Prefetch, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber

from measures.models import Campaign, Declaration, DeclarationEvent, DeclarationMeasure, DeclarationRegion, Measure
from members.models import Company, CompanyMessage, Region, Site

# How many staff messages the dashboard shows: older ones stay in the admin.
DASHBOARD_MESSAGE_LIMIT = 10
# How many past declarations of each company the dashboard shows: the last weeks, what a member
# looks back at; the whole list is on the history page (member_declaration_history).
DASHBOARD_PAST_LIMIT = 4


def declaration_previous(declaration: Declaration) -> Declaration | None:
    """The company's latest submitted or approved declaration in an earlier campaign, with its
    campaign: the base for prefilling and for the headcount warning."""
    return (
        Declaration.objects.filter(
            company_id=declaration.company_id,
            status__in=(Declaration.Status.SUBMITTED, Declaration.Status.APPROVED),
            campaign__period_start__lt=declaration.campaign.period_start,
        )
        .select_related("campaign")
        .order_by("-campaign__period_start", "-pk")
        .first()
    )


def member_companies(user) -> QuerySet[Company]:
    """The companies a member may act for: approved in the registry and still active."""
    return Company.objects.active().for_user(user)


def declarations_for_member(user) -> QuerySet[Declaration]:
    """The declarations a member may open: only those of their own companies."""
    return Declaration.objects.filter(company__in=member_companies(user)).select_related("campaign", "company")


def _category_rank(field: str = "category") -> Case:
    """Categories in the catalogue's own order (sanitary, telework, employment, support), not
    alphabetically by code."""
    return Case(
        *(When(**{field: value}, then=Value(rank)) for rank, value in enumerate(Measure.Category.values)),
        default=Value(len(Measure.Category.values)),
    )


def declaration_detail_prefetches() -> list[Prefetch]:
    """What portal/_declaration_detail.html and the events list read, for prefetch_related()
    or prefetch_related_objects() (the admin's change page)."""
    return [
        Prefetch("regional_lines", queryset=DeclarationRegion.objects.select_related("region")),
        Prefetch(
            "measure_answers",
            queryset=DeclarationMeasure.objects.select_related("measure").order_by(
                _category_rank("measure__category"), "measure__order", "measure__code"
            ),
        ),
        declaration_events_prefetch(),
    ]


def declaration_events_prefetch() -> Prefetch:
    """The events list, the one detail a declaration's form shows outside its kept body."""
    return Prefetch("events", queryset=DeclarationEvent.objects.select_related("actor"))


def declaration_with_details(queryset: QuerySet[Declaration] | None = None) -> QuerySet[Declaration]:
    """Declarations with everything their page shows, in a fixed number of queries."""
    queryset = queryset if queryset is not None else Declaration.objects.all()
    return queryset.select_related(
        "campaign", "company", "submitted_by", "returned_by", "approved_by"
    ).prefetch_related(*declaration_detail_prefetches())


def declaration_form_choices() -> tuple[list[Region], list[Measure]]:
    """The regions and the active measure catalogue a declaration form offers."""
    measures = Measure.objects.filter(is_active=True).order_by(_category_rank(), "order", "code")
    return list(Region.objects.all()), list(measures)


def company_region_ids(company: Company) -> list[int]:
    """Regions where the company has production sites, for prefilling the regional breakdown."""
    return list(Site.objects.filter(company=company).order_by().values_list("region_id", flat=True).distinct())


@dataclass
class CampaignRow:
    campaign: Campaign
    declaration: Declaration | None
    accepts_edits: bool


@dataclass
class CompanyDashboard:
    company: Company
    campaigns: list[CampaignRow] = field(default_factory=list)
    past_declarations: list[Declaration] = field(default_factory=list)
    # Whether the company has more past declarations than the dashboard shows.
    more_past: bool = False


@dataclass
class MemberDashboard:
    companies: list[CompanyDashboard]
    messages: list[CompanyMessage]
    has_pending_registration: bool


def member_dashboard(user) -> MemberDashboard:
    """Everything the member's dashboard shows, in five queries whatever the number of
    companies, campaigns and declarations: each company's declarations in the open campaigns and
    its last few past ones (one more is read, to know whether the history page has others)."""
    companies = list(
        member_companies(user)
        .select_related("region")
        .prefetch_related(Prefetch("sites", queryset=Site.objects.select_related("region").order_by("name")))
    )
    open_campaigns = list(Campaign.objects.open().order_by("due_on", "pk"))
    open_ids = {campaign.pk for campaign in open_campaigns}
    is_open = Case(When(campaign_id__in=open_ids, then=Value(True)), default=Value(False), output_field=BooleanField())
    declarations = (
        Declaration.objects.filter(company__in=companies)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("company_id"), is_open],
                order_by=[F("campaign__period_start").desc(), F("pk").desc()],
            )
        )
        .filter(Q(campaign_id__in=open_ids) | Q(rank__lte=DASHBOARD_PAST_LIMIT + 1))
        .select_related("campaign")
    )

    by_company: dict[int, CompanyDashboard] = {company.pk: CompanyDashboard(company=company) for company in companies}
    current: dict[tuple[int, int], Declaration] = {}
    for declaration in declarations.order_by("-campaign__period_start", "-pk"):
        if declaration.campaign_id in open_ids:
            current[(declaration.company_id, declaration.campaign_id)] = declaration
        elif declaration.rank > DASHBOARD_PAST_LIMIT:
            by_company[declaration.company_id].more_past = True
        else:
            by_company[declaration.company_id].past_declarations.append(declaration)
    for entry in by_company.values():
        entry.campaigns = [
            CampaignRow(
                campaign=campaign,
                declaration=current.get((entry.company.pk, campaign.pk)),
                accepts_edits=campaign.accepts_edits(),
            )
            for campaign in open_campaigns
        ]

    messages = list(
        CompanyMessage.objects.filter(Q(company__in=companies) | Q(company=None)).select_related("company")[
            :DASHBOARD_MESSAGE_LIMIT
        ]
    )
    has_pending = (
        not companies
        and Company.objects.for_user(user).filter(registration_status=Company.RegistrationStatus.PENDING).exists()
    )
    return MemberDashboard(companies=list(by_company.values()), messages=messages, has_pending_registration=has_pending)


def member_declaration_history(user) -> QuerySet[Declaration]:
    """Every declaration of the member's companies, the latest campaign first."""
    return declarations_for_member(user).order_by("-campaign__period_start", "company__trade_name", "-pk")
