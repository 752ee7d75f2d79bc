"""The demo, built in named steps that `manage.py seed_demo` runs in order.

Each step takes the DemoContext, writes its rows in bulk, matched on natural keys (ICE, e-mail,
campaign title, campaign and company: see demo.upsert) so that a second run changes nothing, and
returns one line for the command to print. Later steps read what earlier ones left in the context
(the staff user, the companies, the campaigns) instead of querying for it again.

Randomness comes from one generator per step, seeded with a fixed string: the data are the same
on every machine and every run, and changing one step does not reshuffle the others. Only the
open demo campaign depends on the day of the run (see demo_campaign_dates).
"""

import datetime
import math
import random
from base64 import b32decode
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import User
from demo import sector, simulation
from demo.upsert import upsert
from measures.models import (
    Campaign,
    Declaration,
    DeclarationEvent,
    DeclarationMeasure,
    DeclarationRegion,
    Measure,
)
from measures.services import MEMBER_FIELDS
from members.models import Company, CompanyMembership, CompanyMessage, Region, Site

FRENCH_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


@dataclass(frozen=True)
class DemoLogin:
    label: str
    email: str
    password: str


@dataclass
class DemoContext:
    """What the steps share: the day of the run and the rows built so far."""

    today: datetime.date
    staff: User | None = None
    # Members first, in sector.MEMBERS order, then the small operators, the demo one first.
    companies: list[Company] = field(default_factory=list)
    sites: dict[int, list[Site]] = field(default_factory=dict)
    mail_domains: dict[int, str] = field(default_factory=dict)
    # The declarant of each company (by company id): the actor of its submissions.
    contacts: dict[int, User] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)
    # The historical weeks, oldest first, all closed.
    closed_campaigns: list[Campaign] = field(default_factory=list)
    demo_campaign: Campaign | None = None

    def random(self, step: str) -> random.Random:
        return random.Random(f"{sector.SEED}:{step}")

    def company(self, trade_name: str) -> Company:
        return next(company for company in self.companies if company.trade_name == trade_name)

    @property
    def members(self) -> list[Company]:
        return [company for company in self.companies if company.segment == Company.Segment.MEMBER]

    @property
    def demo_companies(self) -> list[Company]:
        """The companies whose declarants log in to the demo."""
        return [self.company(sector.DEMO_MEMBER), self.company(sector.DEMO_SMALL_OPERATOR[0])]


# ---------------------------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _UserSpec:
    email: str
    full_name: str
    is_staff: bool = False
    password: str | None = None


def _upsert_users(specs: list[_UserSpec]) -> dict[str, User]:
    """Users by e-mail. Only the demo logins get a known password; the other contacts cannot log
    in until staff invite them, as in real life."""
    emails = [spec.email for spec in specs]
    known = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    rows = []
    for spec in specs:
        user = User(
            email=spec.email,
            full_name=spec.full_name,
            is_staff=spec.is_staff,
            is_superuser=spec.is_staff,
            is_active=True,
            date_joined=timezone.make_aware(sector.REGISTRY_DATE),
        )
        if spec.email not in known:
            # Hashing is slow by design: only for the few accounts that are new.
            if spec.password:
                user.set_password(spec.password)
            else:
                user.set_unusable_password()
        rows.append(user)
    users = upsert(
        rows,
        key=("email",),
        fields=("full_name", "is_staff", "is_superuser", "is_active", "date_joined"),
        existing=User.objects.filter(email__in=emails),
    )
    for spec in specs:
        user = users[(spec.email,)]
        if spec.email in known and spec.password and not user.check_password(spec.password):
            # The printed password must work even if someone changed it since the last run.
            user.set_password(spec.password)
            user.save(update_fields=["password"])
    return {email: user for (email,), user in users.items()}


def build_staff(demo: DemoContext) -> None:
    """The staff account; its login is printed with the others, so it has no summary line."""
    users = _upsert_users(
        [_UserSpec(sector.STAFF_EMAIL, sector.STAFF_NAME, is_staff=True, password=sector.DEMO_PASSWORD)]
    )
    demo.staff = users[sector.STAFF_EMAIL]
    _reset_second_factor(demo.staff)
    demo.logins.append(DemoLogin(_("Personnel AMRC (administration)"), sector.STAFF_EMAIL, sector.DEMO_PASSWORD))


