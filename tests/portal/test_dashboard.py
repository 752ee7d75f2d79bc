import datetime

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from measures.models import Campaign, Declaration
from measures.selectors import DASHBOARD_PAST_LIMIT
from members.models import Company, CompanyMessage
from tests.factories import CampaignFactory, CompanyFactory, DeclarationFactory, MembershipFactory, SiteFactory, region
from tests.login import log_in


def test_anonymous_visitors_are_sent_to_log_in(anonymous_client, db):
    response = anonymous_client.get("/espace/")

    assertRedirects(response, "/connexion/?next=/espace/", fetch_redirect_response=False)


def test_staff_are_sent_to_the_admin(staff_client):
    response = staff_client.get("/espace/")

    assertRedirects(response, "/admin/", fetch_redirect_response=False)


def test_it_shows_my_company_with_its_segment_formality_and_sites(declarant_a_client, company_a):
    SiteFactory(company=company_a, name="Plateau Anfa", city="Casablanca", region=region("MA-06"), workstations=120)

    response = declarant_a_client.get("/espace/")

    assertContains(response, "Atlas Contact")
    assertContains(response, "Membre AMRC")
    assertContains(response, "Formelle (vérifiée)")
    assertContains(response, "Plateau Anfa (Casablanca, Casablanca-Settat) : 120 postes")


def test_it_links_to_my_companys_team_page(declarant_a_client, company_a):
    response = declarant_a_client.get("/espace/")

    assertContains(response, f'href="/compte/entreprises/{company_a.pk}/equipe/"')


def test_an_open_campaign_shows_its_due_date_and_a_start_button(declarant_a_client, campaign):
    response = declarant_a_client.get("/espace/")

    assertContains(response, "Semaine du 16 mars 2020")
    assertContains(response, "26/03/2020")
    assertContains(response, "Pas commencée")
    assertContains(response, f'action="/espace/campagnes/{campaign.pk}/declarer/"')


def test_a_started_declaration_shows_its_status_and_a_link_to_continue(declarant_a_client, campaign, company_a):
    declaration = DeclarationFactory(campaign=campaign, company=company_a)

    response = declarant_a_client.get("/espace/")

    assertContains(response, "Brouillon")
    assertContains(response, f'href="/espace/declarations/{declaration.pk}/"')
    assertContains(response, "Continuer")


def test_a_submitted_declaration_can_only_be_viewed(declarant_a_client, campaign, company_a):
    DeclarationFactory(campaign=campaign, company=company_a, status=Declaration.Status.SUBMITTED)

    response = declarant_a_client.get("/espace/")

    assertContains(response, "Soumise")
    assertContains(response, "Voir")
    assertNotContains(response, "Continuer")


def test_a_campaign_past_its_lock_date_offers_no_start_button(
    declarant_a_client, declarant_a, collection_day, campaign
):
    collection_day.move_to(datetime.datetime(2020, 4, 3, 10, tzinfo=datetime.UTC))
    # Seventeen days later the first session has long expired.
    log_in(declarant_a_client, declarant_a)

    response = declarant_a_client.get("/espace/")

    assertContains(response, "Collecte fermée")
    assertNotContains(response, "Commencer la déclaration")


def test_past_declarations_are_listed(declarant_a_client, company_a):
    closed = CampaignFactory(title="Semaine du 9 mars 2020", status=Campaign.Status.CLOSED)
    DeclarationFactory(campaign=closed, company=company_a, status=Declaration.Status.APPROVED)

    response = declarant_a_client.get("/espace/")

    assertContains(response, "Semaine du 9 mars 2020")
    assertContains(response, "Validée")


def _closed_weeks(company, weeks: int) -> list[Declaration]:
    declarations = []
    for index in range(weeks):
        start = datetime.date(2020, 3, 16) + datetime.timedelta(weeks=index)
        campaign = CampaignFactory(title=f"Semaine n° {index + 1}", period_start=start, status=Campaign.Status.CLOSED)
        declarations.append(DeclarationFactory(campaign=campaign, company=company))
    return declarations


def test_only_the_last_weeks_are_listed_with_a_link_to_the_others(declarant_a_client, company_a):
    _closed_weeks(company_a, DASHBOARD_PAST_LIMIT + 2)

    page = declarant_a_client.get("/espace/").content.decode()

    listed = [f"Semaine n° {week}<" in page for week in range(1, DASHBOARD_PAST_LIMIT + 3)]
    assert listed == [False, False] + [True] * DASHBOARD_PAST_LIMIT
    assert 'href="/espace/declarations/">Toutes mes déclarations</a>' in page


