"""The publication guard: whether a bulletin published now would be provisional, and why.

A campaign not yet closed may still receive or change declarations, and a partial response gives
figures of a different set of companies than the week before: both are published only on staff's
explicit confirmation, and the revision says it is provisional, with its reasons in words
(docs/disclosure.md, "Provisional bulletins")."""

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from bulletins.aggregation.reading import approved_in, counted_declaration
from measures.models import Campaign
from members.models import Company

# What changed in how a revision's provisional status is decided, recorded in its internal
# record: a revision stored before the guard (no record) was never marked.
GUARD_RULES_VERSION = 1

CAMPAIGN_OPEN = "campaign_open"
WORKFORCE_COVERAGE = "workforce_coverage"
COMPANY_RESPONSE = "company_response"


@dataclass(frozen=True)
class Guard:
    """The reasons a publication would be provisional, each a small JSON-ready dict; none when it
    would not. Coverage values are exact here; the public snapshot prints what it may."""

    reasons: tuple[dict, ...]
    floors: dict

    @property
    def provisional(self) -> bool:
        return bool(self.reasons)

    def record(self) -> dict:
        """What the internal record keeps: the floors applied and the exact reasons."""
        return {"rules_version": GUARD_RULES_VERSION, "floors": self.floors, "reasons": list(self.reasons)}


def publication_guard(*, campaign: Campaign, today: datetime.date | None = None) -> Guard:
    """Whether publishing the campaign's bulletin now would be provisional; one query."""
    today = today or timezone.localdate()
    floors = {
        WORKFORCE_COVERAGE: settings.BULLETIN_MIN_WORKFORCE_COVERAGE,
        COMPANY_RESPONSE: settings.BULLETIN_MIN_COMPANY_RESPONSE,
    }
    reasons = []
    if campaign.status != Campaign.Status.CLOSED:
        # Until staff close it, declarations may still arrive, be corrected or be approved.
        reasons.append(
            {"code": CAMPAIGN_OPEN, "due_on": campaign.due_on.isoformat(), "due_passed": today > campaign.due_on}
        )
    answered = Q(approved__isnull=False)
    response = (
        Company.objects.active()
        .alias(approved=counted_declaration(approved_in(campaign)))
        .aggregate(
            expected=Count("pk"),
            responded=Count("pk", filter=answered),
            registered=Sum("registered_headcount"),
            covered=Sum("registered_headcount", filter=answered),
        )
    )
    for code, part, whole in (
        (WORKFORCE_COVERAGE, response["covered"] or 0, response["registered"] or 0),
        (COMPANY_RESPONSE, response["responded"], response["expected"]),
    ):
        share = Fraction(part, whole) if whole else Fraction(0)
        if 100 * share < floors[code]:
            reasons.append({"code": code, "value": round(float(share), 4), "floor": floors[code] / 100})
    return Guard(reasons=tuple(reasons), floors=floors)


def public_reasons(guard: Guard, snapshot: dict) -> list[dict]:
    """The reasons as the public snapshot states them. The registered workforce covered is
    printed only where the response table prints it: a coverage the disclosure control suppressed
    (one dominant company among the respondents) is not given away by the reason."""
    total = next((row for row in (snapshot.get("response") or {}).get("rows") or [] if row.get("key") == "total"), {})
    published_coverage = (
        None if (total.get("flags") or {}).get("workforce_coverage") else total.get("workforce_coverage")
    )
    reasons = []
    for reason in guard.reasons:
        if reason["code"] == WORKFORCE_COVERAGE:
            reason = {**reason, "value": published_coverage}
        reasons.append(reason)
    return reasons
