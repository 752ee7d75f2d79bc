"""How each demo company lives through the spring of 2020, week by week: its figures, whether
it answers, how the review of its declaration goes, which measures it takes.

Pure functions of a seeded random generator and of unsaved objects: no database here, so the
story can be read, and tuned, apart from the writing of rows (demo.builder).
"""

import datetime
import math
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from demo import sector
from demo.allocation import round_half_up, split_proportionally
from measures.models import Campaign, Declaration, DeclarationMeasure, Measure
from members.models import Company, Site


def moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@dataclass(frozen=True)
class Profile:
    """How one company lives through the crisis, drawn once."""

    telework_capacity: float
    unemployment_bias: float
    absence_bias: float
    productivity: float
    activity_offset: float
    response_propensity: float


def on_week(series: tuple, week: int):
    """The sector's value for a week; weeks after the spring of 2020 (a longer history, see
    demo.scale) keep the last one: the sector settled into telework."""
    return series[min(week, len(series) - 1)]


def draw_profile(company: Company, rng: random.Random) -> Profile:
    if company.segment == Company.Segment.MEMBER:
        return Profile(
            telework_capacity=rng.uniform(0.9, 1.25),
            unemployment_bias=rng.uniform(0.5, 1.1),
            absence_bias=rng.uniform(0.7, 1.3),
            productivity=rng.uniform(0.85, 1.2),
            activity_offset=rng.uniform(-4, 4),
            response_propensity=sector.MEMBER_RESPONSE_RATE,
        )
    # Small operators lack laptops and secure links, so they telework less and stop more; the
    # larger and the formal ones answer surveys more often.
    size = min(1.0, company.registered_headcount / 70)
    propensity = 0.35 + 0.7 * size + rng.uniform(-0.1, 0.1)
    propensity -= {Company.Formality.INFORMAL: 0.15, Company.Formality.UNVERIFIED: 0.05}.get(company.formality, 0)
    return Profile(
        telework_capacity=rng.uniform(0.35, 0.85),
        unemployment_bias=rng.uniform(1.2, 2.2),
        absence_bias=rng.uniform(0.7, 1.4),
        productivity=rng.uniform(0.45, 0.9),
        activity_offset=rng.uniform(-12, 2),
        response_propensity=min(0.95, max(0.05, propensity)),
    )


def stochastic_round(value: float, rng: random.Random) -> int:
    """Round up with a probability equal to the fraction, so small companies still see the odd
    hire or departure instead of always zero."""
    whole = int(value)
    return whole + (1 if rng.random() < value - whole else 0)


def headcount_split(company: Company, profile: Profile, week: int, headcount: int, rng: random.Random) -> dict:
    noise = rng.uniform(0.93, 1.07)
    unemployment = on_week(sector.TECHNICAL_UNEMPLOYMENT, week) * profile.unemployment_bias
    absence = on_week(sector.OTHER_ABSENCE, week) * profile.absence_bias
    if company.trade_name == sector.TWELVE_PERCENT_MEMBER and week >= sector.TWELVE_PERCENT_FROM_WEEK:
        # Exactly 12% on site, by the rounding people use; everyone else who works, teleworks.
        on_site = round_half_up(Decimal(headcount * sector.TWELVE_PERCENT) / 100)
        technical_unemployment = math.floor(headcount * sector.TWELVE_PERCENT_MEMBER_UNEMPLOYMENT)
        other_absence = math.floor(headcount * sector.TWELVE_PERCENT_MEMBER_OTHER_ABSENCE)
        telework = headcount - on_site - technical_unemployment - other_absence
    else:
        telework_share = min(0.92, on_week(sector.TELEWORK, week) * profile.telework_capacity * noise)
        shares = telework_share + unemployment + absence
        if shares > 0.97:
            # Someone always stays on site (technical staff, supervisors).
            telework_share, unemployment, absence = (x * 0.97 / shares for x in (telework_share, unemployment, absence))
        telework = round(headcount * telework_share)
        technical_unemployment = math.floor(headcount * unemployment)
        other_absence = math.floor(headcount * absence)
        on_site = headcount - telework - technical_unemployment - other_absence
        if on_site < 0:
            telework += on_site
            on_site = 0
    return {
        "on_site": on_site,
        "telework": telework,
        "technical_unemployment": technical_unemployment,
        "other_absence": other_absence,
    }