def test_no_link_to_the_history_when_every_week_is_listed(declarant_a_client, company_a):
    _closed_weeks(company_a, DASHBOARD_PAST_LIMIT)

    assertNotContains(declarant_a_client.get("/espace/"), "Toutes mes déclarations")


def test_an_open_campaign_does_not_take_a_past_weeks_place(declarant_a_client, company_a, campaign):
    DeclarationFactory(campaign=campaign, company=company_a)
    _closed_weeks(company_a, DASHBOARD_PAST_LIMIT)

    page = declarant_a_client.get("/espace/").content.decode()

    assert all(f"Semaine n° {week}<" in page for week in range(1, DASHBOARD_PAST_LIMIT + 1))
    assert "Toutes mes déclarations" not in page


def test_another_companys_declarations_are_not_shown(declarant_a_client, company_b):
    closed = CampaignFactory(title="Semaine secrète", status=Campaign.Status.CLOSED)
    DeclarationFactory(campaign=closed, company=company_b)

    response = declarant_a_client.get("/espace/")

    assertNotContains(response, "Semaine secrète")


def test_it_shows_staff_messages_for_my_company_and_for_all(declarant_a_client, company_a, company_b):
    CompanyMessage.objects.create(company=company_a, subject="Pour Atlas", body="Bonjour")
    CompanyMessage.objects.create(company=None, subject="Pour tous", body="Bonjour")
    CompanyMessage.objects.create(company=company_b, subject="Pour Bahia", body="Bonjour")

    response = declarant_a_client.get("/espace/")

    assertContains(response, "Pour Atlas")
    assertContains(response, "Pour tous")
    assertNotContains(response, "Pour Bahia")


def test_a_user_of_two_companies_sees_each(declarant_a_client, declarant_a, company_b, campaign):
    MembershipFactory(user=declarant_a, company=company_b)

    response = declarant_a_client.get("/espace/")

    assertContains(response, "Atlas Contact")
    assertContains(response, "Bahia Relation Client")
    assertContains(response, f'name="company" value="{company_b.pk}"')


def test_a_pending_registration_says_it_awaits_validation(client, db):
    user = MembershipFactory(company=CompanyFactory(registration_status=Company.RegistrationStatus.PENDING)).user
    client.force_login(user)

    response = client.get("/espace/")

    assertContains(response, "en attente de validation")


def _fill_dashboard(company, campaigns: int) -> None:
    for index in range(campaigns):
        start = datetime.date(2020, 1, 6) + datetime.timedelta(weeks=index)
        campaign = CampaignFactory(period_start=start, status=Campaign.Status.OPEN if index % 2 else "closed")
        DeclarationFactory(campaign=campaign, company=company)
        SiteFactory(company=company)
    CompanyMessage.objects.create(company=company, subject="Rappel", body="Merci")


@pytest.fixture(params=[1, 10])
def two_full_companies(request, declarant_a, company_a, company_b):
    """The declarant's two companies, each with 1 or 10 campaigns of declarations and sites."""
    MembershipFactory(user=declarant_a, company=company_b)
    _fill_dashboard(company_a, request.param)
    _fill_dashboard(company_b, request.param)


@pytest.mark.usefixtures("two_full_companies")
def test_the_dashboard_runs_in_a_fixed_number_of_queries(declarant_a_client, django_assert_max_num_queries):
    # Session and user, the page's state (portal.page_state), then companies, their sites, open
    # campaigns, declarations, messages, and the latest published bulletin for the sector
    # comparison panel (none here).
    with django_assert_max_num_queries(9):
        response = declarant_a_client.get("/espace/")
    assert response.status_code == 200


@pytest.mark.usefixtures("two_full_companies")
def test_the_dashboard_read_again_runs_in_three_queries(declarant_a_client, django_assert_max_num_queries):
    first = declarant_a_client.get("/espace/")

    # Session, user and the page's state: the page itself is kept (portal.page_cache).
    with django_assert_max_num_queries(3):
        again = declarant_a_client.get("/espace/")
    assert again.content == first.content


def test_a_site_counts_its_workstations_as_grouped_postes(declarant_a_client, company_a):
    SiteFactory(company=company_a, name="Casanearshore", workstations=2126)

    assertContains(
        declarant_a_client.get("/espace/"), "Casanearshore (Casablanca, Casablanca-Settat) : 2\xa0126 postes"
    )
