"""Corrections that cannot be subtracted into one company's figures, the audit's gate at
publication, and what is (and is not) guaranteed across consecutive weeks."""

import pytest
from django.core.exceptions import ValidationError

from bulletins.models import BulletinRevision
from bulletins.services import bulletin_create, bulletin_prepare, bulletin_publish
from measures.models import Declaration, DeclarationRegion
from tests.bulletins.publication_data import approve_declarations, closed_campaign, registry
from tests.factories import CompanyFactory, region


def figures(snapshot: dict) -> dict:
    return {key: value for key, value in snapshot.items() if key not in ("bulletin", "computed_at")}


@pytest.fixture
def published(staff_user, db):
    """Week of 23 March published with five members and three small operators."""
    campaign = closed_campaign(week=1)
    approve_declarations(campaign, registry(members=5, small=3))
    bulletin = bulletin_create(campaign=campaign, user=staff_user, title="Semaine du 23 mars 2020")
    bulletin_publish(bulletin=bulletin, user=staff_user)
    return bulletin


def late_declarations(bulletin, count: int, *, segment: str = "small") -> list[Declaration]:
    companies = [CompanyFactory(segment=segment, registered_headcount=100) for _ in range(count)]
    return approve_declarations(bulletin.campaign, companies, telework=20)


def test_a_correction_adding_one_declaration_keeps_the_published_figures(staff_user, published):
    (late,) = late_declarations(published, 1)

    correction = bulletin_publish(bulletin=published, user=staff_user, note="Une déclaration tardive.")

    first = published.revisions.get(number=1)
    assert figures(correction.snapshot) == figures(first.snapshot)
    assert correction.internal["held"] == {"revision": 1, "declarations": [late.pk], "reason": "too_few"}
    # The figures reflect the first revision's declarations, so the next correction is measured
    # against them.
    assert correction.internal["declarations"] == first.internal["declarations"]


def test_held_declarations_join_the_figures_once_enough_of_them_differ(staff_user, published):
    late_declarations(published, 1)
    bulletin_publish(bulletin=published, user=staff_user, note="Une déclaration tardive.")
    late_declarations(published, 2)

    correction = bulletin_publish(bulletin=published, user=staff_user, note="Trois déclarations tardives.")

    assert "held" not in correction.internal
    assert correction.snapshot["key_figures"]["respondents"]["value"] == 11
    assert correction.internal["corrections"][0]["companies"] == 3
    assert not correction.internal["unprotected"]


def test_a_correction_of_three_declarations_hides_the_cells_where_they_stand_alone(staff_user, published):
    # Two small operators and one member: in the members' cells the difference is one company.
    late_declarations(published, 2)
    late_declarations(published, 1, segment="member")

    correction = bulletin_publish(bulletin=published, user=staff_user, note="Trois déclarations tardives.")

    suppressions = correction.internal["suppressions"]
    assert suppressions["headcount/segment/member"] == "correction"
    difference = correction.internal["protection"]["révision 1: headcount/segment/member"]
    assert difference["reason"] == "correction" and difference["protected"]


def failing_the_audit(monkeypatch, cell: str) -> None:
    import bulletins.services

    real = bulletins.services.campaign_snapshot

    def failing(**kwargs):
        snapshot, internal = real(**kwargs)
        return snapshot, {**internal, "unprotected": [cell]}

    monkeypatch.setattr(bulletins.services, "campaign_snapshot", failing)


def test_a_first_publication_that_fails_the_audit_is_not_stored(staff_user, db, monkeypatch):
    campaign = closed_campaign(week=1)
    approve_declarations(campaign, registry(members=5, small=3))
    bulletin = bulletin_create(campaign=campaign, user=staff_user, title="Semaine du 23 mars 2020")
    failing_the_audit(monkeypatch, "headcount/segment/member")

    with pytest.raises(ValidationError, match="headcount/segment/member"):
        bulletin_publish(bulletin=bulletin, user=staff_user)
    assert not bulletin.revisions.exists()


def test_a_correction_the_audit_cannot_protect_keeps_the_published_figures(staff_user, published, monkeypatch):
    late = late_declarations(published, 3)
    failing_the_audit(monkeypatch, "headcount/segment/member")

    correction = bulletin_publish(bulletin=published, user=staff_user, note="Trois déclarations tardives.")

    assert figures(correction.snapshot) == figures(published.revisions.get(number=1).snapshot)
    assert correction.internal["held"] == {
        "revision": 1,
        "declarations": [d.pk for d in late],
        "reason": "unprotected",
        "cells": ["headcount/segment/member"],
    }


