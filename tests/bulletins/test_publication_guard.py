"""The publication guard: a campaign still open, or a response below the floors, is published
only on explicit confirmation, and the revision says it is provisional everywhere it is read."""

import csv
import io
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings

from bulletins.guard import publication_guard
from bulletins.models import Bulletin, BulletinRevision
from bulletins.services import bulletin_create, bulletin_publish
from measures.models import Campaign
from tests.bulletins.publication_data import approve_declarations, closed_campaign, registry
from tests.factories import CampaignFactory, CompanyFactory


@pytest.fixture
def companies(db):
    return registry()


def _bulletin(staff_user, campaign) -> Bulletin:
    return bulletin_create(campaign=campaign, user=staff_user, title=f"Bulletin {campaign.pk}", editorial="Texte.")


@pytest.fixture
def open_bulletin(staff_user, companies):
    campaign = CampaignFactory(title="Semaine du 23 mars 2020", status=Campaign.Status.OPEN)
    approve_declarations(campaign, companies)
    return _bulletin(staff_user, campaign)


@pytest.fixture
def thin_bulletin(staff_user, companies):
    """A closed week where a large silent company leaves most of the registered workforce out."""
    CompanyFactory(segment="member", registered_headcount=5000)
    campaign = closed_campaign(week=1)
    approve_declarations(campaign, companies)
    return _bulletin(staff_user, campaign)


@pytest.fixture
def final_bulletin(staff_user, companies):
    campaign = closed_campaign(week=1)
    approve_declarations(campaign, companies)
    return _bulletin(staff_user, campaign)


@time_machine.travel("2020-03-25 12:00 +01:00")
def test_an_open_campaign_is_not_published_without_confirmation(staff_user, open_bulletin):
    with pytest.raises(ValidationError) as error:
        bulletin_publish(bulletin=open_bulletin, user=staff_user)

    assert "confirm_provisional" in error.value.error_dict
    assert "campagne ouverte jusqu'au" in str(error.value)
    assert not BulletinRevision.objects.exists()
    open_bulletin.refresh_from_db()
    assert open_bulletin.status == Bulletin.Status.DRAFT


@time_machine.travel("2020-03-25 12:00 +01:00")
def test_a_confirmed_publication_of_an_open_campaign_is_provisional(staff_user, open_bulletin):
    revision = bulletin_publish(bulletin=open_bulletin, user=staff_user, confirm_provisional=True)

    assert revision.provisional
    assert revision.snapshot["provisional"] == {
        "reasons": [{"code": "campaign_open", "due_on": open_bulletin.campaign.due_on.isoformat(), "due_passed": False}]
    }
    assert revision.internal["provisional"]["rules_version"] == 1
    assert revision.internal["provisional"]["floors"] == {"workforce_coverage": 70, "company_response": 25}


def test_a_response_below_the_workforce_floor_is_provisional_with_its_coverage(staff_user, thin_bulletin):
    guard = publication_guard(campaign=thin_bulletin.campaign)

    # 5 members of 100 and 3 small operators of 20 registered: 560 of 5,560.
    assert guard.reasons == ({"code": "workforce_coverage", "value": 0.1007, "floor": 0.7},)
    with pytest.raises(ValidationError):
        bulletin_publish(bulletin=thin_bulletin, user=staff_user)
    revision = bulletin_publish(bulletin=thin_bulletin, user=staff_user, confirm_provisional=True)
    assert revision.provisional
    assert revision.internal["provisional"]["reasons"] == list(guard.reasons)


def test_the_public_reason_does_not_print_a_coverage_the_response_table_suppresses(staff_user, thin_bulletin):
    revision = bulletin_publish(bulletin=thin_bulletin, user=staff_user, confirm_provisional=True)

    total = next(row for row in revision.snapshot["response"]["rows"] if row["key"] == "total")
    (reason,) = revision.snapshot["provisional"]["reasons"]
    if (total.get("flags") or {}).get("workforce_coverage"):
        assert reason["value"] is None
    else:
        assert reason["value"] == total["workforce_coverage"]


@override_settings(BULLETIN_MIN_COMPANY_RESPONSE=90)
def test_a_company_response_below_its_floor_is_provisional(staff_user, companies):
    campaign = closed_campaign(week=1)
    approve_declarations(campaign, companies[:6])

    guard = publication_guard(campaign=campaign)

    assert [reason["code"] for reason in guard.reasons] == ["company_response"]
    assert guard.reasons[0]["value"] == 0.75