def _reset_second_factor(staff: User) -> None:
    """The admin asks staff for a second factor: the demo gives its account the published key and
    backup codes, anew on each run (a used backup code comes back)."""
    TOTPDevice.objects.filter(user=staff).delete()
    StaticDevice.objects.filter(user=staff).delete()
    key = b32decode(sector.DEMO_TOTP_KEY.replace(" ", "")).hex()
    TOTPDevice.objects.create(user=staff, name=two_factor.TOTP_DEVICE_NAME, key=key, confirmed=True)
    backup = StaticDevice.objects.create(user=staff, name=two_factor.BACKUP_DEVICE_NAME, confirmed=True)
    StaticToken.objects.bulk_create([StaticToken(device=backup, token=code) for code in sector.DEMO_BACKUP_CODES])


def build_accounts(demo: DemoContext) -> str:
    """One declarant per company (the actor of its submissions), a company administrator for the
    demo member, and the demo logins."""
    rng = demo.random("accounts")
    member_domain = demo.mail_domains[demo.company(sector.DEMO_MEMBER).pk]
    small_domain = sector.DEMO_SMALL_OPERATOR[1]
    specs = []
    for company in demo.companies:
        full_name = f"{rng.choice(sector.CONTACT_FIRST_NAMES)} {rng.choice(sector.CONTACT_LAST_NAMES)}"
        domain = demo.mail_domains[company.pk]
        password = sector.DEMO_PASSWORD if domain in (member_domain, small_domain) else None
        specs.append(_UserSpec(f"declarant@{domain}", full_name, password=password))
    admin_email = f"admin@{member_domain}"
    specs.append(_UserSpec(admin_email, "Karim Tazi", password=sector.DEMO_PASSWORD))
    users = _upsert_users(specs)

    demo.contacts = {company.pk: users[f"declarant@{demo.mail_domains[company.pk]}"] for company in demo.companies}
    member, small = demo.demo_companies
    memberships = [
        CompanyMembership(user=demo.contacts[company.pk], company=company, role=CompanyMembership.Role.DECLARANT)
        for company in demo.companies
    ]
    memberships.append(CompanyMembership(user=users[admin_email], company=member, role=CompanyMembership.Role.ADMIN))
    upsert(
        memberships,
        key=("user_id", "company_id"),
        fields=("role",),
        existing=CompanyMembership.objects.filter(company__in=demo.companies),
    )
    demo.logins += [
        DemoLogin(
            _("Déclarant d'un membre (%(company)s)") % {"company": member.trade_name},
            demo.contacts[member.pk].email,
            sector.DEMO_PASSWORD,
        ),
        DemoLogin(
            _("Administrateur d'un membre (%(company)s)") % {"company": member.trade_name},
            admin_email,
            sector.DEMO_PASSWORD,
        ),
        DemoLogin(
            _("Déclarant d'un petit opérateur (%(company)s)") % {"company": small.trade_name},
            demo.contacts[small.pk].email,
            sector.DEMO_PASSWORD,
        ),
    ]
    return _("Comptes : %(users)s utilisateurs, %(memberships)s rattachements") % {
        "users": len(users),
        "memberships": len(memberships),
    }


# ---------------------------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------------------------


@dataclass
class _CompanyPlan:
    index: int
    trade_name: str
    legal_name: str
    mail_domain: str
    city: str
    segment: str
    formality: str
    headcount: int
    # (site name, city, workstations)
    sites: list[tuple[str, str, int]]
    rc_number: str = ""
    cnss_number: str = ""


def demo_ice(index: int) -> str:
    """A valid ICE for the index-th demo company: 9 digits for the company (a bijection of the
    index, so no two collide), 0000 for the head office, and two check digits that make the whole
    number divisible by 97, as python-stdnum's stdnum.ma.ice (and so the model) expects. Note that
    the ISO 7064 mod 97-10 key (remainder 1) is not what stdnum accepts for an ICE."""
    company_number = 1_000_000 + (104_729 * (index + 1)) % 9_000_000
    base = f"00{company_number:07d}0000"
    return f"{base}{-int(base) * 100 % 97:02d}"


