"""A campaign's figures as a bulletin: every table's cells declared, disclosure control applied,
then the public snapshot rendered with the internal record behind it."""

import math
from collections.abc import Sequence
from fractions import Fraction

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from amrc.lib.disclosure import RULES_VERSION, Cell, DisclosureRules
from amrc.lib.disclosure_audit import Change, Earlier, Interval, protect
from bulletins.aggregation.cells import CellBook, top
from bulletins.aggregation.columns import FORMALITIES, SCHEMA, SEGMENTS, TOTAL
from bulletins.aggregation.declared import add_declared_cells, changes, declared_table, key_figures
from bulletins.aggregation.estimates import add_estimate_cells, estimates
from bulletins.aggregation.measures import add_measure_cells, measures_by_segment_table, measures_table, support_table
from bulletins.aggregation.panel import read_panel
from bulletins.aggregation.reading import CampaignData, approved_in, read_campaign
from bulletins.aggregation.regional import add_regional_cells, region_by_segment_table, region_table
from bulletins.aggregation.response import add_response_cells, response_rows
from measures.models import Campaign, Declaration


def disclosure_rules_from_settings() -> DisclosureRules:
    return DisclosureRules(
        min_contributors=settings.DISCLOSURE_MIN_CONTRIBUTORS,
        dominance_n=settings.DISCLOSURE_DOMINANCE_N,
        dominance_k=settings.DISCLOSURE_DOMINANCE_K,
        protection_level=settings.DISCLOSURE_PROTECTION_LEVEL,
    )


def campaign_snapshot(
    *,
    campaign: Campaign,
    previous_snapshot: dict | None = None,
    previous_declarations: Sequence[int] | None = None,
    rules: DisclosureRules | None = None,
    earlier_revisions: Sequence[dict] = (),
) -> tuple[dict, dict]:
    """The public snapshot of the campaign's figures and the internal record behind it (rules
    applied, declarations used, each suppression's reason and audited interval). Read-only: the
    caller stores both when it publishes.

    `earlier_revisions`: the internal records of the bulletin's revisions already published, which
    a reader holds and can difference against this one. `previous_declarations`: the ids the
    previous bulletin counted, from its internal record, for the changes like with like."""
    rules = rules or disclosure_rules_from_settings()
    generated_at = timezone.localtime()
    data = read_campaign(campaign=campaign, rules=rules)
    book = _book(data)
    earlier = [
        item
        for record in earlier_revisions
        if (item := _earlier_revision(book, record, campaign=campaign, rules=rules)) is not None
    ]
    protection = protect(book.tables, rules, tuple(earlier))
    book.reasons = reasons = protection.reasons
    figures = key_figures(book)
    panel = None
    if previous_snapshot and previous_declarations is not None:
        panel = read_panel(
            campaign=campaign,
            previous_campaign=previous_snapshot["campaign"]["id"],
            previous_declarations=previous_declarations,
            rules=rules,
        )
    public_changes, changes_record = changes(figures, previous_snapshot, panel, rules)
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
        "changes": public_changes,
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
        "rules_version": RULES_VERSION,
        "rules": rules.as_dict(),
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "declarations": [{"id": pk, "version": version} for pk, version in data.declarations],
        "suppressions": {cell_name(key): reason for key, reason in reasons.items() if reason is not None},
        "protection": {_node_name(node): _interval_record(interval) for node, interval in protection.intervals.items()},
        "unprotected": [_node_name(node) for node in protection.unprotected],
        "changes": changes_record,
        "corrections": [
            {"against": item.label, "companies": item.companies, "only_added": item.only_added} for item in earlier
        ],
        # The true value of every figure, so that the next revision can be audited with this one;
        # the record is never published.
        "cells": {cell_name(key): str(cell.value) for key, cell in book.tables.cells.items() if cell.is_figure},
    }
    return snapshot, internal


def _book(data: CampaignData) -> CellBook:
    book = CellBook(data=data)
    # Order matters: the regional margins refer to the declared cells, the estimates' basis to
    # the response table's.
    add_declared_cells(book)
    add_regional_cells(book)
    add_response_cells(book)
    add_estimate_cells(book)
    add_measure_cells(book)
    return book


def cell_name(key: tuple) -> str:
    return "/".join(str(part) for part in key)


def _node_name(node) -> str:
    if isinstance(node, Change):
        return f"{node.label}: {cell_name(node.key)}"
    return cell_name(node)


def _interval_record(interval: Interval) -> dict:
    def number(value: float) -> float | None:
        return None if math.isinf(value) else round(float(value), 2)

    return {
        "reason": interval.reason,
        "value": number(interval.value),
        "low": number(interval.low),
        "high": number(interval.high),
        "width": number(interval.width),
        # False: low and high are feasible values found on the way, the interval is at least that.
        "exact": interval.exact,
        "required_low": number(interval.required_low),
        "required_high": number(interval.required_high),
        "protected": bool(interval.protected),
    }


