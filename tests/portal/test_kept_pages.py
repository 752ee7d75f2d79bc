"""The member's dashboard and declaration page are kept rendered per user (portal.page_cache), and
whatever the member, a colleague or staff change shows at the next request all the same."""

import datetime

import pytest
from django.test import Client

from measures.models import Campaign, Declaration
from measures.services import declaration_approve, declaration_return
from members.models import CompanyMessage, Region
from tests.factories import CampaignFactory, DeclarationFactory, MembershipFactory, SiteFactory
from tests.login import log_in
from tests.portal.declaration_data import AFTER_LOCK_DATE, declaration_post_data

DASHBOARD = "/espace/"


def _url(declaration: Declaration) -> str:
    return f"/espace/declarations/{declaration.pk}/"


def _page(client: Client, url: str = DASHBOARD) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def draft(campaign, company_a):
    return DeclarationFactory(campaign=campaign, company=company_a)


@pytest.fixture
def submitted(campaign, company_a):
    return DeclarationFactory(
        campaign=campaign,
        company=company_a,
        status=Declaration.Status.SUBMITTED,
        submitted_at=datetime.datetime(2020, 3, 24, 9, 0, tzinfo=datetime.UTC),
    )


# The dashboard


def test_a_draft_saved_by_the_member_shows_on_the_dashboard_at_once(declarant_a_client, campaign, company_a):
    assert "Commencer la déclaration" in _page(declarant_a_client)

    declarant_a_client.post(f"/espace/campagnes/{campaign.pk}/declarer/", {"company": company_a.pk})

    assert "Continuer" in _page(declarant_a_client)


def test_an_approval_by_staff_shows_on_the_dashboard_at_once(declarant_a_client, staff_user, submitted):
    assert "Soumise" in _page(declarant_a_client)

    declaration_approve(declaration=submitted, user=staff_user)

    assert "Validée" in _page(declarant_a_client)


def test_a_new_campaign_shows_at_once(declarant_a_client, campaign):
    _page(declarant_a_client)

    CampaignFactory(title="Semaine du 23 mars 2020", period_start=datetime.date(2020, 3, 16))

    assert "Semaine du 23 mars 2020" in _page(declarant_a_client)


def test_a_renamed_campaign_shows_at_once(declarant_a_client, campaign):
    _page(declarant_a_client)

    campaign.title = "Semaine du 16 mars 2020 (corrigée)"
    campaign.save()

    assert "Semaine du 16 mars 2020 (corrigée)" in _page(declarant_a_client)


def test_a_closed_campaign_leaves_the_dashboard_at_once(declarant_a_client, campaign):
    _page(declarant_a_client)

    campaign.status = Campaign.Status.CLOSED
    campaign.save(update_fields=["status"])

    assert "Aucune campagne de collecte n'est ouverte en ce moment." in _page(declarant_a_client)


def test_a_renamed_company_shows_at_once(declarant_a_client, company_a):
    _page(declarant_a_client)

    company_a.trade_name = "Atlas Contact Maroc"
    company_a.save()

    assert "Atlas Contact Maroc" in _page(declarant_a_client)


def test_a_site_added_renamed_or_removed_shows_at_once(declarant_a_client, company_a):
    _page(declarant_a_client)

    site = SiteFactory(company=company_a, name="Casanearshore")
    assert "Casanearshore" in _page(declarant_a_client)

    site.name = "Technopolis"
    site.save()
    assert "Technopolis" in _page(declarant_a_client)

    site.delete()
    assert "Technopolis" not in _page(declarant_a_client)


def test_a_renamed_region_shows_at_once(declarant_a_client, company_a):
    site = SiteFactory(company=company_a, name="Casanearshore")
    _page(declarant_a_client)

    region = Region.objects.get(pk=site.region_id)
    region.name_fr = "Grand Casablanca-Settat"
    region.save()

    assert "Grand Casablanca-Settat" in _page(declarant_a_client)


def test_a_message_posted_edited_or_removed_shows_at_once(declarant_a_client, company_a):
    _page(declarant_a_client)

    message = CompanyMessage.objects.create(company=company_a, subject="Rappel", body="Déclarez avant vendredi.")
    assert "Déclarez avant vendredi." in _page(declarant_a_client)

    message.body = "Déclarez avant jeudi."
    message.save()
    assert "Déclarez avant jeudi." in _page(declarant_a_client)

    message.delete()
    assert "Déclarez avant jeudi." not in _page(declarant_a_client)