def _workstations(headcount: int, share: float) -> int:
    # Shifts share positions: a call centre has about four positions for five staff.
    return max(1, round(headcount * share * 0.8))


def _member_plans() -> list[_CompanyPlan]:
    return [
        _CompanyPlan(
            index=index,
            trade_name=spec.trade_name,
            legal_name=f"{spec.trade_name} {spec.legal_form}",
            mail_domain=spec.mail_domain,
            city=spec.sites[0][1],
            segment=Company.Segment.MEMBER,
            formality=Company.Formality.FORMAL,
            headcount=spec.headcount,
            sites=[(name, city, _workstations(spec.headcount, share)) for name, city, share in spec.sites],
        )
        for index, spec in enumerate(sector.MEMBERS)
    ]


def _small_operator_plans(rng: random.Random, first_index: int) -> list[_CompanyPlan]:
    name, domain, city, headcount = sector.DEMO_SMALL_OPERATOR
    plans = [
        _CompanyPlan(
            index=first_index,
            trade_name=name,
            legal_name=f"{name} SARL AU",
            mail_domain=domain,
            city=city,
            segment=Company.Segment.SMALL,
            # Not yet verified: the demo shows a small operator on its way to formality.
            formality=Company.Formality.UNVERIFIED,
            headcount=headcount,
            sites=[(f"Plateau {city}", city, _workstations(headcount, 1.0))],
        )
    ]
    names = small_operator_names()
    rng.shuffle(names)
    for offset, trade_name in enumerate(names[: sector.SMALL_OPERATOR_COUNT - 1], start=1):
        plans.append(small_operator_plan(rng, index=first_index + offset, trade_name=trade_name))
    return plans


def small_operator_names() -> list[str]:
    """The names small operators take in the demo (the demo one aside), in a fixed order."""
    return [
        f"{first} {second}"
        for first in sector.SMALL_NAME_FIRST
        for second in sector.SMALL_NAME_SECOND
        if f"{first} {second}" != sector.DEMO_SMALL_OPERATOR[0]
    ]


def small_operator_plan(rng: random.Random, *, index: int, trade_name: str) -> _CompanyPlan:
    """A small operator drawn like the sector's: its city, size, formality and sites."""
    cities, weights = zip(*sector.SMALL_OPERATOR_CITIES.items(), strict=True)
    low, high = sector.SMALL_HEADCOUNT_RANGE
    city = rng.choices(cities, weights)[0]
    headcount = min(
        high,
        max(low, round(rng.lognormvariate(math.log(sector.SMALL_HEADCOUNT_MEDIAN), sector.SMALL_HEADCOUNT_SPREAD))),
    )
    draw = rng.random()
    if draw < sector.SMALL_INFORMAL_SHARE:
        formality = Company.Formality.INFORMAL
    elif draw < sector.SMALL_INFORMAL_SHARE + sector.SMALL_UNVERIFIED_SHARE:
        formality = Company.Formality.UNVERIFIED
    else:
        formality = Company.Formality.FORMAL
    sites = [(f"Plateau {city}", city, headcount)]
    if headcount > 80 and rng.random() < 0.3:
        # A second plateau in another region, for some of the larger small operators.
        other = rng.choice([c for c in cities if sector.CITY_REGIONS[c] != sector.CITY_REGIONS[city]])
        split = round(headcount * 0.35)
        sites = [(f"Plateau {city}", city, headcount - split), (f"Plateau {other}", other, split)]
    return _CompanyPlan(
        index=index,
        trade_name=trade_name,
        legal_name="" if formality == Company.Formality.INFORMAL else f"{trade_name} {rng.choice(('SARL', 'SARL AU'))}",
        mail_domain=f"{slugify(trade_name)}-demo.ma",
        city=city,
        segment=Company.Segment.SMALL,
        formality=formality,
        headcount=headcount,
        sites=[(site, site_city, _workstations(count, 1.0)) for site, site_city, count in sites],
    )


def demo_company_plans(rng: random.Random) -> list[_CompanyPlan]:
    """The demo's registry: the members, then the small operators, the demo one first."""
    members = _member_plans()
    return members + _small_operator_plans(rng, first_index=len(members))


