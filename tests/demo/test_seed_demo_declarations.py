import pytest
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone

from demo import sector
from measures.models import Campaign, Declaration, DeclarationEvent, DeclarationMeasure, DeclarationRegion
from measures.validation import submission_errors
from members.models import Company, Site

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("seeded")]

RECEIVED = (Declaration.Status.SUBMITTED, Declaration.Status.RETURNED, Declaration.Status.APPROVED)


def _closed_weeks() -> list[Campaign]:
    return list(Campaign.objects.filter(status=Campaign.Status.CLOSED).order_by("period_start"))


def _demo_campaign() -> Campaign:
    return Campaign.objects.get(status=Campaign.Status.OPEN)


def _received(campaign: Campaign):
    return Declaration.objects.filter(campaign=campaign, status__in=RECEIVED)


def _shares(campaign: Campaign) -> dict[str, float]:
    totals = _received(campaign).aggregate(
        headcount=Sum("headcount"),
        on_site=Sum("on_site"),
        telework=Sum("telework"),
        technical_unemployment=Sum("technical_unemployment"),
    )
    return {part: totals[part] / totals["headcount"] for part in ("on_site", "telework", "technical_unemployment")}


def test_there_are_ten_closed_weeks_from_16_march_2020_and_one_open_campaign():
    weeks = _closed_weeks()

    assert [week.title for week in weeks[:2]] == ["Semaine du 16 mars 2020", "Semaine du 23 mars 2020"]
    assert len(weeks) == 10
    assert Campaign.objects.filter(status=Campaign.Status.OPEN).count() == 1


def test_closed_weeks_run_monday_to_sunday_and_open_due_and_lock_in_order():
    for week in _closed_weeks():
        assert week.period_start.weekday() == 0
        assert (week.period_end - week.period_start).days == 6
        assert (week.opens_on - week.period_end).days == 1
        assert (week.due_on - week.opens_on).days == 3
        assert (week.locks_on - week.due_on).days == 7


def test_the_open_campaign_accepts_edits_today():
    assert _demo_campaign().accepts_edits()


def test_members_hold_about_eighty_percent_of_the_declared_headcount_every_closed_week():
    for week in _closed_weeks():
        totals = _received(week).aggregate(
            all=Sum("headcount"), members=Sum("headcount", filter=Q(company__segment=Company.Segment.MEMBER))
        )
        assert 0.75 <= totals["members"] / totals["all"] <= 0.85, week


def test_members_answer_almost_always_and_small_operators_less():
    expected = Company.objects.aggregate(
        members=Count("pk", filter=Q(segment=Company.Segment.MEMBER)),
        small=Count("pk", filter=Q(segment=Company.Segment.SMALL)),
    )
    for week in _closed_weeks():
        received = _received(week).aggregate(
            members=Count("pk", filter=Q(company__segment=Company.Segment.MEMBER)),
            small=Count("pk", filter=Q(company__segment=Company.Segment.SMALL)),
        )
        assert received["members"] / expected["members"] >= 0.85, week
        assert 0.4 <= received["small"] / expected["small"] <= 0.7, week


def test_closed_weeks_are_mostly_approved_with_a_few_returned_pending_or_late():
    declarations = Declaration.objects.filter(campaign__status=Campaign.Status.CLOSED)
    counts = declarations.aggregate(
        all=Count("pk"),
        approved=Count("pk", filter=Q(status=Declaration.Status.APPROVED)),
        returned=Count("pk", filter=Q(status=Declaration.Status.RETURNED)),
        submitted=Count("pk", filter=Q(status=Declaration.Status.SUBMITTED)),
        drafts=Count("pk", filter=Q(status=Declaration.Status.DRAFT)),
    )
    late = declarations.late().count()

    assert counts["approved"] / counts["all"] >= 0.85
    assert counts["returned"] and counts["submitted"]
    assert counts["drafts"] == 0
    assert 0 < late / counts["all"] <= 0.25


