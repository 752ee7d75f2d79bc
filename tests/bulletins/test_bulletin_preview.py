import pytest

from bulletins.services import bulletin_create, bulletin_publish
from tests.bulletins.publication_data import approve_declarations, closed_campaign, registry


@pytest.fixture
def draft(staff_user):
    campaign = closed_campaign(week=1)
    approve_declarations(campaign, registry(), telework=50)
    return bulletin_create(campaign=campaign, user=staff_user, title="Bulletin en préparation", editorial="Brouillon.")


def test_staff_see_an_unpublished_bulletin_at_its_address_as_a_preview(staff_client, draft):
    response = staff_client.get(f"/bulletins/{draft.slug}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Bulletin en préparation" in page
    assert "ce bulletin n'est pas publié" in page


def test_the_preview_uses_the_public_template(staff_client, draft):
    response = staff_client.get(f"/bulletins/{draft.slug}/apercu/")

    assert "bulletins/bulletin_detail.html" in [template.name for template in response.templates]


def test_the_preview_shows_the_figures_computed_now(staff_client, draft):
    page = staff_client.get(f"/bulletins/{draft.slug}/apercu/").content.decode()

    assert "50,0 %" in page


def test_the_preview_of_a_published_bulletin_shows_the_correction_while_the_public_page_does_not(
    staff_client, anonymous_client, staff_user, draft
):
    bulletin_publish(bulletin=draft, user=staff_user)
    for declaration in draft.campaign.declarations.all():
        declaration.telework, declaration.on_site = 70, 20
        declaration.save()

    preview = staff_client.get(f"/bulletins/{draft.slug}/apercu/").content.decode()
    public = anonymous_client.get(f"/bulletins/{draft.slug}/").content.decode()

    assert "70,0 %" in preview
    assert "70,0 %" not in public
    assert "50,0 %" in public


def test_the_preview_offers_no_download_of_unpublished_figures(staff_client, draft):
    page = staff_client.get(f"/bulletins/{draft.slug}/apercu/").content.decode()

    assert "bulletin.csv" not in page