def build_registry(demo: DemoContext) -> str:
    rng = demo.random("registry")
    return write_registry(demo, demo_company_plans(rng), rng)


def write_registry(demo: DemoContext, plans: list[_CompanyPlan], rng: random.Random) -> str:
    """Upsert the planned companies and their sites, and keep them in the context."""
    for plan in plans:
        informal = plan.formality == Company.Formality.INFORMAL
        rc_number = f"{plan.city} {rng.randint(10_000, 499_999)}"
        cnss_number = f"{rng.randint(1_000_000, 9_999_999)}"
        # Informal operators often have neither a trade register entry nor a CNSS affiliation.
        plan.rc_number = "" if informal and rng.random() < 0.8 else rc_number
        plan.cnss_number = "" if informal and rng.random() < 0.7 else cnss_number

    regions = {region.code: region for region in Region.objects.filter(code__in=set(sector.CITY_REGIONS.values()))}
    verified_at = timezone.make_aware(sector.REGISTRY_DATE)
    rows = []
    for plan in plans:
        formal = plan.formality == Company.Formality.FORMAL
        rows.append(
            Company(
                ice=demo_ice(plan.index),
                trade_name=plan.trade_name,
                legal_name=plan.legal_name,
                rc_number=plan.rc_number,
                cnss_number=plan.cnss_number,
                city=plan.city,
                region=regions[sector.CITY_REGIONS[plan.city]],
                segment=plan.segment,
                formality=plan.formality,
                formality_verified_by=demo.staff if formal else None,
                formality_verified_at=verified_at if formal else None,
                registered_headcount=plan.headcount,
                registration_status=Company.RegistrationStatus.APPROVED,
                is_active=True,
            )
        )
    companies = upsert(
        rows,
        key=("ice",),
        fields=(
            "trade_name",
            "legal_name",
            "rc_number",
            "cnss_number",
            "city",
            "region_id",
            "segment",
            "formality",
            "formality_verified_by_id",
            "formality_verified_at",
            "registered_headcount",
            "registration_status",
            "is_active",
        ),
        existing=Company.objects.filter(ice__in=[row.ice for row in rows]),
    )
    demo.companies = [companies[(demo_ice(plan.index),)] for plan in plans]
    demo.mail_domains = {company.pk: plan.mail_domain for company, plan in zip(demo.companies, plans, strict=True)}

    site_rows = [
        Site(company=company, name=name, city=city, region=regions[sector.CITY_REGIONS[city]], workstations=count)
        for company, plan in zip(demo.companies, plans, strict=True)
        for name, city, count in plan.sites
    ]
    sites = upsert(
        site_rows,
        key=("company_id", "name"),
        fields=("city", "region_id", "workstations"),
        existing=Site.objects.filter(company__in=demo.companies),
        prune=True,
    )
    demo.sites = defaultdict(list)
    for site in sites.values():
        demo.sites[site.company_id].append(site)

    members_count = sum(1 for plan in plans if plan.segment == Company.Segment.MEMBER)
    return _(
        "Registre : %(companies)s entreprises (%(members)s membres, %(small)s petits opérateurs), "
        "%(workforce)s salariés, %(sites)s sites"
    ) % {
        "companies": len(plans),
        "members": members_count,
        "small": len(plans) - members_count,
        "workforce": sum(plan.headcount for plan in plans),
        "sites": len(site_rows),
    }


# ---------------------------------------------------------------------------------------------
# Campaigns
# ---------------------------------------------------------------------------------------------


def week_title(monday: datetime.date) -> str:
    day = "1er" if monday.day == 1 else str(monday.day)
    return f"Semaine du {day} {FRENCH_MONTHS[monday.month - 1]} {monday.year}"


