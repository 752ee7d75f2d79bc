"""Reads for the staff work queue and the campaign follow-up.

Every function here runs a fixed number of queries, whatever the number of companies, campaigns,
declarations or reminders: counts are computed by the database, rows come with what they show.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.utils.translation import gettext_lazy as _

from bulletins.models import Bulletin
from followup.models import Reminder
from measures.models import Campaign, Declaration
from members.models import Company, CompanyMembership, Region
from quality.selectors import declaration_flag_kinds, declarations_with_flags

# How close a due or lock date must be for an open campaign to be flagged on the staff home.
CLOSING_SOON_DAYS = 3
# How many rows each list of the staff home shows; its count links to the whole list.
WORK_QUEUE_LENGTH = 8


# --- Response to a campaign ---


@dataclass
class ResponseCounts:
    """How a group of expected companies answered a campaign."""

    label: str = ""
    expected: int = 0
    received: int = 0
    approved: int = 0
    on_time: int = 0
    late: int = 0
    drafts: int = 0
    expected_headcount: int = 0
    received_headcount: int = 0

    COUNTS = (
        "expected",
        "received",
        "approved",
        "on_time",
        "late",
        "drafts",
        "expected_headcount",
        "received_headcount",
    )

    def add(self, row: dict) -> None:
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + (row[name] or 0))

    @property
    def missing(self) -> int:
        return self.expected - self.received

    @property
    def response_rate(self) -> float | None:
        return self.received / self.expected if self.expected else None

    @property
    def headcount_coverage(self) -> float | None:
        return self.received_headcount / self.expected_headcount if self.expected_headcount else None


@dataclass
class CampaignResponse:
    total: ResponseCounts
    by_segment: list[ResponseCounts]
    by_formality: list[ResponseCounts]
    by_region: list[ResponseCounts]

    @property
    def breakdowns(self) -> list[tuple[str, list[ResponseCounts]]]:
        return [
            (_("Par segment"), self.by_segment),
            (_("Par formalité"), self.by_formality),
            (_("Par région du siège"), self.by_region),
        ]


def campaign_response(campaign: Campaign) -> CampaignResponse:
    """Expected, received, approved, on time and late companies for a campaign, in total and by
    segment, formality and head-office region. The expected companies are the registry's active
    ones; the database counts them by (segment, formality, region), at most 72 groups, which are
    then added up here. Two queries."""
    this_campaign = FilteredRelation("declarations", condition=Q(declarations__campaign=campaign))
    received = Q(this__submitted_at__isnull=False)
    rows = list(
        Company.objects.active()
        .annotate(this=this_campaign)
        .order_by()
        .values("segment", "formality", "region_id")
        .annotate(
            expected=Count("pk"),
            received=Count("pk", filter=received),
            approved=Count("pk", filter=Q(this__status=Declaration.Status.APPROVED)),
            on_time=Count("pk", filter=Q(this__submitted_at__date__lte=campaign.due_on)),
            late=Count("pk", filter=Q(this__submitted_at__date__gt=campaign.due_on)),
            drafts=Count("pk", filter=Q(this__status=Declaration.Status.DRAFT)),
            expected_headcount=Sum("registered_headcount"),
            received_headcount=Sum("registered_headcount", filter=received),
        )
    )
    regions = {region.pk: region for region in Region.objects.all()}

    def grouped(key: str, labels: dict) -> list[ResponseCounts]:
        groups = {value: ResponseCounts(label=str(label)) for value, label in labels.items()}
        for row in rows:
            groups[row[key]].add(row)
        return [group for group in groups.values() if group.expected]

    total = ResponseCounts()
    for row in rows:
        total.add(row)
    return CampaignResponse(
        total=total,
        by_segment=grouped("segment", dict(Company.Segment.choices)),
        by_formality=grouped("formality", dict(Company.Formality.choices)),
        by_region=grouped("region_id", {pk: region.name for pk, region in regions.items()}),
    )


# --- Non-respondents ---


def non_respondents(campaign: Campaign) -> QuerySet[Company]:
    """Active companies that have not sent a declaration for the campaign (a draft is not sent)."""
    received = Declaration.objects.for_campaign(campaign).received().values("company_id")
    return Company.objects.active().exclude(pk__in=received)


@dataclass
class NonRespondent:
    company: Company
    contacts: list[CompanyMembership]
    draft_status: str
    last_declaration: Declaration | None
    last_reminder: Reminder | None

    @property
    def emails(self) -> list[str]:
        return [membership.user.email for membership in self.contacts]

    @property
    def phones(self) -> list[str]:
        return [membership.user.phone for membership in self.contacts if membership.user.phone]


def non_respondents_for_follow_up(campaign: Campaign, companies: QuerySet[Company]) -> QuerySet[Company]:
    """The non-respondents among `companies`, largest first (they weigh most on the bulletin's
    coverage), with what the follow-up shows of them: their active contacts, their declaration in
    progress, their latest declaration before this campaign and their latest reminder for it."""
    current = Declaration.objects.filter(company=OuterRef("pk"), campaign=campaign)
    earlier = Declaration.objects.filter(
        company=OuterRef("pk"), campaign__period_start__lt=campaign.period_start
    ).order_by("-campaign__period_start", "-pk")
    reminders = Reminder.objects.filter(company=OuterRef("pk"), batch__campaign=campaign).order_by("-created_at", "-pk")
    contacts = (
        CompanyMembership.objects.filter(user__is_active=True)
        .select_related("user")
        .order_by("role", "user__full_name", "user__email")
    )
    return (
        companies.filter(pk__in=non_respondents(campaign).values("pk"))
        .select_related("region")
        .annotate(
            draft_status=Subquery(current.values("status")[:1]),
            last_declaration_id=Subquery(earlier.values("pk")[:1]),
            last_reminder_id=Subquery(reminders.values("pk")[:1]),
        )
        .prefetch_related(Prefetch("memberships", queryset=contacts, to_attr="contacts"))
        .order_by("-registered_headcount", "trade_name", "pk")
    )


def non_respondent_rows(companies: Iterable[Company]) -> list[NonRespondent]:
    """Rows of the follow-up for companies read through non_respondents_for_follow_up: their
    latest declaration and reminder are read in one query each."""
    companies = list(companies)
    declarations = Declaration.objects.select_related("campaign").in_bulk(
        [company.last_declaration_id for company in companies if company.last_declaration_id]
    )
    reminders = Reminder.objects.in_bulk(
        [company.last_reminder_id for company in companies if company.last_reminder_id]
    )
    draft_labels = dict(Declaration.Status.choices)
    return [
        NonRespondent(
            company=company,
            contacts=company.contacts,
            draft_status=str(draft_labels[company.draft_status]) if company.draft_status else "",
            last_declaration=declarations.get(company.last_declaration_id),
            last_reminder=reminders.get(company.last_reminder_id),
        )
        for company in companies
    ]


def self_registrations_between(start: datetime.datetime, end: datetime.datetime) -> QuerySet[Company]:
    """Companies that registered themselves in [start, end). Those staff create are approved from
    the start and never carry an approval stamp; a self-registration is pending, was rejected, or
    was approved by someone."""
    return Company.objects.filter(created_at__gte=start, created_at__lt=end).filter(
        Q(registration_status__in=(Company.RegistrationStatus.PENDING, Company.RegistrationStatus.REJECTED))
        | Q(registration_approved_at__isnull=False)
    )


# --- Campaign lists ---


def campaigns_with_response(queryset: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """Campaigns with their declarations received, approved and late among active companies."""
    active = Q(declarations__company__is_active=True) & Q(
        declarations__company__registration_status=Company.RegistrationStatus.APPROVED
    )
    received = active & Q(declarations__submitted_at__isnull=False)
    return queryset.annotate(
        n_received=Count("declarations", filter=received),
        n_approved=Count("declarations", filter=active & Q(declarations__status=Declaration.Status.APPROVED)),
        n_late=Count("declarations", filter=received & Q(declarations__submitted_at__date__gt=F("due_on"))),
    )


def expected_companies() -> Subquery:
    """The registry's active companies, counted in a subquery a campaign list can annotate."""
    counted = Company.objects.active().order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk"))
    return Subquery(counted.values("n")[:1], output_field=IntegerField())


