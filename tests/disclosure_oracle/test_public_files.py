"""The oracle reads what a reader downloads: every revision's JSON and CSV, which must agree, and
nothing it does not understand."""

import pytest

from tests.bulletins.snapshots import make_snapshot
from tests.disclosure_oracle.public_files import UnreadPublication, read_bulletin
from tests.disclosure_oracle.registries import (
    LONE_INFORMAL_OPERATOR,
    MEMBERS,
    Registry,
    keep_only_the_generated_measures,
    publish,
)
from tests.factories import BulletinRevisionFactory


@pytest.fixture
def corrected(db, staff_user):
    keep_only_the_generated_measures()
    registry = Registry(respondents=MEMBERS, others=(LONE_INFORMAL_OPERATOR,), correction=("add", 1))
    return publish(registry, staff=staff_user).bulletin


def test_every_revision_of_a_bulletin_is_read(corrected, anonymous_client):
    revisions = read_bulletin(anonymous_client, corrected.slug)

    assert [r.number for r in revisions] == [1, 2]


def test_a_published_number_is_read_with_its_table_row_and_column(corrected, anonymous_client):
    first, _second = read_bulletin(anonymous_client, corrected.slug)

    assert first.numbers["by_segment", "member", "headcount"] == sum(c.headcount for c in MEMBERS)
    assert first.numbers["response", "total", "approved"] == len(MEMBERS)


def test_a_suppressed_cell_is_known_as_suppressed_and_carries_no_number(db, staff_user, anonymous_client):
    keep_only_the_generated_measures()
    registry = Registry(respondents=(*MEMBERS, LONE_INFORMAL_OPERATOR), others=(), correction=None)
    bulletin = publish(registry, staff=staff_user).bulletin

    (revision,) = read_bulletin(anonymous_client, bulletin.slug)

    assert ("by_formality", "informal", "headcount") in revision.suppressed
    assert ("by_formality", "informal", "headcount") not in revision.numbers


def test_the_json_and_the_csv_agree_on_every_cell_and_flag(corrected, anonymous_client):
    revisions = read_bulletin(anonymous_client, corrected.slug)

    assert [r.disagreements for r in revisions] == [[], []]


def test_a_response_figure_named_in_its_rows_flags_is_known_as_suppressed(db, anonymous_client):
    revision = BulletinRevisionFactory()
    snapshot = make_snapshot(campaign=revision.bulletin.campaign)
    member = snapshot["response"]["rows"][0]
    member.update(covered_workforce=None, flags={"covered_workforce": "c"})
    type(revision).objects.filter(pk=revision.pk).update(snapshot=snapshot)

    (read,) = read_bulletin(anonymous_client, revision.bulletin.slug)

    assert ("response", member["key"], "covered_workforce") in read.suppressed


def test_a_part_of_the_document_the_oracle_does_not_read_stops_it(db, anonymous_client):
    revision = BulletinRevisionFactory()
    revision.snapshot = {**make_snapshot(campaign=revision.bulletin.campaign), "protection": {"note": "…"}}
    type(revision).objects.filter(pk=revision.pk).update(snapshot=revision.snapshot)

    with pytest.raises(UnreadPublication, match="protection"):
        read_bulletin(anonymous_client, revision.bulletin.slug)