def demo_campaign_dates(today: datetime.date) -> dict[str, datetime.date]:
    """The open demo campaign: the last full Monday-Sunday week that ended at least two days ago,
    so that its collection has been open for at least a whole day (and the seeded submissions are
    in the past); due three days from today so that a demo declaration is on time, and locked a
    week after that."""
    two_days_ago = today - datetime.timedelta(days=2)
    period_end = two_days_ago - datetime.timedelta(days=(two_days_ago.weekday() + 1) % 7)
    due_on = today + datetime.timedelta(days=sector.DUE_AFTER_OPENING_DAYS)
    return {
        "period_start": period_end - datetime.timedelta(days=6),
        "period_end": period_end,
        "opens_on": period_end + datetime.timedelta(days=sector.OPENS_AFTER_PERIOD_DAYS),
        "due_on": due_on,
        "locks_on": due_on + datetime.timedelta(days=sector.LOCKS_AFTER_DUE_DAYS),
    }


def build_campaigns(demo: DemoContext) -> str:
    return write_campaigns(demo, weeks=sector.WEEK_COUNT)


def write_campaigns(demo: DemoContext, *, weeks: int) -> str:
    """`weeks` closed weekly campaigns from sector.FIRST_WEEK, then the open demo campaign."""
    rows = []
    for week in range(weeks):
        monday = sector.FIRST_WEEK + datetime.timedelta(weeks=week)
        opens_on = monday + datetime.timedelta(days=6 + sector.OPENS_AFTER_PERIOD_DAYS)
        due_on = opens_on + datetime.timedelta(days=sector.DUE_AFTER_OPENING_DAYS)
        rows.append(
            Campaign(
                title=week_title(monday),
                period_start=monday,
                period_end=monday + datetime.timedelta(days=6),
                opens_on=opens_on,
                due_on=due_on,
                locks_on=due_on + datetime.timedelta(days=sector.LOCKS_AFTER_DUE_DAYS),
                status=Campaign.Status.CLOSED,
            )
        )
    rows.append(
        Campaign(title=sector.DEMO_CAMPAIGN_TITLE, status=Campaign.Status.OPEN, **demo_campaign_dates(demo.today))
    )
    campaigns = upsert(
        rows,
        key=("title",),
        fields=("period_start", "period_end", "opens_on", "due_on", "locks_on", "status"),
        existing=Campaign.objects.filter(title__in=[row.title for row in rows]),
    )
    ordered = [campaigns[(row.title,)] for row in rows]
    demo.closed_campaigns, demo.demo_campaign = ordered[:-1], ordered[-1]
    return _("Campagnes : %(closed)s semaines clôturées (%(first)s – %(last)s) et « %(open)s », ouverte") % {
        "closed": len(demo.closed_campaigns),
        "first": demo.closed_campaigns[0].period_start.isoformat(),
        "last": demo.closed_campaigns[-1].period_end.isoformat(),
        "open": demo.demo_campaign.title,
    }


# ---------------------------------------------------------------------------------------------
# Declarations
# ---------------------------------------------------------------------------------------------


@dataclass
class _DeclarationPlan:
    declaration: Declaration
    lines: list[tuple[int, int, int, int]]
    answers: list[tuple[int, str, int | None]]
    events: list[simulation.Event]


def _plan_declaration(
    campaign: Campaign, company: Company, figures: dict, status: str, events: list[simulation.Event]
) -> Declaration:
    submissions = [event for event in events if event.action == Declaration.Status.SUBMITTED]
    returns = [event for event in events if event.action == Declaration.Status.RETURNED]
    approvals = [event for event in events if event.action == Declaration.Status.APPROVED]
    values = dict(figures)
    if status == Declaration.Status.DRAFT:
        # A draft is work in progress: the money questions are still blank.
        values.update(export_revenue=None, activity_maintained_pct=None)
    return Declaration(
        campaign=campaign,
        company=company,
        status=status,
        version=1 + len(events),
        submitted_at=submissions[-1].at if submissions else None,
        submitted_by=submissions[-1].actor if submissions else None,
        is_late=bool(submissions) and campaign.is_late(submissions[-1].at),
        returned_at=returns[-1].at if returns else None,
        returned_by=returns[-1].actor if returns else None,
        return_comment=returns[-1].comment if returns else "",
        approved_at=approvals[-1].at if approvals else None,
        approved_by=approvals[-1].actor if approvals else None,
        **values,
    )