def campaigns_awaiting_bulletin(queryset: QuerySet[Campaign] | None = None) -> QuerySet[Campaign]:
    """Closed campaigns with approved declarations whose bulletin is still to write (none yet) or
    to publish (a draft)."""
    queryset = queryset if queryset is not None else Campaign.objects.all()
    with_approved = Declaration.objects.approved().values("campaign_id")
    return queryset.filter(status=Campaign.Status.CLOSED, pk__in=with_approved).filter(
        Q(bulletin__isnull=True) | Q(bulletin__status=Bulletin.Status.DRAFT)
    )


# --- The staff home ---


def declarations_to_review() -> QuerySet[Declaration]:
    """Submitted declarations waiting for staff, oldest first."""
    return (
        Declaration.objects.filter(status=Declaration.Status.SUBMITTED)
        .select_related("company", "campaign")
        .order_by("submitted_at", "pk")
    )


@dataclass
class OpenCampaign:
    campaign: Campaign
    expected: int
    today: datetime.date

    @property
    def received(self) -> int:
        return self.campaign.n_received

    @property
    def response_rate(self) -> float | None:
        return self.received / self.expected if self.expected else None

    @property
    def days_to_due(self) -> int:
        return (self.campaign.due_on - self.today).days

    @property
    def days_to_lock(self) -> int:
        return (self.campaign.locks_on - self.today).days

    @property
    def is_past_due(self) -> bool:
        return self.days_to_due < 0

    @property
    def closing_soon(self) -> bool:
        """Its due date, or once past it its lock date, falls within CLOSING_SOON_DAYS."""
        days = self.days_to_lock if self.is_past_due else self.days_to_due
        return 0 <= days <= CLOSING_SOON_DAYS


