"""The demo's last step: a published bulletin for each closed week, one corrected."""

import csv
import io

import pytest
from django.core.management import call_command

from bulletins.guard import publication_guard
from bulletins.models import Bulletin, BulletinRevision
from bulletins.selectors import published_series
from measures.models import Campaign

pytestmark = pytest.mark.slow


def test_every_closed_demo_week_has_a_published_bulletin(seeded):
    closed = Campaign.objects.filter(status=Campaign.Status.CLOSED)

    assert Bulletin.objects.published().filter(campaign__in=closed).count() == closed.count() == 10


def test_each_bulletin_has_a_french_editorial(seeded):
    for revision in BulletinRevision.objects.filter(number=1):
        assert "des salariés des répondants travaillent à distance" in revision.editorial


def test_one_bulletin_is_corrected_with_a_dated_note(seeded):
    correction = BulletinRevision.objects.get(number=2)

    assert correction.correction_note.startswith("Correction du ")
    assert correction.published_at > correction.bulletin.revisions.get(number=1).published_at


def figures(snapshot: dict) -> dict:
    """Everything a revision publishes but its identity and date of computation."""
    return {key: value for key, value in snapshot.items() if key not in ("bulletin", "computed_at")}


def test_the_correction_does_not_give_the_added_company_away(seeded):
    # One declaration differs between the revisions: subtracting them would be its figures, so
    # the correction keeps the first revision's and says the declaration waits.
    correction = BulletinRevision.objects.get(number=2)
    first = correction.bulletin.revisions.get(number=1)

    assert figures(correction.snapshot) == figures(first.snapshot)
    assert correction.internal["held"]["revision"] == 1
    assert len(correction.internal["held"]["declarations"]) == 1


def test_the_correction_note_says_what_changed_in_words_only(seeded):
    note = BulletinRevision.objects.get(number=2).correction_note

    assert "n'est pas encore intégrée" in note
    assert not any(character.isdigit() for character in note.split(":", 1)[1])


def test_the_telework_share_rises_week_after_week(seeded):
    shares = [point.share("telework_share") for point in published_series()]

    assert len(shares) == 10
    assert shares == sorted(shares)


def test_the_demo_bulletins_mark_suppressed_cells(seeded):
    latest = published_series()[-1]
    revision = BulletinRevision.objects.get(bulletin__slug=latest.slug, number=latest.revision)

    assert revision.snapshot["methodology"]["suppressed_cells"] > 0


def test_a_second_run_publishes_nothing_new(seeded):
    before = list(BulletinRevision.objects.order_by("pk").values("pk", "number", "published_at"))

    call_command("seed_demo", force=True, stdout=io.StringIO())

    assert list(BulletinRevision.objects.order_by("pk").values("pk", "number", "published_at")) == before


def test_the_home_page_shows_the_demo_bulletins(seeded, anonymous_client):
    page = anonymous_client.get("/").content.decode()

    assert "Semaine du 16 mars 2020" in page
    assert 'id="home-series-chart"' in page


def test_the_demo_download_matches_the_page(seeded, anonymous_client):
    revision = BulletinRevision.objects.get(number=2)
    url = revision.get_absolute_url()

    page = anonymous_client.get(url).content.decode()
    rows = list(csv.DictReader(io.StringIO(anonymous_client.get(url + "bulletin.csv").content.decode("utf-8-sig"))))

    suppressed = [row for row in rows if row["flag"] == "c"]
    assert suppressed
    assert all(row["value"] == "" for row in suppressed)
    assert '<a class="cell-c"' in page
    respondents = next(row for row in rows if (row["table"], row["column"]) == ("key_figures", "respondents"))
    assert f'<bdi dir="ltr" class="num">{respondents["value"]}</bdi>' in page


def test_the_open_demo_campaigns_bulletin_would_be_provisional(seeded):
    guard = publication_guard(campaign=Campaign.objects.get(status=Campaign.Status.OPEN))

    assert {reason["code"] for reason in guard.reasons} >= {"campaign_open", "workforce_coverage"}


def test_the_lockdown_weeks_are_final_and_compare_the_same_companies(seeded):
    revisions = BulletinRevision.objects.published().latest_per_bulletin().order_by("bulletin__campaign__period_start")

    assert not any(revision.provisional for revision in revisions)
    for revision in list(revisions)[1:]:
        changes = revision.snapshot["changes"]
        assert changes["basis"] == "same_companies"
        assert changes["key_figures"]["headcount"]["base"] == changes["companies"]["both"] > 150