def trajectory(company: Company, profile: Profile, weeks: int, rng: random.Random) -> list[dict]:
    """The company's figures for every week, whether or not it answers: its headcount carries
    over from one week to the next."""
    segment = company.segment
    headcount = company.registered_headcount
    figures = []
    for week in range(weeks):
        hires = stochastic_round(headcount * on_week(sector.HIRES_RATE, week) * rng.uniform(0.5, 1.5), rng)
        separations = stochastic_round(headcount * on_week(sector.SEPARATIONS_RATE, week) * rng.uniform(0.5, 1.5), rng)
        dismissals = min(separations, stochastic_round(separations * sector.DISMISSAL_SHARE[segment], rng))
        headcount = max(1, headcount + hires - separations)
        split = headcount_split(company, profile, week, headcount, rng)
        activity = round(on_week(sector.ACTIVITY, week) + profile.activity_offset + rng.gauss(0, 4))
        activity = min(100, max(5, activity))
        revenue = headcount * sector.EXPORT_REVENUE_PER_EMPLOYEE_WEEK * activity / 100 * profile.productivity
        revenue *= rng.uniform(0.96, 1.04)
        on_site = split["on_site"]
        figures.append(
            {
                "headcount": headcount,
                **split,
                "hires": hires,
                "separations": separations,
                "dismissals": dismissals,
                "export_revenue": Decimal(round(revenue, -2)).quantize(Decimal("0.01")),
                "activity_maintained_pct": activity,
                "keeps_technical_on_site": on_site > 0 and rng.random() < 0.9,
                "keeps_hr_on_site": on_site > 0 and rng.random() < 0.6,
                "keeps_support_on_site": on_site > 0 and rng.random() < 0.75,
                "keeps_production_on_site": on_site > headcount * 0.1 or (on_site > 0 and rng.random() < 0.3),
                "difficulties": rng.choice(sector.DIFFICULTIES) if rng.random() < 0.25 else "",
            }
        )
    return figures


@dataclass
class Event:
    action: str
    actor: User
    at: datetime.datetime
    comment: str = ""


def day_between(first: datetime.date, last: datetime.date, fraction: float) -> datetime.date:
    span = max(0, (last - first).days)
    return first + datetime.timedelta(days=min(span, int(fraction * (span + 1))))


def closed_week_events(
    campaign: Campaign,
    segment: str,
    declarant: User,
    staff: User,
    week: int,
    rng: random.Random,
    *,
    closed_weeks: int = sector.WEEK_COUNT,
) -> list[Event]:
    recent = week >= closed_weeks - sector.RECENT_WEEKS
    pending, returned, corrected = sector.RECENT_CLOSED_REVIEW_OUTCOMES if recent else sector.CLOSED_REVIEW_OUTCOMES
    late = rng.random() < sector.LATE_RATE[segment]
    outcome = rng.random()
    day_draw, hour_draw, minute_draw, review_draw, review_hour_draw = (rng.random() for _ in range(5))
    comment = rng.choice(sector.RETURN_COMMENTS)
    if late:
        submitted_on = campaign.due_on + datetime.timedelta(days=1 + int(day_draw * 4))
    else:
        submitted_on = campaign.opens_on + datetime.timedelta(days=int(day_draw * (sector.DUE_AFTER_OPENING_DAYS + 1)))
    # Declarants submit in the morning, staff review in the afternoon.
    events = [
        Event(
            Declaration.Status.SUBMITTED, declarant, moment(submitted_on, 8 + int(hour_draw * 4), int(minute_draw * 60))
        )
    ]
    review_on = submitted_on + datetime.timedelta(days=1 + int(review_draw * 2))
    review_at = moment(review_on, 14 + int(review_hour_draw * 4), int(minute_draw * 60))
    if outcome < pending:
        return events
    if outcome < pending + returned:
        return [*events, Event(Declaration.Status.RETURNED, staff, review_at, comment)]
    if outcome < pending + returned + corrected:
        resubmitted_on = review_on + datetime.timedelta(days=1)
        return [
            *events,
            Event(Declaration.Status.RETURNED, staff, review_at, comment),
            Event(Declaration.Status.SUBMITTED, declarant, moment(resubmitted_on, 9, int(minute_draw * 60))),
            Event(Declaration.Status.APPROVED, staff, moment(resubmitted_on + datetime.timedelta(days=1), 15)),
        ]
    return [*events, Event(Declaration.Status.APPROVED, staff, review_at)]