def test_a_message_to_all_companies_shows_at_once(declarant_a_client):
    _page(declarant_a_client)

    CompanyMessage.objects.create(company=None, subject="Webinaire", body="Webinaire sur le télétravail mardi.")

    assert "Webinaire sur le télétravail mardi." in _page(declarant_a_client)


def test_a_company_the_member_joins_shows_at_once(declarant_a_client, declarant_a, company_b):
    _page(declarant_a_client)

    MembershipFactory(user=declarant_a, company=company_b)

    assert company_b.trade_name in _page(declarant_a_client)


def test_a_company_the_member_leaves_goes_at_once(declarant_a_client, declarant_a, company_a):
    _page(declarant_a_client)

    declarant_a.memberships.get(company=company_a).delete()

    assert company_a.trade_name not in _page(declarant_a_client)


def test_the_collection_closing_on_its_lock_date_shows_the_next_day(
    declarant_a_client, declarant_a, campaign, collection_day
):
    assert "Commencer la déclaration" in _page(declarant_a_client)

    collection_day.move_to(AFTER_LOCK_DATE)
    # Days later: the session has ended meanwhile.
    log_in(declarant_a_client, declarant_a)

    assert "Collecte fermée" in _page(declarant_a_client)


def test_a_message_is_shown_once_then_the_kept_page_without_it(declarant_a_client, company_a):
    _page(declarant_a_client)
    closed = CampaignFactory(status=Campaign.Status.CLOSED, period_start=datetime.date(2020, 3, 9))

    # Refused, with a message on the dashboard; nothing is written.
    declarant_a_client.post(f"/espace/campagnes/{closed.pk}/declarer/", {"company": company_a.pk})

    assert "alert-danger" in _page(declarant_a_client)
    assert "alert-danger" not in _page(declarant_a_client)


def test_a_colleague_gets_a_page_with_their_own_name(declarant_a_client, company_admin_a):
    _page(declarant_a_client)
    company_admin_a.full_name = "Salma Colleague"
    company_admin_a.save()

    page = _page(log_in(Client(), company_admin_a))

    assert "Salma" in page


def test_another_companys_user_never_gets_a_kept_page(declarant_a_client, declarant_b_client, company_a):
    _page(declarant_a_client)

    page = _page(declarant_b_client)

    assert company_a.trade_name not in page


def test_each_language_has_its_own_page(declarant_a_client):
    _page(declarant_a_client)

    assert 'lang="en"' in _page(declarant_a_client, f"/en{DASHBOARD}").split(">", 2)[1]


def test_a_kept_page_carries_a_token_of_the_new_login(declarant_a, campaign, company_a):
    first = log_in(Client(enforce_csrf_checks=True), declarant_a)
    _page(first)
    # A new login in another browser makes a new CSRF secret: the kept page's token must not be
    # the first browser's.
    second = log_in(Client(enforce_csrf_checks=True), declarant_a)

    page = _page(second)
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = second.post(
        f"/espace/campagnes/{campaign.pk}/declarer/", {"company": company_a.pk, "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert Declaration.objects.filter(campaign=campaign, company=company_a).exists()


# The declaration page


def test_a_return_by_staff_shows_on_the_declaration_page_at_once(declarant_a_client, staff_user, submitted):
    _page(declarant_a_client, _url(submitted))

    declaration_return(declaration=submitted, user=staff_user, comment="Le total régional ne correspond pas.")

    assert "Le total régional ne correspond pas." in _page(declarant_a_client, _url(submitted))


def test_a_draft_saved_in_another_tab_shows_at_once(declarant_a_client, draft):
    _page(declarant_a_client, _url(draft))

    declarant_a_client.post(_url(draft), declaration_post_data(draft, figures={"hires": 17}))

    assert 'name="hires" value="17"' in _page(declarant_a_client, _url(draft))


def test_a_renamed_campaign_shows_on_the_declaration_page_at_once(declarant_a_client, campaign, draft):
    _page(declarant_a_client, _url(draft))

    campaign.title = "Semaine du 16 mars 2020 (corrigée)"
    campaign.save()

    assert "Semaine du 16 mars 2020 (corrigée)" in _page(declarant_a_client, _url(draft))


def test_another_companys_declaration_is_not_found_even_when_kept(declarant_a_client, declarant_b_client, draft):
    _page(declarant_a_client, _url(draft))

    assert declarant_b_client.get(_url(draft)).status_code == 404
