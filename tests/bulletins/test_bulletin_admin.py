import pytest

from bulletins.models import Bulletin, BulletinRevision
from bulletins.services import bulletin_create, bulletin_publish
from tests.bulletins.publication_data import approve_declarations, closed_campaign, registry
from tests.factories import BulletinFactory, BulletinRevisionFactory


@pytest.fixture
def campaign(db):
    campaign = closed_campaign(week=1)
    approve_declarations(campaign, registry())
    return campaign


@pytest.fixture
def draft(staff_user, campaign):
    return bulletin_create(campaign=campaign, user=staff_user, title="Semaine du 23 mars 2020", editorial="Texte.")


def _publish_url(bulletin: Bulletin) -> str:
    return f"/admin/bulletins/bulletin/{bulletin.pk}/publier/"


def test_staff_create_a_bulletin_from_a_campaign(staff_client, staff_user, campaign):
    response = staff_client.post(
        "/admin/bulletins/bulletin/add/",
        {"campaign": campaign.pk, "title": "Semaine du 23 mars 2020", "editorial": "Le **télétravail** progresse."},
    )

    assert response.status_code == 302
    bulletin = Bulletin.objects.get()
    assert bulletin.slug == "semaine-du-23-mars-2020"
    assert bulletin.created_by == staff_user
    assert bulletin.status == Bulletin.Status.DRAFT


def test_the_add_form_can_start_from_a_given_campaign(staff_client, campaign):
    page = staff_client.get(f"/admin/bulletins/bulletin/add/?campaign={campaign.pk}").content.decode()

    assert f'<option value="{campaign.pk}" selected>' in page


def test_the_add_form_offers_only_campaigns_without_a_bulletin(staff_client, draft):
    other = closed_campaign(week=2)

    page = staff_client.get("/admin/bulletins/bulletin/add/").content.decode()

    assert f'<option value="{other.pk}">' in page
    assert f'<option value="{draft.campaign.pk}"' not in page


def test_the_change_page_offers_the_preview_and_publication(staff_client, draft):
    page = staff_client.get(f"/admin/bulletins/bulletin/{draft.pk}/change/").content.decode()

    assert f"/bulletins/{draft.slug}/apercu/" in page
    assert _publish_url(draft) in page


def test_the_publication_page_asks_for_confirmation(staff_client, draft):
    page = staff_client.get(_publish_url(draft)).content.decode()

    assert "Publier le bulletin" in page
    assert not draft.revisions.exists()


def test_staff_publish_a_bulletin(staff_client, draft):
    response = staff_client.post(_publish_url(draft), {"note": ""})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Bulletin.Status.PUBLISHED
    assert draft.revisions.get().number == 1


def test_a_correction_without_a_note_is_refused_on_the_page(staff_client, staff_user, draft):
    bulletin_publish(bulletin=draft, user=staff_user)

    response = staff_client.post(_publish_url(draft), {"note": ""})

    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert draft.revisions.count() == 1


def test_staff_publish_a_correction_with_its_note(staff_client, staff_user, draft):
    bulletin_publish(bulletin=draft, user=staff_user)

    staff_client.post(_publish_url(draft), {"note": "Une déclaration corrigée."})

    assert draft.revisions.get(number=2).correction_note == "Une déclaration corrigée."


def test_a_member_cannot_publish(declarant_a_client, draft):
    response = declarant_a_client.post(_publish_url(draft), {"note": ""})

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not draft.revisions.exists()


def test_the_publication_page_of_an_unknown_bulletin_is_not_found(staff_client, db):
    assert staff_client.get("/admin/bulletins/bulletin/999/publier/").status_code == 404


def test_the_revisions_are_listed_read_only_on_the_bulletin(staff_client, db):
    revision = BulletinRevisionFactory(correction_note="")

    page = staff_client.get(f"/admin/bulletins/bulletin/{revision.bulletin.pk}/change/").content.decode()

    assert revision.get_absolute_url() in page
    assert 'name="revisions-0-correction_note"' not in page


def test_a_revision_cannot_be_edited_in_the_admin(staff_client, db):
    revision = BulletinRevisionFactory()

    response = staff_client.post(
        f"/admin/bulletins/bulletinrevision/{revision.pk}/change/", {"correction_note": "Retouche"}
    )

    assert response.status_code == 403
    revision.refresh_from_db()
    assert revision.correction_note == ""


def test_a_revision_cannot_be_deleted_in_the_admin(staff_client, db):
    revision = BulletinRevisionFactory()

    response = staff_client.post(f"/admin/bulletins/bulletinrevision/{revision.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert BulletinRevision.objects.filter(pk=revision.pk).exists()


def test_a_published_bulletin_cannot_be_deleted(staff_client, db):
    revision = BulletinRevisionFactory()

    response = staff_client.post(f"/admin/bulletins/bulletin/{revision.bulletin.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403


def test_a_draft_bulletin_can_be_deleted(staff_client, draft):
    staff_client.post(f"/admin/bulletins/bulletin/{draft.pk}/delete/", {"post": "yes"})

    assert not Bulletin.objects.filter(pk=draft.pk).exists()


def test_the_revision_page_shows_the_published_snapshot_and_the_internal_record(staff_client, db):
    revision = BulletinRevisionFactory()

    page = staff_client.get(f"/admin/bulletins/bulletinrevision/{revision.pk}/change/").content.decode()

    assert "amrc-bulletin/1" in page
    assert "threshold" in page


@pytest.mark.parametrize("count", [2, 20])
def test_the_bulletin_changelist_runs_in_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    for _ in range(count):
        BulletinRevisionFactory(bulletin__created_by=None, published_by=None)
    BulletinFactory(created_by=None)

    with django_assert_max_num_queries(6):
        response = staff_client.get("/admin/bulletins/bulletin/")

    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_the_revision_changelist_runs_in_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    for _ in range(count):
        BulletinRevisionFactory(bulletin__created_by=None, published_by=None)

    with django_assert_max_num_queries(7):
        response = staff_client.get("/admin/bulletins/bulletinrevision/")

    assert response.status_code == 200