def test_the_open_campaign_has_declarations_in_every_status():
    statuses = set(Declaration.objects.filter(campaign=_demo_campaign()).values_list("status", flat=True))

    assert statuses == set(Declaration.Status.values)


def test_the_demo_declarants_companies_have_no_declaration_in_the_open_campaign():
    demo_companies = Company.objects.filter(trade_name__in=[sector.DEMO_MEMBER, sector.DEMO_SMALL_OPERATOR[0]])

    assert demo_companies.count() == 2
    assert not Declaration.objects.filter(campaign=_demo_campaign(), company__in=demo_companies).exists()


def test_the_demo_declarants_companies_declared_every_closed_week():
    for trade_name in (sector.DEMO_MEMBER, sector.DEMO_SMALL_OPERATOR[0]):
        declared = Declaration.objects.filter(company__trade_name=trade_name, campaign__status=Campaign.Status.CLOSED)
        assert declared.count() == 10, trade_name


def test_telework_climbs_from_a_few_percent_to_most_of_the_workforce():
    weekly = [_shares(week)["telework"] for week in _closed_weeks()]

    assert weekly[0] < 0.1
    assert weekly[-1] > 0.5
    assert weekly == sorted(weekly)


def test_on_site_falls_week_after_week():
    weekly = [_shares(week)["on_site"] for week in _closed_weeks()]

    assert weekly == sorted(weekly, reverse=True)


def test_technical_unemployment_rises_then_stabilises():
    weekly = [_shares(week)["technical_unemployment"] for week in _closed_weeks()]

    assert weekly[0] < 0.05
    assert max(weekly) - min(weekly[4:]) < 0.05


def test_one_large_member_keeps_exactly_twelve_percent_on_site_from_the_third_week():
    declarations = Declaration.objects.filter(
        company__trade_name=sector.TWELVE_PERCENT_MEMBER, campaign__status=Campaign.Status.CLOSED
    ).order_by("campaign__period_start")

    assert declarations.count() == 10
    for declaration in declarations[2:]:
        assert abs(declaration.on_site - declaration.headcount * 0.12) <= 0.5, declaration
    assert declarations[0].on_site > declarations[0].headcount * 0.5


def test_every_received_declaration_passes_the_submission_rules():
    declarations = Declaration.objects.filter(status__in=RECEIVED).select_related("campaign")
    declarations = declarations.prefetch_related("regional_lines", "measure_answers__measure")

    failures = {
        str(declaration): errors
        for declaration in declarations
        if (
            errors := submission_errors(
                declaration, list(declaration.regional_lines.all()), declaration.measure_answers.all()
            )
        )
    }

    assert declarations.count() > 2_000
    assert failures == {}


def test_drafts_break_no_rule_of_a_draft():
    drafts = Declaration.objects.filter(status=Declaration.Status.DRAFT).select_related("campaign")

    assert drafts.exists()
    for draft in drafts:
        draft.full_clean(exclude=["campaign", "company"], validate_unique=False, validate_constraints=False)


def test_regional_lines_follow_the_company_sites():
    outside_sites = DeclarationRegion.objects.exclude(
        Exists(Site.objects.filter(company=OuterRef("declaration__company"), region=OuterRef("region")))
    )

    assert not outside_sites.exists()


def test_measure_adoption_grows_over_the_weeks():
    first, *_, last = _closed_weeks()

    def in_place_share(week: Campaign) -> float:
        answers = DeclarationMeasure.objects.filter(declaration__campaign=week).aggregate(
            all=Count("pk"), in_place=Count("pk", filter=Q(status=DeclarationMeasure.Status.IN_PLACE))
        )
        return answers["in_place"] / answers["all"]

    assert in_place_share(last) > in_place_share(first) + 0.1