# Figures computed over the whole registry (a factor, the registered or silent workforce): read
# over a few declarations they are not those declarations' contributions.
REGISTRY_WIDE = ("estimate", "basis_registered", "basis_respondent", "registered", "silent")


def _published_state(book: CellBook, record: dict) -> tuple[dict, frozenset] | None:
    """An earlier record's figures by cell key, and its cells a reader did not see; None for a
    record of the first rules, which kept no figures."""
    if record.get("rules_version", 1) < 2 or "cells" not in record:
        return None
    names = {cell_name(key): key for key, cell in book.tables.cells.items() if cell.is_figure}
    values = {names[name]: Fraction(value) for name, value in record["cells"].items() if name in names}
    suppressed = set(record.get("suppressions") or {})
    hidden = frozenset(key for name, key in names.items() if name in suppressed or not book.tables.cells[key].published)
    return values, hidden


def differing_declarations(*, campaign: Campaign, record: dict) -> list[int]:
    """The declarations (ids) counted now but not in the revision `record` describes, no longer
    counted, or counted in another version: what a reader differencing the two would reach."""
    before = {entry["id"]: entry["version"] for entry in record.get("declarations") or []}
    now = dict(Declaration.objects.filter(**approved_in(campaign)).values_list("pk", "version"))
    return _differing(before, now)


def _differing(before: dict[int, int], now: dict[int, int]) -> list[int]:
    return sorted(pk for pk in {*before, *now} if before.get(pk) != now.get(pk))


def _earlier_revision(book: CellBook, record: dict, *, campaign: Campaign, rules: DisclosureRules) -> Earlier | None:
    """An earlier revision of this bulletin, with the contributions of the companies whose
    declarations differ between the two: a reader differencing the revisions reaches them.

    The reader is assumed to know, for each group, how many declarations were added, removed or
    changed in it (the response counts and the correction note come close): a sum of added
    declarations only grows, one of removed declarations only shrinks, a count of companies moves
    by at most the companies that differ, and was bounded by the respondents of that time."""
    state = _published_state(book, record)
    if state is None:
        return None
    values, hidden = state
    before = {entry["id"]: entry["version"] for entry in record.get("declarations") or []}
    now = dict(book.data.declarations)
    differing = _differing(before, now)
    kinds = {
        "added": [pk for pk in differing if pk not in before],
        "removed": [pk for pk in differing if pk not in now],
        "changed": [pk for pk in differing if pk in before and pk in now],
    }
    parts = {
        kind: _difference_cells(campaign=campaign, rules=rules, declarations=pks) for kind, pks in kinds.items() if pks
    }
    changes: dict = {}
    bounds: dict = {}
    uppers: dict = {}
    for key in {key for cells in parts.values() for key in cells}:
        cells = {kind: part[key] for kind, part in parts.items() if key in part}
        changes[key] = Cell(
            value=sum((Fraction(cell.value) for cell in cells.values()), Fraction(0)),
            contributors=sum(cell.contributors for cell in cells.values()),
            largest=top((x for cell in cells.values() for x in cell.largest or ()), rules.dominance_n)
            if any(cell.largest is not None for cell in cells.values())
            else None,
        )
        added, removed, changed = (cells[kind].contributors if kind in cells else 0 for kind in kinds)
        current = book.tables.cells[key]
        if current.upper is not None:
            bounds[key] = (Fraction(-removed - changed), Fraction(added + changed))
            uppers[key] = Fraction(current.upper) - added + removed
        else:
            bounds[key] = (Fraction(0) if not removed + changed else None, Fraction(0) if not added + changed else None)
    # Figures that moved without being sums of the differing declarations (an estimate's factor,
    # the silent companies' workforce): linked by a free difference, not sensitive of their own.
    for key, value in values.items():
        if key not in changes and Fraction(book.tables.cells[key].value) != value:
            changes[key] = Cell(value=Fraction(book.tables.cells[key].value) - value)
    label = _("révision %(number)s") % {"number": record.get("revision", "?")}
    return Earlier(
        label=str(label),
        values=values,
        hidden=hidden,
        changes=changes,
        only_added=not kinds["removed"] and not kinds["changed"],
        companies=len(differing),
        bounds=bounds,
        uppers=uppers,
    )


def _difference_cells(*, campaign: Campaign, rules: DisclosureRules, declarations: list[int]) -> dict:
    """The figures of a few declarations alone, as the bulletin would declare them."""
    difference = _book(read_campaign(campaign=campaign, rules=rules, selection={"pk__in": declarations}))
    return {
        key: cell
        for key, cell in difference.tables.cells.items()
        if cell.is_figure and cell.contributors and key[0] not in REGISTRY_WIDE
    }