def test_the_internal_record_says_which_rules_produced_the_revision(published):
    revision = published.revisions.get(number=1)

    assert revision.internal["rules_version"] == 4
    assert revision.internal["rules"]["protection_level"] == 10
    assert revision.internal["cells"]["headcount/all/total"] == "800"


def test_a_revision_frozen_under_the_first_rules_stays_as_it_was(staff_user, published):
    # A revision published before the audit existed: its record has no rules_version.
    first = published.revisions.get(number=1)
    old_record = {key: value for key, value in first.internal.items() if key not in ("rules_version", "cells")}
    BulletinRevision.objects.filter(pk=first.pk).update(internal=old_record)
    snapshot_before = BulletinRevision.objects.get(pk=first.pk).snapshot
    late_declarations(published, 3)

    correction = bulletin_publish(bulletin=published, user=staff_user, note="Trois déclarations tardives.")

    assert BulletinRevision.objects.get(pk=first.pk).snapshot == snapshot_before
    assert correction.internal["rules_version"] == 4


def test_staff_see_why_a_correction_keeps_the_figures_before_publishing(staff_client, published):
    late_declarations(published, 1)

    page = staff_client.get(f"/admin/bulletins/bulletin/{published.pk}/publier/").content.decode()

    assert "1 déclaration diffère de la révision précédente" in page
    assert "conservera les chiffres de la révision précédente" in page


def test_staff_see_which_figures_a_correction_could_not_protect_before_publishing(staff_client, published, monkeypatch):
    late_declarations(published, 3)
    failing_the_audit(monkeypatch, "covered/response/total")

    page = staff_client.get(f"/admin/bulletins/bulletin/{published.pk}/publier/").content.decode()

    assert "3 déclarations diffèrent de la révision précédente" in page
    assert "borne déjà de trop près covered/response/total" in page
    assert "conservera les chiffres de la révision précédente" in page


def test_staff_see_each_suppressed_cell_with_its_reason_and_interval(staff_client, staff_user, db):
    campaign = closed_campaign(week=2)
    approve_declarations(campaign, registry(members=5, small=2))
    bulletin = bulletin_create(campaign=campaign, user=staff_user, title="Semaine du 30 mars 2020")

    page = staff_client.get(f"/admin/bulletins/bulletin/{bulletin.pk}/publier/").content.decode()

    prepared = bulletin_prepare(bulletin=bulletin)
    assert prepared.internal["suppressions"]["headcount/segment/small"] == "threshold"
    assert "<code>headcount/segment/small</code>" in page
    assert "seuil : trop peu d&#x27;entreprises" in page


def test_identical_consecutive_weeks_publish_the_same_cells(staff_user, db):
    # What is guaranteed across weeks: the audit decides from the figures alone, so a week whose
    # figures did not change hides exactly the cells it hid the week before, and laying the two
    # bulletins side by side tells a reader nothing that either does not.
    companies = registry(members=5, small=2)
    revisions = []
    for week in (1, 2):
        campaign = closed_campaign(week=week)
        approve_declarations(campaign, companies)
        bulletin = bulletin_create(campaign=campaign, user=staff_user, title=f"Semaine {week}")
        revisions.append(bulletin_publish(bulletin=bulletin, user=staff_user))

    first, second = (revision.internal["suppressions"] for revision in revisions)
    assert first == second
    assert "headcount/segment/small" in first


def test_a_correction_bringing_a_new_segment_and_region_is_audited_and_published(staff_user, db):
    # Revision 1: four formal members in Casablanca-Settat; then three informal operators of
    # Tanger-Tétouan-Al Hoceïma are approved late.
    campaign = closed_campaign(week=3)
    approve_declarations(campaign, [CompanyFactory(segment="member", formality="formal") for _ in range(4)])
    bulletin = bulletin_create(campaign=campaign, user=staff_user, title="Semaine du 6 avril 2020")
    bulletin_publish(bulletin=bulletin, user=staff_user)
    late = [CompanyFactory(segment="small", formality="informal", registered_headcount=30) for _ in range(3)]
    declarations = approve_declarations(campaign, late, telework=10)
    DeclarationRegion.objects.filter(declaration__in=declarations).update(region=region("MA-01"))

    correction = bulletin_publish(bulletin=bulletin, user=staff_user, note="Trois déclarations tardives.")

    assert correction.internal["corrections"][0]["companies"] == 3
    assert not correction.internal["unprotected"]