def test_employees_concerned_are_given_where_the_measure_counts_them():
    in_place = DeclarationMeasure.objects.filter(status=DeclarationMeasure.Status.IN_PLACE)

    assert not in_place.filter(measure__counts_employees=True, employees_concerned=None).exists()
    assert not in_place.filter(measure__counts_employees=False).exclude(employees_concerned=None).exists()


def test_the_cnss_allowance_covers_the_staff_on_technical_unemployment():
    answers = DeclarationMeasure.objects.filter(
        measure__code="cnss-allowance", status=DeclarationMeasure.Status.IN_PLACE
    )

    assert answers.exists()
    assert not answers.exclude(employees_concerned=F("declaration__technical_unemployment")).exists()


def test_weekly_export_revenue_is_about_two_hundred_million_dirhams_and_falls_with_activity():
    weeks = _closed_weeks()

    def revenue_per_employee(week: Campaign) -> float:
        totals = _received(week).aggregate(revenue=Sum("export_revenue"), headcount=Sum("headcount"))
        return float(totals["revenue"]) / totals["headcount"]

    # Scaled to the sector's 80,000 jobs: 11 bn MAD a year is about 210 M MAD a week.
    assert 150e6 <= revenue_per_employee(weeks[0]) * 80_000 <= 250e6
    assert revenue_per_employee(weeks[5]) < revenue_per_employee(weeks[0]) * 0.8


def test_activity_maintained_falls_then_recovers_a_little():
    weekly = [
        _received(week).aggregate(average=Sum(F("activity_maintained_pct") * F("headcount")) / Sum("headcount"))[
            "average"
        ]
        for week in _closed_weeks()
    ]

    assert weekly[0] > 85
    assert min(weekly) < 70
    assert weekly[-1] > min(weekly)


def test_the_declaration_audit_fields_match_its_last_events():
    mismatches = []
    declarations = Declaration.objects.exclude(status=Declaration.Status.DRAFT).prefetch_related("events")
    for declaration in declarations:
        last = {event.action: event for event in declaration.events.all()}
        submitted, returned, approved = (last.get(action) for action in DeclarationEvent.Action.values)
        expected = (
            (submitted.at, submitted.actor_id),
            (returned.at, returned.actor_id, returned.comment) if returned else (None, None, ""),
            (approved.at, approved.actor_id) if approved else (None, None),
        )
        actual = (
            (declaration.submitted_at, declaration.submitted_by_id),
            (declaration.returned_at, declaration.returned_by_id, declaration.return_comment),
            (declaration.approved_at, declaration.approved_by_id),
        )
        if expected != actual:
            mismatches.append(declaration.pk)

    assert mismatches == []


def test_each_declaration_ends_in_the_state_its_last_event_says():
    for declaration in Declaration.objects.exclude(status=Declaration.Status.DRAFT).prefetch_related("events"):
        assert list(declaration.events.all())[-1].action == declaration.status


def test_declarants_submit_and_staff_review():
    events = DeclarationEvent.objects.select_related("actor")

    assert not events.filter(action=DeclarationEvent.Action.SUBMITTED, actor__is_staff=True).exists()
    assert not events.exclude(action=DeclarationEvent.Action.SUBMITTED).filter(actor__is_staff=False).exists()


def test_returns_carry_a_comment():
    assert not DeclarationEvent.objects.filter(action=DeclarationEvent.Action.RETURNED, comment="").exists()


def test_late_submissions_are_flagged_late():
    submissions = DeclarationEvent.objects.filter(action=DeclarationEvent.Action.SUBMITTED)
    late = submissions.filter(at__date__gt=F("declaration__campaign__due_on"))

    assert late.exists()
    assert set(late.values_list("late", flat=True)) == {True}
    assert not submissions.filter(late=True).exclude(pk__in=late).exists()


def test_nothing_happened_in_the_future_or_before_a_campaign_opened():
    events = DeclarationEvent.objects.all()

    assert not events.filter(at__gt=timezone.now()).exists()
    assert not events.filter(at__date__lt=F("declaration__campaign__opens_on")).exists()
