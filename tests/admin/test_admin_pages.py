"""Every admin page loads for staff, in a number of queries that does not grow with the rows.

Each page is measured with 3 rows and with 30 under the same ceiling: one query per row would
cost at least 27 more, so the margin kept above today's counts cannot hide an N+1.
"""

import datetime
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, User
from measures.models import (
    Campaign,
    Declaration,
    DeclarationEvent,
    DeclarationMeasure,
    DeclarationRegion,
    Measure,
)
from members.models import Company, CompanyMembership, CompanyMessage, Region, SectorFigure, Site
from tests.admin.builders import make_event, make_invitation, make_message
from tests.factories import (
    CampaignFactory,
    CompanyFactory,
    DeclarationFactory,
    DeclarationMeasureFactory,
    DeclarationRegionFactory,
    MeasureFactory,
    MembershipFactory,
    SectorFigureFactory,
    SiteFactory,
    UserFactory,
)

ROW_COUNTS = [3, 30]


def _url(model: type[Model], view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _submitted_declarations(count: int) -> list[Declaration]:
    campaigns = CampaignFactory.create_batch(3)
    return [
        DeclarationFactory(
            campaign=campaigns[i % 3],
            status=Declaration.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for i in range(count)
    ]


def _users(count: int) -> None:
    for membership in MembershipFactory.create_batch(count):
        MembershipFactory(user=membership.user)


def _companies(count: int) -> None:
    for company in CompanyFactory.create_batch(count):
        SiteFactory(company=company)
        MembershipFactory(company=company)


def _campaigns(count: int) -> None:
    for campaign in CampaignFactory.create_batch(count):
        DeclarationFactory(campaign=campaign, status=Declaration.Status.APPROVED)
        DeclarationFactory(campaign=campaign, status=Declaration.Status.SUBMITTED)


def _regional_lines(count: int) -> None:
    regions = list(Region.objects.all())
    for i, declaration in enumerate(_submitted_declarations(count)):
        DeclarationRegionFactory(declaration=declaration, region=regions[i % len(regions)])


def _measure_answers(count: int) -> None:
    measure = Measure.objects.first()
    for declaration in _submitted_declarations(count):
        DeclarationMeasureFactory(declaration=declaration, measure=measure)


def _events(count: int) -> None:
    for declaration in _submitted_declarations(count):
        make_event(declaration, actor=UserFactory())


CHANGELISTS: list[tuple[type[Model], Callable[[int], object], int]] = [
    (User, _users, 8),
    (Group, lambda n: [Group.objects.create(name=f"Groupe {i}") for i in range(n)], 7),
    (Invitation, lambda n: [make_invitation(email=f"contact{i}@example.ma") for i in range(n)], 8),
    (Company, _companies, 8),
    # The twelve regions are fixed: the page is measured as it is.
    (Region, lambda n: None, 7),
    (Site, SiteFactory.create_batch, 8),
    (CompanyMembership, MembershipFactory.create_batch, 7),
    (SectorFigure, SectorFigureFactory.create_batch, 7),
    (CompanyMessage, lambda n: [make_message(company=CompanyFactory()) for _ in range(n)], 9),
    (Campaign, _campaigns, 9),
    # Six more for the quality flags of the page (quality.selectors), fewer once its campaign's
    # segment references are cached.
    (Declaration, _submitted_declarations, 13),
    (DeclarationRegion, _regional_lines, 9),
    (DeclarationMeasure, _measure_answers, 8),
    (DeclarationEvent, _events, 10),
    (Measure, MeasureFactory.create_batch, 7),
]


@pytest.mark.parametrize("rows", ROW_COUNTS)
@pytest.mark.parametrize(
    ("model", "build", "ceiling"), CHANGELISTS, ids=[model._meta.model_name for model, _, _ in CHANGELISTS]
)
def test_changelist_loads_within_a_fixed_query_budget(
    staff_client, django_assert_max_num_queries, model, build, ceiling, rows
):
    build(rows)

    with django_assert_max_num_queries(ceiling):
        response = staff_client.get(_url(model, "changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == model.objects.count()


ADDABLE = [User, Group, Company, Site, CompanyMembership, SectorFigure, CompanyMessage, Campaign, Declaration, Measure]


@pytest.mark.parametrize("model", ADDABLE, ids=[model._meta.model_name for model in ADDABLE])
def test_add_page_loads_within_a_fixed_query_budget(staff_client, django_assert_max_num_queries, model):
    with django_assert_max_num_queries(10):
        response = staff_client.get(_url(model, "add"))

    assert response.status_code == 200


def _company_with(rows: int) -> Company:
    company = CompanyFactory()
    SiteFactory.create_batch(rows, company=company)
    MembershipFactory.create_batch(rows, company=company)
    return company


def _user_with(rows: int) -> User:
    user = UserFactory()
    MembershipFactory.create_batch(rows, user=user)
    return user


def _declaration_with(rows: int) -> Declaration:
    """A submitted declaration with as many regional lines as there are regions (at most 12),
    and `rows` measure answers and events."""
    declaration = DeclarationFactory(status=Declaration.Status.SUBMITTED, submitted_at=timezone.now())
    regions = list(Region.objects.all()[:rows])
    for region in regions:
        DeclarationRegionFactory(declaration=declaration, region=region, headcount=1, on_site=0, telework=0)
    measures = list(Measure.objects.all()[:rows])
    measures += MeasureFactory.create_batch(rows - len(measures))
    for measure in measures:
        DeclarationMeasureFactory(declaration=declaration, measure=measure)
    for _ in range(rows):
        make_event(declaration, actor=UserFactory())
    return declaration


def _campaign_with(rows: int) -> Campaign:
    campaign = CampaignFactory()
    DeclarationFactory.create_batch(rows, campaign=campaign)
    return campaign


# Every admin page also reads the device that verified the session's second factor (django-otp).
CHANGE_PAGES: list[tuple[type[Model], Callable[[int], Model], int]] = [
    (User, _user_with, 12),
    (Company, _company_with, 10),
    # Six or seven more for the comparison with the previous declaration and the quality flags
    # (three or four once the campaign's segment references are cached).
    (Declaration, _declaration_with, 22),
    (Campaign, _campaign_with, 6),
    (Site, lambda n: SiteFactory(), 8),
    (CompanyMembership, lambda n: MembershipFactory(), 8),
    (SectorFigure, lambda n: SectorFigureFactory(), 6),
    (CompanyMessage, lambda n: make_message(company=CompanyFactory()), 8),
    (Measure, lambda n: MeasureFactory(), 6),
    (Region, lambda n: Region.objects.get(code="MA-06"), 6),
    (Invitation, lambda n: make_invitation(), 8),
    (DeclarationRegion, lambda n: DeclarationRegionFactory(), 9),
    (DeclarationMeasure, lambda n: DeclarationMeasureFactory(), 9),
    (DeclarationEvent, lambda n: make_event(DeclarationFactory(), actor=UserFactory()), 9),
]


@pytest.mark.parametrize("rows", ROW_COUNTS)
@pytest.mark.parametrize(
    ("model", "build", "ceiling"), CHANGE_PAGES, ids=[model._meta.model_name for model, _, _ in CHANGE_PAGES]
)
def test_change_page_loads_within_a_fixed_query_budget(
    staff_client, django_assert_max_num_queries, model, build, ceiling, rows
):
    obj = build(rows)

    with django_assert_max_num_queries(ceiling):
        response = staff_client.get(_url(model, "change", obj.pk))

    assert response.status_code == 200


HISTORY_TRACKED = [
    (Company, CompanyFactory),
    (Site, SiteFactory),
    (CompanyMembership, MembershipFactory),
    (Declaration, DeclarationFactory),
    (DeclarationRegion, DeclarationRegionFactory),
    (DeclarationMeasure, DeclarationMeasureFactory),
]


@pytest.mark.parametrize(("model", "factory"), HISTORY_TRACKED, ids=[m._meta.model_name for m, _ in HISTORY_TRACKED])
def test_history_page_lists_the_changes(staff_client, model, factory):
    obj = factory()

    response = staff_client.get(_url(model, "history", obj.pk))

    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 1


def test_admin_index_lists_the_apps_in_french(staff_client):
    response = staff_client.get(reverse("admin:index"))

    content = response.content.decode()
    assert "Administration de la plateforme AMRC" in content
    assert "Entreprises" in content
    assert "Déclarations" in content


def test_a_declaration_event_page_is_read_only(staff_client):
    event = make_event(DeclarationFactory(), actor=UserFactory())

    response = staff_client.post(_url(DeclarationEvent, "change", event.pk), {"comment": "réécrit"})

    assert response.status_code == 403


@pytest.mark.parametrize("model", [Region, Invitation, DeclarationRegion, DeclarationMeasure, DeclarationEvent])
def test_rows_written_elsewhere_cannot_be_added_here(staff_client, model):
    response = staff_client.get(_url(model, "add"))

    assert response.status_code == 403


def test_a_region_cannot_be_deleted(staff_client):
    region = Region.objects.get(code="MA-06")

    response = staff_client.post(_url(Region, "delete", region.pk), {"post": "yes"})

    assert response.status_code == 403
    assert Region.objects.filter(code="MA-06").exists()


def test_an_invitation_page_never_shows_the_token_hash(staff_client):
    invitation = make_invitation(expires_at=timezone.now() + datetime.timedelta(days=1))

    response = staff_client.get(_url(Invitation, "change", invitation.pk))

    assert invitation.token_hash not in response.content.decode()
    assert "empreinte" not in response.content.decode()
