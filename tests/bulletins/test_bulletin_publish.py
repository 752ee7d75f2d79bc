import pytest
from django.core.exceptions import ValidationError

from bulletins.models import Bulletin, BulletinRevision
from bulletins.services import bulletin_create, bulletin_preview, bulletin_publish
from tests.bulletins.publication_data import approve_declarations, closed_campaign, registry


@pytest.fixture
def companies(db):
    return registry()


@pytest.fixture
def bulletin(staff_user, companies):
    campaign = closed_campaign(week=1)
    approve_declarations(campaign, companies, telework=50)
    return bulletin_create(campaign=campaign, user=staff_user, title="Semaine du 23 mars 2020", editorial="Texte.")


def test_creating_a_bulletin_derives_its_address_from_the_title(bulletin):
    assert bulletin.slug == "semaine-du-23-mars-2020"
    assert bulletin.status == Bulletin.Status.DRAFT


def test_two_bulletins_with_the_same_title_get_distinct_addresses(staff_user, bulletin):
    other = bulletin_create(campaign=closed_campaign(week=2), user=staff_user, title=bulletin.title)

    assert other.slug == "semaine-du-23-mars-2020-2"


def test_a_campaign_has_one_bulletin_only(staff_user, bulletin):
    with pytest.raises(ValidationError):
        bulletin_create(campaign=bulletin.campaign, user=staff_user, title="Encore")


def test_preview_computes_the_figures_without_storing_anything(bulletin):
    snapshot = bulletin_preview(bulletin=bulletin)

    assert snapshot["schema"] == "amrc-bulletin/1"
    assert snapshot["key_figures"]["headcount"]["value"] == 800
    assert snapshot["bulletin"] == {"slug": bulletin.slug, "title": bulletin.title, "revision": 1, "published_at": None}
    assert not BulletinRevision.objects.exists()


def test_publishing_stores_revision_one_with_its_figures_and_audit_record(staff_user, bulletin):
    revision = bulletin_publish(bulletin=bulletin, user=staff_user)

    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.PUBLISHED
    assert revision.number == 1
    assert revision.published_by == staff_user
    assert revision.snapshot["key_figures"]["telework_share"]["value"] == 0.5
    assert revision.snapshot["bulletin"]["revision"] == 1
    assert len(revision.internal["declarations"]) == 8
    assert "rules" in revision.internal


def test_publishing_freezes_the_title_and_editorial_of_the_day(staff_user, bulletin):
    revision = bulletin_publish(bulletin=bulletin, user=staff_user)
    Bulletin.objects.filter(pk=bulletin.pk).update(editorial="Réécrit après coup.")

    revision.refresh_from_db()
    assert revision.editorial == "Texte."


def test_the_public_snapshot_never_carries_the_audit_record(staff_user, bulletin):
    revision = bulletin_publish(bulletin=bulletin, user=staff_user)

    assert "declarations" not in revision.snapshot
    assert "rules" not in revision.snapshot


def test_a_correction_without_a_note_is_refused(staff_user, bulletin):
    bulletin_publish(bulletin=bulletin, user=staff_user)

    with pytest.raises(ValidationError) as error:
        bulletin_publish(bulletin=bulletin, user=staff_user, note="  ")

    assert "note" in error.value.message_dict
    assert bulletin.revisions.count() == 1


def test_a_correction_becomes_revision_two_with_its_note(staff_user, bulletin):
    bulletin_publish(bulletin=bulletin, user=staff_user)

    correction = bulletin_publish(bulletin=bulletin, user=staff_user, note="Une déclaration corrigée.")

    assert correction.number == 2
    assert correction.correction_note == "Une déclaration corrigée."
    assert list(bulletin.revisions.values_list("number", flat=True)) == [1, 2]


def test_a_correction_carries_the_corrected_declarations(staff_user, bulletin):
    first = bulletin_publish(bulletin=bulletin, user=staff_user)
    declaration = bulletin.campaign.declarations.first()
    declaration.telework, declaration.on_site = 90, 0
    declaration.save()

    correction = bulletin_publish(bulletin=bulletin, user=staff_user, note="Télétravail corrigé.")

    assert (
        correction.snapshot["key_figures"]["telework_share"]["value"]
        > first.snapshot["key_figures"]["telework_share"]["value"]
    )


def test_a_later_change_to_a_declaration_leaves_the_published_revision_unchanged(staff_user, bulletin):
    revision = bulletin_publish(bulletin=bulletin, user=staff_user)
    published = revision.snapshot
    declaration = bulletin.campaign.declarations.first()
    declaration.telework, declaration.on_site = 90, 0
    declaration.save()

    revision.refresh_from_db()
    assert revision.snapshot == published


def test_a_published_revision_cannot_be_saved_again(staff_user, bulletin):
    revision = bulletin_publish(bulletin=bulletin, user=staff_user)
    revision.correction_note = "Retouche"

    with pytest.raises(ValueError, match="immutable"):
        revision.save()


def test_the_changes_are_measured_against_the_previous_published_bulletin(staff_user, companies, bulletin):
    earlier = bulletin_create(campaign=closed_campaign(week=0), user=staff_user, title="Semaine du 16 mars 2020")
    approve_declarations(earlier.campaign, companies, telework=20)
    bulletin_publish(bulletin=earlier, user=staff_user)

    revision = bulletin_publish(bulletin=bulletin, user=staff_user)

    changes = revision.snapshot["changes"]
    assert changes["previous"]["bulletin"] == earlier.slug
    assert changes["previous"]["revision"] == 1
    assert changes["key_figures"]["telework_share"] == {"previous": 0.2, "delta": 0.3, "base": 8}


def test_the_changes_use_the_previous_bulletins_latest_revision(staff_user, companies, bulletin):
    earlier = bulletin_create(campaign=closed_campaign(week=0), user=staff_user, title="Semaine du 16 mars 2020")
    declarations = approve_declarations(earlier.campaign, companies, telework=20)
    bulletin_publish(bulletin=earlier, user=staff_user)
    for declaration in declarations:
        declaration.telework, declaration.on_site = 30, 60
        declaration.save()
    bulletin_publish(bulletin=earlier, user=staff_user, note="Télétravail recompté.")

    revision = bulletin_publish(bulletin=bulletin, user=staff_user)

    assert revision.snapshot["changes"]["previous"]["revision"] == 2
    assert revision.snapshot["changes"]["key_figures"]["telework_share"]["previous"] == 0.3


def test_a_bulletin_of_a_later_campaign_is_not_the_base_of_the_changes(staff_user, companies, bulletin):
    later = bulletin_create(campaign=closed_campaign(week=3), user=staff_user, title="Semaine du 6 avril 2020")
    approve_declarations(later.campaign, companies, telework=80)
    bulletin_publish(bulletin=later, user=staff_user)

    revision = bulletin_publish(bulletin=bulletin, user=staff_user)

    assert not revision.snapshot["changes"]