def demo_campaign_events(
    campaign: Campaign, today: datetime.date, declarant: User, staff: User, rng: random.Random
) -> tuple[str, list[Event]]:
    """The open campaign is under way: every state exists, and nothing happened after yesterday."""
    draft, submitted, returned = sector.DEMO_CAMPAIGN_OUTCOMES
    outcome = rng.random()
    day_draw, hour_draw, minute_draw, review_draw, review_hour_draw = (rng.random() for _ in range(5))
    comment = rng.choice(sector.RETURN_COMMENTS)
    if outcome < draft:
        return Declaration.Status.DRAFT, []
    yesterday = today - datetime.timedelta(days=1)
    submitted_on = day_between(campaign.opens_on, yesterday, day_draw)
    events = [
        Event(
            Declaration.Status.SUBMITTED, declarant, moment(submitted_on, 8 + int(hour_draw * 4), int(minute_draw * 60))
        )
    ]
    if outcome < draft + submitted:
        return Declaration.Status.SUBMITTED, events
    review_at = moment(
        day_between(submitted_on, yesterday, review_draw), 14 + int(review_hour_draw * 4), int(minute_draw * 60)
    )
    if outcome < draft + submitted + returned:
        return Declaration.Status.RETURNED, [*events, Event(Declaration.Status.RETURNED, staff, review_at, comment)]
    return Declaration.Status.APPROVED, [*events, Event(Declaration.Status.APPROVED, staff, review_at)]


def measure_answers(
    measures: list[Measure], figures: dict, segment: str, week: int, rng: random.Random
) -> list[tuple[int, str, int | None]]:
    """(measure id, status, employees concerned), adoption growing week after week."""
    progress = min(1.0, week / sector.ADOPTION_SETTLES_AFTER_WEEKS)
    answers = []
    for measure in measures:
        adoption = sector.ADOPTION.get(measure.code, sector.DEFAULT_ADOPTION)
        draw = rng.random()
        if adoption.needs and not figures[adoption.needs]:
            answers.append((measure.pk, DeclarationMeasure.Status.NOT_APPLICABLE, None))
            continue
        in_place = adoption.first + (adoption.settled - adoption.first) * progress
        if segment == Company.Segment.SMALL:
            in_place *= sector.SMALL_ADOPTION_FACTOR
        if draw < in_place:
            concerned = None
            if measure.counts_employees:
                figure, share = sector.EMPLOYEES_CONCERNED.get(measure.code, ("headcount", 1.0))
                concerned = min(figures["headcount"], round(figures[figure] * share))
            answers.append((measure.pk, DeclarationMeasure.Status.IN_PLACE, concerned))
        elif draw < in_place + (1 - in_place) * adoption.planned:
            answers.append((measure.pk, DeclarationMeasure.Status.PLANNED, None))
        else:
            answers.append((measure.pk, DeclarationMeasure.Status.NOT_APPLICABLE, None))
    return answers


def regional_lines(sites: list[Site], figures: dict) -> list[tuple[int, int, int, int]]:
    """(region id, headcount, on site, telework), following the company's sites."""
    weights: dict[int, int] = defaultdict(int)
    for site in sites:
        weights[site.region_id] += site.workstations
    regions = sorted(weights)
    shares = [weights[region] for region in regions]
    headcounts = split_proportionally(figures["headcount"], shares)
    on_site = split_proportionally(figures["on_site"], shares, caps=headcounts)
    telework = split_proportionally(
        figures["telework"], shares, caps=[h - o for h, o in zip(headcounts, on_site, strict=True)]
    )
    return list(zip(regions, headcounts, on_site, telework, strict=True))
