"""Issue 7's "Done when": on generated small registries (1 to 5 companies per segment × formality
× region, one company holding up to 99 % of its group, campaigns of 3 respondents, corrections that
add or remove 1 or 2 declarations, and 3 or 4, which are no longer too few to publish), the
independent intruder finds no protected figure a reader can narrow below its protection level in
the public JSON and CSV files.

Each example publishes a bulletin (and its correction) and solves a few hundred linear programs:
the examples are few. Until the audit lands, the tests fail on their first leak and are not shrunk.
"""

from django.db import transaction
from hypothesis import HealthCheck, given, settings

from tests.disclosure_oracle.oracle import Audit, audit_bulletin
from tests.disclosure_oracle.registries import (
    Registry,
    keep_only_the_generated_measures,
    larger_corrections,
    publish,
    registries,
)

oracle_settings = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def published_and_audited(registry: Registry, *, staff, client) -> Audit:
    with transaction.atomic():
        keep_only_the_generated_measures()
        publication = publish(registry, staff=staff)
        audit = audit_bulletin(client, publication.bulletin.slug, publication.truths)
        transaction.set_rollback(True)
    return audit


@settings(oracle_settings, max_examples=20)
@given(registry=registries())
def test_no_protected_figure_of_a_generated_registry_is_narrowed_below_its_protection_level(
    db, staff_user, anonymous_client, registry
):
    published_and_audited(registry, staff=staff_user, client=anonymous_client).assert_no_leaks()


@settings(oracle_settings, max_examples=12)
@given(registry=registries(corrections=larger_corrections))
def test_a_correction_gives_away_none_of_the_declarations_it_adds_or_removes(
    db, staff_user, anonymous_client, registry
):
    published_and_audited(registry, staff=staff_user, client=anonymous_client).about_corrections().assert_no_leaks()
