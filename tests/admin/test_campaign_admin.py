import html

from django.urls import reverse

from measures.models import Campaign, Declaration
from tests.admin.builders import admin_form_data
from tests.factories import CampaignFactory, DeclarationFactory

CHANGELIST = reverse("admin:measures_campaign_changelist")


def test_the_campaign_list_counts_declarations_by_status(staff_client):
    campaign = CampaignFactory()
    DeclarationFactory.create_batch(2, campaign=campaign, status=Declaration.Status.SUBMITTED)
    DeclarationFactory(campaign=campaign, status=Declaration.Status.APPROVED)
    DeclarationFactory(campaign=CampaignFactory(), status=Declaration.Status.SUBMITTED)

    response = staff_client.get(CHANGELIST)

    listed = next(row for row in response.context["cl"].result_list if row.pk == campaign.pk)
    assert (listed.n_draft, listed.n_submitted, listed.n_returned, listed.n_approved) == (0, 2, 0, 1)


def test_staff_filter_campaigns_by_status(staff_client):
    CampaignFactory(title="Semaine ouverte", status=Campaign.Status.OPEN)
    CampaignFactory(title="Semaine close", status=Campaign.Status.CLOSED)

    response = staff_client.get(CHANGELIST, {"status__exact": Campaign.Status.CLOSED})

    assert [campaign.title for campaign in response.context["cl"].result_list] == ["Semaine close"]


def test_a_campaign_whose_dates_are_out_of_order_is_refused_in_french(staff_client):
    campaign = CampaignFactory()
    url = reverse("admin:measures_campaign_change", args=[campaign.pk])
    page = staff_client.get(url)

    response = staff_client.post(url, admin_form_data(page, locks_on="2020-03-01"))

    assert response.status_code == 200
    assert "Les dates doivent se suivre" in html.unescape(response.content.decode())
