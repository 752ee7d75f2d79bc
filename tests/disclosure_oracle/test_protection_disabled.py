"""The oracle can fail: with the disclosure rules set so that no cell is sensitive to the platform
(1 contributor suffices, no dominance), every figure is published, and the oracle, which keeps its
own rules, reports what a reader reads off the files."""

from dataclasses import replace

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.disclosure_oracle.oracle import audit_bulletin
from tests.disclosure_oracle.registries import (
    LONE_INFORMAL_OPERATOR,
    MEMBERS,
    Registry,
    keep_only_the_generated_measures,
    publish,
    registries,
)
from tests.disclosure_oracle.sensitive import breaks_a_rule


@pytest.fixture
def protection_disabled(settings):
    settings.DISCLOSURE_MIN_CONTRIBUTORS = 1
    settings.DISCLOSURE_DOMINANCE_K = 100


@pytest.fixture
def audit(db, protection_disabled, staff_user, anonymous_client):
    def audit(registry: Registry):
        keep_only_the_generated_measures()
        publication = publish(registry, staff=staff_user)
        return audit_bulletin(anonymous_client, publication.bulletin.slug, publication.truths)

    return audit


def labels(audit) -> dict[str, tuple[float, float]]:
    return {leak.quantity.label: (leak.low, leak.high) for leak in audit.leaks}


def test_nothing_is_suppressed_when_protection_is_disabled(audit):
    result = audit(Registry(respondents=(*MEMBERS, LONE_INFORMAL_OPERATOR), others=(), correction=None))

    assert result.suppressed == 0


def test_the_oracle_reports_a_lone_operators_published_headcount(audit):
    result = audit(Registry(respondents=(*MEMBERS, LONE_INFORMAL_OPERATOR), others=(), correction=None))

    assert labels(result)["r1 informal headcount"] == pytest.approx((30, 30))


def test_the_oracle_reports_the_declaration_a_correction_added(audit):
    registry = Registry(respondents=MEMBERS, others=(LONE_INFORMAL_OPERATOR,), correction=("add", 1))

    result = audit(registry)

    added = {leak.quantity.label for leak in result.about_corrections().leaks}
    assert any(label.endswith("added in r2 headcount") for label in added), result.report()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(registry=registries(corrections=st.none()))
def test_every_segment_that_breaks_a_rule_is_reported_when_nothing_is_suppressed(audit, registry):
    with transaction.atomic():
        result = audit(registry)
        transaction.set_rollback(True)

    reported = labels(result)
    for segment in ("member", "small"):
        headcounts = [c.headcount for c in registry.respondents if c.segment == segment]
        if breaks_a_rule(headcounts):
            assert reported[f"r1 {segment} headcount"] == pytest.approx((sum(headcounts), sum(headcounts)))


def test_the_oracle_reports_the_headcount_of_a_declaration_a_correction_removed(audit):
    result = audit(Registry(respondents=MEMBERS, others=(), correction=("remove", 1)))

    removed = {leak.quantity.label for leak in result.about_corrections().leaks}
    assert any(label.endswith("removed in r2 headcount") for label in removed), result.report()


def test_the_oracle_reports_an_answer_only_the_correction_gives_away(audit):
    # Half the members have masks in place: revision 1 says 50 %, which pins nobody's answer;
    # without the last one, revision 2's 1 in 3 does.
    members = tuple(
        replace(member, answers=(answer, None, None))
        for member, answer in zip(MEMBERS, ("in_place", None, None, "in_place"), strict=True)
    )

    result = audit(Registry(respondents=members, others=(), correction=("remove", 1)))

    removed = {leak.quantity.label for leak in result.about_corrections().leaks}
    assert any(label.endswith("removed in r2 companies with masks in_place (of 1)") for label in removed), (
        result.report()
    )


def test_the_oracle_does_not_blame_a_correction_for_an_answer_revision_1_already_gave(audit):
    # Every member has masks in place: revision 1's 100 % of 4 companies, which the rules publish,
    # already tells each one's answer.
    result = audit(Registry(respondents=MEMBERS, others=(), correction=("remove", 1)))

    removed = {leak.quantity.label for leak in result.about_corrections().leaks}
    assert not any("companies with masks in_place" in label for label in removed), result.report()