@dataclass
class WorkQueue:
    review_count: int
    # Each with `quality_flags` (quality.selectors).
    review: list[Declaration]
    review_flagged_count: int
    registrations_count: int
    registrations: list[Company]
    campaigns: list[OpenCampaign]
    bulletins_to_write: list[Campaign] = field(default_factory=list)
    draft_bulletins: list[Bulletin] = field(default_factory=list)

    @property
    def bulletin_count(self) -> int:
        return len(self.bulletins_to_write) + len(self.draft_bulletins)


def work_queue(*, today: datetime.date) -> WorkQueue:
    """What is waiting for staff: declarations to review with their data-quality flags and how
    many are flagged, registrations to vet, open campaigns and their response so far, bulletins to
    write or publish. Seven queries, and the flags' (quality.selectors: seven, and a few more for
    what the cache lacks)."""
    review = declarations_to_review()
    # Every declaration waiting has its kinds of flags, to count the flagged ones: each of them is
    # submitted, so each is assessed, and their number is the queue's.
    kinds = declaration_flag_kinds(review)
    pending = Company.objects.filter(registration_status=Company.RegistrationStatus.PENDING)
    expected = Company.objects.active().count()
    open_campaigns = campaigns_with_response(Campaign.objects.open()).order_by("due_on", "pk")
    awaiting = campaigns_awaiting_bulletin().filter(bulletin__isnull=True).order_by("-period_start")
    return WorkQueue(
        review_count=len(kinds),
        review=declarations_with_flags(review[:WORK_QUEUE_LENGTH]),
        review_flagged_count=sum(1 for found in kinds.values() if found),
        registrations_count=pending.count(),
        registrations=list(pending.select_related("region").order_by("created_at", "pk")[:WORK_QUEUE_LENGTH]),
        campaigns=[OpenCampaign(campaign=campaign, expected=expected, today=today) for campaign in open_campaigns],
        bulletins_to_write=list(awaiting),
        draft_bulletins=list(
            Bulletin.objects.filter(status=Bulletin.Status.DRAFT).select_related("campaign").order_by("-pk")
        ),
    )
