"""Factories for the whole domain: tests build their data here, never from JSON fixtures."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import User
from accounts.tokens import invitation_token_hash
from bulletins.models import Bulletin, BulletinRevision
from measures.models import Campaign, Declaration, DeclarationMeasure, DeclarationRegion, Measure
from members.models import Company, CompanyMembership, Region, SectorFigure, Site
from tests.bulletins.snapshots import make_snapshot

DEFAULT_PASSWORD = "Mot-de-passe-solide-2020"


def valid_ice(n: int) -> str:
    base = f"{n:013d}"
    # stdnum.ma.ice wants the whole 15 digits to be a multiple of 97 (not ISO 7064's remainder 1).
    return base + f"{(-int(base) * 100) % 97:02d}"


def region(code: str = "MA-06") -> Region:
    return Region.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.ma")
    full_name = factory.Faker("name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffUserFactory(UserFactory):
    is_staff = True
    is_superuser = True


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    trade_name = factory.Sequence(lambda n: f"Centre d'appels {n}")
    legal_name = factory.LazyAttribute(lambda o: f"{o.trade_name} SARL")
    ice = factory.Sequence(lambda n: valid_ice(1000 + n))
    rc_number = factory.Sequence(lambda n: f"RC{100000 + n}")
    cnss_number = factory.Sequence(lambda n: f"{7000000 + n}")
    city = "Casablanca"
    region = factory.LazyFunction(region)
    segment = Company.Segment.MEMBER
    formality = Company.Formality.FORMAL
    registered_headcount = 100


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Plateau {n}")
    city = "Casablanca"
    region = factory.LazyFunction(region)
    workstations = 50


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyMembership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = CompanyMembership.Role.DECLARANT


class SectorFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SectorFigure

    key = factory.Sequence(lambda n: f"figure-{n}")
    label = "Emplois"
    value = Decimal("80000")
    unit = "emplois"
    year = "2019"
    source = "AMRC"


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"Semaine {n}")
    period_start = datetime.date(2020, 3, 16)
    period_end = factory.LazyAttribute(lambda o: o.period_start + datetime.timedelta(days=6))
    opens_on = factory.LazyAttribute(lambda o: o.period_end + datetime.timedelta(days=1))
    due_on = factory.LazyAttribute(lambda o: o.opens_on + datetime.timedelta(days=3))
    locks_on = factory.LazyAttribute(lambda o: o.due_on + datetime.timedelta(days=7))
    status = Campaign.Status.OPEN


class DeclarationFactory(factory.django.DjangoModelFactory):
    """A complete, consistent declaration: 100 employees, 40 on site, 50 in telework."""

    class Meta:
        model = Declaration

    campaign = factory.SubFactory(CampaignFactory)
    company = factory.SubFactory(CompanyFactory)
    status = Declaration.Status.DRAFT
    headcount = 100
    on_site = 40
    telework = 50
    technical_unemployment = 5
    other_absence = 5
    hires = 2
    separations = 3
    dismissals = 1
    export_revenue = Decimal("1500000.00")
    activity_maintained_pct = 80
    submitted_at = None
    # What declaration_submit stores, for declarations built here with their submission time.
    is_late = factory.LazyAttribute(lambda o: o.submitted_at is not None and o.campaign.is_late(o.submitted_at))


class DeclarationRegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeclarationRegion

    declaration = factory.SubFactory(DeclarationFactory)
    region = factory.LazyFunction(region)
    headcount = factory.LazyAttribute(lambda o: o.declaration.headcount)
    on_site = factory.LazyAttribute(lambda o: o.declaration.on_site)
    telework = factory.LazyAttribute(lambda o: o.declaration.telework)


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    code = factory.Sequence(lambda n: f"measure-{n}")
    category = Measure.Category.SANITARY
    name_fr = factory.Sequence(lambda n: f"Mesure {n}")


class DeclarationMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeclarationMeasure

    declaration = factory.SubFactory(DeclarationFactory)
    measure = factory.SubFactory(MeasureFactory)
    status = DeclarationMeasure.Status.IN_PLACE


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation; its token is `factory-token-<n>` (tests that open the link use
    accounts.services.invitation_send, which e-mails the real one)."""

    class Meta:
        model = "accounts.Invitation"

    email = factory.Sequence(lambda n: f"invite{n}@example.ma")
    company = factory.SubFactory(CompanyFactory)
    role = CompanyMembership.Role.DECLARANT
    token_hash = factory.Sequence(lambda n: invitation_token_hash(f"factory-token-{n}"))
    invited_by = factory.SubFactory(StaffUserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))


class BulletinFactory(factory.django.DjangoModelFactory):
    """A draft bulletin; publish it with bulletins.services, or give it revisions below."""

    class Meta:
        model = Bulletin

    campaign = factory.SubFactory(CampaignFactory, status=Campaign.Status.CLOSED)
    title = factory.LazyAttribute(lambda o: f"Bulletin – {o.campaign.title}")
    slug = factory.Sequence(lambda n: f"bulletin-{n}")
    editorial = "La part du **télétravail** progresse."
    created_by = factory.SubFactory(StaffUserFactory)


class BulletinRevisionFactory(factory.django.DjangoModelFactory):
    """A stored revision holding a hand-made snapshot (tests/bulletins/snapshots.py), for testing
    the pages and files on known figures without running the aggregation."""

    class Meta:
        model = BulletinRevision

    bulletin = factory.SubFactory(BulletinFactory, status=Bulletin.Status.PUBLISHED)
    number = 1
    title = factory.LazyAttribute(lambda o: o.bulletin.title)
    editorial = factory.LazyAttribute(lambda o: o.bulletin.editorial)
    snapshot = factory.LazyAttribute(lambda o: make_snapshot(campaign=o.bulletin.campaign))
    internal = factory.LazyFunction(lambda: {"rules": {"threshold": 3}, "declarations": []})
    correction_note = factory.LazyAttribute(lambda o: "" if o.number == 1 else f"Correction n° {o.number}.")
    published_at = factory.LazyFunction(timezone.now)
    published_by = factory.SubFactory(StaffUserFactory)
