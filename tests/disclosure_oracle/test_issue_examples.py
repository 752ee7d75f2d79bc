"""The leaks issue 7 lists beyond the demo's correction, each on a small registry built to show it
(exact elimination is not enough, unprotected response base): the oracle finds each one on main."""

from dataclasses import replace

import pytest

from tests.disclosure_oracle.oracle import audit_bulletin
from tests.disclosure_oracle.registries import Registry, fixed_company, keep_only_the_generated_measures, publish


@pytest.fixture
def audit(db, staff_user, anonymous_client):
    def audit(*respondents):
        keep_only_the_generated_measures()
        publication = publish(Registry(respondents=respondents, others=(), correction=None), staff=staff_user)
        return audit_bulletin(anonymous_client, publication.bulletin.slug, publication.truths)

    return audit


def with_masks(company, in_place: bool = True):
    return replace(company, answers=("in_place" if in_place else None, None, None))


def test_the_one_member_without_a_measure_is_not_recovered_from_the_measures_workforce_share(audit):
    equipped = [with_masks(fixed_company("member", "formal", h)) for h in (300, 320, 350)]
    lacking = with_masks(fixed_company("member", "formal", 280), in_place=False)

    result = audit(*equipped, lacking)

    result.about("r1 all headcount of the companies without masks in place").assert_no_leaks()


def test_a_share_of_100_percent_across_three_respondents_gives_no_segments_count_back(audit):
    result = audit(
        with_masks(fixed_company("member", "formal", 300)),
        with_masks(fixed_company("member", "formal", 320)),
        with_masks(fixed_company("small", "formal", 40)),
    )

    result.about("r1 small companies with masks in_place (of 1)").assert_no_leaks()


def test_a_requested_share_of_100_percent_gives_no_lone_informal_operators_answer_back(audit):
    def requesting(formality: str, headcount: int, status: str):
        return replace(fixed_company("small", formality, headcount), answers=(None, None, status))

    result = audit(
        requesting("formal", 2000, "planned"),
        requesting("formal", 25, "in_place"),
        requesting("informal", 3000, "in_place"),
    )

    result.about("r1 small/informal companies with cnss-allowance requested (of 1)").assert_no_leaks()


def test_the_second_informal_operator_cannot_bound_the_first_within_10_percent(audit):
    formal = [replace(fixed_company("small", "formal", 100), separations=5) for _ in range(4)]
    unverified = [replace(fixed_company("small", "unverified", 100), separations=1, dismissals=0) for _ in range(3)]
    informal = [replace(fixed_company("small", "informal", 100), separations=s, dismissals=0) for s in (100, 2, 1)]

    result = audit(*formal, *unverified, *informal)

    result.about("r1 informal separations").assert_no_leaks()


def test_the_members_covered_workforce_gives_no_lone_members_registered_headcount(audit):
    result = audit(
        fixed_company("member", "formal", 300),
        fixed_company("small", "formal", 40),
        fixed_company("small", "unverified", 50),
    )

    result.about("r1 member registered headcount of respondents").assert_no_leaks()