def test_a_closed_campaign_with_enough_response_is_final(staff_user, final_bulletin):
    revision = bulletin_publish(bulletin=final_bulletin, user=staff_user)

    assert not revision.provisional
    assert revision.snapshot["provisional"] is None
    assert revision.internal["provisional"]["reasons"] == []


@time_machine.travel("2020-03-25 12:00 +01:00")
def test_a_correction_after_the_campaign_closes_is_no_longer_provisional(staff_user, open_bulletin):
    bulletin_publish(bulletin=open_bulletin, user=staff_user, confirm_provisional=True)
    Campaign.objects.filter(pk=open_bulletin.campaign_id).update(status=Campaign.Status.CLOSED)
    open_bulletin.refresh_from_db()

    correction = bulletin_publish(bulletin=open_bulletin, user=staff_user, note="Campagne clôturée.")

    assert correction.number == 2
    assert not correction.provisional


# The staff's publication page.


def _publish_url(bulletin: Bulletin) -> str:
    return f"/admin/bulletins/bulletin/{bulletin.pk}/publier/"


@time_machine.travel("2020-03-25 12:00 +01:00", tick=False)
def test_the_publication_page_says_why_the_bulletin_would_be_provisional(staff_client, open_bulletin):
    page = staff_client.get(_publish_url(open_bulletin)).content.decode()

    assert "Ce bulletin serait publié comme provisoire" in page
    assert "campagne ouverte jusqu&#x27;au" in page
    assert 'name="confirm_provisional"' in page


def test_the_publication_page_of_a_final_bulletin_asks_no_confirmation(staff_client, final_bulletin):
    page = staff_client.get(_publish_url(final_bulletin)).content.decode()

    assert 'name="confirm_provisional"' not in page


@time_machine.travel("2020-03-25 12:00 +01:00", tick=False)
def test_without_the_box_ticked_nothing_is_published_and_the_field_says_so(staff_client, open_bulletin):
    response = staff_client.post(_publish_url(open_bulletin), {"note": ""})

    assert response.status_code == 200
    assert "Cochez la case pour le publier comme tel" in response.content.decode().replace("cochez", "Cochez")
    assert response.context["form"].errors["confirm_provisional"]
    assert not BulletinRevision.objects.exists()


@time_machine.travel("2020-03-25 12:00 +01:00", tick=False)
def test_with_the_box_ticked_the_provisional_bulletin_is_published(staff_client, open_bulletin):
    response = staff_client.post(_publish_url(open_bulletin), {"note": "", "confirm_provisional": "on"})

    assert response.status_code == 302
    assert open_bulletin.revisions.get().provisional


# What readers see.


@pytest.fixture
def provisional_revision(staff_user, thin_bulletin):
    return bulletin_publish(bulletin=thin_bulletin, user=staff_user, confirm_provisional=True)


def test_the_public_page_says_provisional_with_the_reason(anonymous_client, provisional_revision):
    page = anonymous_client.get(provisional_revision.bulletin.get_absolute_url()).content.decode()

    assert "Bulletin provisoire" in page
    assert "70,0" in page


def test_the_bulletin_list_marks_the_provisional_bulletin(anonymous_client, provisional_revision):
    page = anonymous_client.get("/bulletins/").content.decode()

    assert "provisoire" in page


def test_the_json_download_carries_the_reasons(anonymous_client, provisional_revision):
    slug = provisional_revision.bulletin.slug
    document = json.loads(anonymous_client.get(f"/bulletins/{slug}/revisions/1/bulletin.json").content)

    assert document["provisional"]["reasons"][0]["code"] == "workforce_coverage"


def test_the_csv_download_carries_the_reasons(anonymous_client, provisional_revision):
    slug = provisional_revision.bulletin.slug
    text = anonymous_client.get(f"/bulletins/{slug}/revisions/1/bulletin.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))

    assert {"table": "provisional", "row": "workforce_coverage", "column": "floor", "value": "0.7", "flag": ""} in rows


def test_the_feed_titles_and_summarises_the_bulletin_as_provisional(anonymous_client, provisional_revision):
    feed = anonymous_client.get("/bulletins/atom.xml").content.decode()

    assert "(provisoire)" in feed
    assert "Bulletin provisoire (" in feed
