"""A campaign's figures as a bulletin: every table's cells declared, disclosure control applied,
then the public snapshot rendered with the internal record behind it."""

from django.conf import settings
from django.utils import timezone

from amrc.lib.disclosure import DisclosureRules
from bulletins.aggregation.cells import CellBook
from bulletins.aggregation.columns import FORMALITIES, SCHEMA, SEGMENTS, TOTAL
from bulletins.aggregation.declared import add_declared_cells, changes, declared_table, key_figures
from bulletins.aggregation.estimates import add_estimate_cells, estimates
from bulletins.aggregation.measures import add_measure_cells, measures_by_segment_table, measures_table, support_table
from bulletins.aggregation.reading import read_campaign
from bulletins.aggregation.regional import add_regional_cells, region_by_segment_table, region_table
from bulletins.aggregation.response import response_rows
from measures.models import Campaign


def disclosure_rules_from_settings() -> DisclosureRules:
    return DisclosureRules(
        min_contributors=settings.DISCLOSURE_MIN_CONTRIBUTORS,
        dominance_n=settings.DISCLOSURE_DOMINANCE_N,
        dominance_k=settings.DISCLOSURE_DOMINANCE_K,
    )


def campaign_snapshot(
    *, campaign: Campaign, previous_snapshot: dict | None = None, rules: DisclosureRules | None = None
) -> tuple[dict, dict]:
    """The public snapshot of the campaign's figures and the internal record behind it (rules
    applied, declarations used, when). Read-only: the caller stores both when it publishes."""
    rules = rules or disclosure_rules_from_settings()
    generated_at = timezone.localtime()
    data = read_campaign(campaign=campaign, rules=rules)
    book = CellBook(data=data)
    # Order matters: the regional margins and the estimates refer to the declared cells.
    add_declared_cells(book)
    add_regional_cells(book)
    add_estimate_cells(book)
    add_measure_cells(book)
    book.reasons = reasons = book.tables.protect(rules)
    figures = key_figures(book)
    snapshot = {
        "schema": SCHEMA,
        "campaign": {
            "id": campaign.pk,
            "title": campaign.title,
            "period_start": campaign.period_start.isoformat(),
            "period_end": campaign.period_end.isoformat(),
        },
        "computed_at": generated_at.isoformat(timespec="seconds"),
        "response": {"rows": response_rows(book)},
        "key_figures": figures,
        "changes": changes(figures, previous_snapshot),
        "tables": [
            declared_table(book, "by_segment", "segment", SEGMENTS),
            declared_table(book, "by_formality", "formality", FORMALITIES),
            region_table(book),
            region_by_segment_table(book),
            measures_table(book),
            measures_by_segment_table(book),
            support_table(book),
        ],
        "estimates": estimates(book),
        "methodology": {
            "respondents": book.groups["all", TOTAL].respondents,
            "suppressed_cells": sum(1 for key in book.printed if reasons.get(key) is not None),
        },
    }
    internal = {
        "schema": SCHEMA,
        "rules": rules.as_dict(),
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "declarations": [{"id": pk, "version": version} for pk, version in data.declarations],
        "suppressions": {
            "/".join(str(part) for part in key): reason for key, reason in reasons.items() if reason is not None
        },
    }
    return snapshot, internal