DECLARATION_FIELDS = (
    "status",
    "version",
    *MEMBER_FIELDS,
    "headcount_change_confirmed",
    "submitted_at",
    "submitted_by_id",
    "is_late",
    "returned_at",
    "returned_by_id",
    "return_comment",
    "approved_at",
    "approved_by_id",
)


def plan_declarations(demo: DemoContext, measures: list[Measure]) -> Iterator[list[_DeclarationPlan]]:
    """Each company's declarations, company after company: one generator draws them all, so they
    are the same whether the caller keeps them all (the demo) or writes them as they come
    (demo.scale)."""
    rng = demo.random("declarations")
    campaigns = [*demo.closed_campaigns, demo.demo_campaign]
    always_answer = {company.pk for company in demo.demo_companies} | {demo.company(sector.TWELVE_PERCENT_MEMBER).pk}
    newcomers = {company.pk for company in demo.demo_companies}
    for company in demo.companies:
        plans = []
        profile = simulation.draw_profile(company, rng)
        trajectory = simulation.trajectory(company, profile, len(campaigns), rng)
        previous_headcount = None
        for week, (campaign, figures) in enumerate(zip(campaigns, trajectory, strict=True)):
            is_demo_campaign = campaign is demo.demo_campaign
            propensity = profile.response_propensity
            if is_demo_campaign:
                propensity *= (
                    sector.DEMO_CAMPAIGN_MEMBER_RESPONSE_RATE / sector.MEMBER_RESPONSE_RATE
                    if company.segment == Company.Segment.MEMBER
                    else sector.DEMO_CAMPAIGN_SMALL_RESPONSE_FACTOR
                )
            answers_this_week = rng.random() < propensity
            if is_demo_campaign and company.pk in newcomers:
                # The demo declarants find this campaign waiting for them.
                continue
            if not (answers_this_week or (company.pk in always_answer and not is_demo_campaign)):
                continue
            declarant = demo.contacts[company.pk]
            if is_demo_campaign:
                status, events = simulation.demo_campaign_events(campaign, demo.today, declarant, demo.staff, rng)
            else:
                events = simulation.closed_week_events(
                    campaign, company.segment, declarant, demo.staff, week, rng, closed_weeks=len(demo.closed_campaigns)
                )
                status = events[-1].action
            declaration = _plan_declaration(campaign, company, figures, status, events)
            declaration.headcount_change_confirmed = bool(
                previous_headcount and abs(figures["headcount"] - previous_headcount) / previous_headcount > 0.25
            )
            previous_headcount = figures["headcount"]
            answers = (
                []
                if status == Declaration.Status.DRAFT
                else simulation.measure_answers(measures, figures, company.segment, week, rng)
            )
            lines = simulation.regional_lines(demo.sites[company.pk], figures)
            plans.append(_DeclarationPlan(declaration, lines, answers, events))
        yield plans


def declaration_measures() -> list[Measure]:
    return list(Measure.objects.filter(is_active=True).order_by("category", "order", "code"))


def _plant_anomalies(demo: DemoContext, plans: list[_DeclarationPlan]) -> None:
    """Two typing errors waiting for review in the open campaign, for the quality flags to catch:
    the largest member awaiting review typed its export revenue with an extra zero, and the next
    one with a clear gap between on site and telework swapped the two figures. Chosen by rule, not
    by chance, so that the random story of every other company stays the same."""
    waiting = sorted(
        (
            plan
            for plan in plans
            if plan.declaration.campaign is demo.demo_campaign
            and plan.declaration.status == Declaration.Status.SUBMITTED
            and plan.declaration.company.segment == Company.Segment.MEMBER
        ),
        key=lambda plan: (-plan.declaration.headcount, plan.declaration.company.trade_name),
    )
    if not waiting:
        return
    tenfold, *others = waiting
    tenfold.declaration.export_revenue *= 10
    swapped = next(
        (
            plan
            for plan in others
            if abs(plan.declaration.telework - plan.declaration.on_site) > plan.declaration.headcount * 0.35
        ),
        None,
    )
    if swapped is not None:
        declaration = swapped.declaration
        declaration.on_site, declaration.telework = declaration.telework, declaration.on_site
        swapped.lines = simulation.regional_lines(
            demo.sites[declaration.company.pk],
            {"headcount": declaration.headcount, "on_site": declaration.on_site, "telework": declaration.telework},
        )


def build_declarations(demo: DemoContext) -> str:
    plans = [plan for company_plans in plan_declarations(demo, declaration_measures()) for plan in company_plans]
    _plant_anomalies(demo, plans)
    campaigns = [*demo.closed_campaigns, demo.demo_campaign]
    saved = upsert(
        [plan.declaration for plan in plans],
        key=("campaign_id", "company_id"),
        fields=DECLARATION_FIELDS,
        existing=Declaration.objects.filter(campaign__in=campaigns, company__in=demo.companies),
    )
    ids = [saved[(plan.declaration.campaign_id, plan.declaration.company_id)].pk for plan in plans]
    seeded = Declaration.objects.filter(pk__in=ids)
    line_rows, answer_rows, event_rows = declaration_child_rows(ids, plans)
    lines = [DeclarationRegion(**dict(zip(LINE_COLUMNS, row, strict=True))) for row in line_rows]
    answers = [DeclarationMeasure(**dict(zip(ANSWER_COLUMNS, row, strict=True))) for row in answer_rows]
    events = [DeclarationEvent(**dict(zip(EVENT_COLUMNS, row, strict=True))) for row in event_rows]
    upsert(
        lines,
        key=("declaration_id", "region_id"),
        fields=("headcount", "on_site", "telework"),
        existing=DeclarationRegion.objects.filter(declaration__in=seeded),
        prune=True,
    )
    upsert(
        answers,
        key=("declaration_id", "measure_id"),
        fields=("status", "employees_concerned"),
        existing=DeclarationMeasure.objects.filter(declaration__in=seeded),
        prune=True,
    )
    upsert(
        events,
        key=("declaration_id", "action", "at"),
        fields=("actor_id", "comment", "late"),
        existing=DeclarationEvent.objects.filter(declaration__in=seeded),
        prune=True,
    )
    return _("Déclarations : %(declarations)s, %(lines)s lignes régionales, %(answers)s mesures, %(events)s étapes") % {
        "declarations": len(plans),
        "lines": len(lines),
        "answers": len(answers),
        "events": len(events),
    }


# The columns of a declaration's children, in the order of declaration_child_rows' tuples.
LINE_COLUMNS = ("declaration_id", "region_id", "headcount", "on_site", "telework")
ANSWER_COLUMNS = ("declaration_id", "measure_id", "status", "employees_concerned")
EVENT_COLUMNS = ("declaration_id", "action", "actor_id", "at", "comment", "late")


def declaration_child_rows(
    ids: list[int], plans: list[_DeclarationPlan]
) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """The regional lines, measure answers and review steps of saved declarations (`ids`, in the
    order of `plans`), as rows of LINE_COLUMNS, ANSWER_COLUMNS and EVENT_COLUMNS: plain tuples,
    which demo.scale copies by the million without making a model instance of each."""
    lines, answers, events = [], [], []
    for declaration_id, plan in zip(ids, plans, strict=True):
        lines += [(declaration_id, *line) for line in plan.lines]
        answers += [(declaration_id, *answer) for answer in plan.answers]
        events += [
            (
                declaration_id,
                event.action,
                event.actor.pk,
                event.at,
                event.comment,
                event.action == Declaration.Status.SUBMITTED and plan.declaration.campaign.is_late(event.at),
            )
            for event in plan.events
        ]
    return lines, answers, events


# ---------------------------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------------------------


def build_messages(demo: DemoContext) -> str:
    member, small = demo.demo_companies
    rows = [
        CompanyMessage(company=company, subject=subject, body=body, created_by=demo.staff)
        for company, (subject, body) in (
            (None, sector.MESSAGE_TO_ALL),
            (member, sector.MESSAGE_TO_DEMO_MEMBER),
            (small, sector.MESSAGE_TO_DEMO_SMALL_OPERATOR),
        )
    ]
    upsert(
        rows,
        key=("company_id", "subject"),
        fields=("body", "created_by_id"),
        existing=CompanyMessage.objects.filter(subject__in=[row.subject for row in rows]),
    )
    return _("Messages du personnel : %(count)s") % {"count": len(rows)}
