"""campaign_snapshot against figures computed by hand on a small registry.

Members (all formal; M4 registered but silent):
    M1  1000 employees, 120 on site (the seed's member keeping 12 % on site), 700 telework,
        140 technical unemployment, 40 other absence; activity 90 %; regions MA-06 800, MA-01 200
    M2   800: 200 / 480 / 90 / 30; activity 60 %; MA-06
    M3   600: 180 / 330 / 60 / 30; activity 50 %; MA-04; late
Small operators (S1, S2 unverified, S3 informal; S4 submitted, S5 draft, S6 returned):
    S1    60: 30 / 20 / 5 / 5;  activity 80 %;  MA-06
    S2    40: 10 / 25 / 3 / 2;  activity 70 %;  MA-06; late
    S3    50: 20 / 20 / 6 / 4;  activity 100 %; MA-04
"""

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from bulletins.aggregation import campaign_snapshot
from measures.models import Declaration, DeclarationMeasure, Measure
from members.models import Company
from tests.factories import (
    CampaignFactory,
    CompanyFactory,
    DeclarationFactory,
    DeclarationMeasureFactory,
    DeclarationRegionFactory,
    region,
)

# The factory campaign is due on Thursday 26 March 2020.
ON_TIME = timezone.make_aware(datetime.datetime(2020, 3, 25, 10, 0))
LATE = timezone.make_aware(datetime.datetime(2020, 3, 27, 10, 0))
# Half past midnight in Casablanca is still the 26th in UTC: late all the same.
JUST_LATE = timezone.make_aware(datetime.datetime(2020, 3, 27, 0, 30))

MEMBER, SMALL = Company.Segment.MEMBER, Company.Segment.SMALL
FORMAL, UNVERIFIED, INFORMAL = Company.Formality.FORMAL, Company.Formality.UNVERIFIED, Company.Formality.INFORMAL

COMPANIES = {
    # name: segment, formality, registered, headcount, parts, (hires, separations, dismissals),
    #       export revenue, activity %, regional lines {code: (headcount, on site, telework)}, submitted
    "M1": (MEMBER, FORMAL, 1000, 1000, (120, 700, 140, 40), (10, 20, 5), "4000000.00", 90,
           {"MA-06": (800, 100, 560), "MA-01": (200, 20, 140)}, ON_TIME),
    "M2": (MEMBER, FORMAL, 800, 800, (200, 480, 90, 30), (6, 10, 2), "3000000.00", 60,
           {"MA-06": (800, 200, 480)}, ON_TIME),
    "M3": (MEMBER, FORMAL, 700, 600, (180, 330, 60, 30), (4, 6, 2), "2000000.00", 50,
           {"MA-04": (600, 180, 330)}, LATE),
    "S1": (SMALL, UNVERIFIED, 60, 60, (30, 20, 5, 5), (2, 3, 1), "100000.00", 80, {"MA-06": (60, 30, 20)}, ON_TIME),
    "S2": (SMALL, UNVERIFIED, 50, 40, (10, 25, 3, 2), (1, 2, 1), "60000.00", 70, {"MA-06": (40, 10, 25)}, LATE),
    "S3": (SMALL, INFORMAL, 40, 50, (20, 20, 6, 4), (1, 1, 1), "40000.00", 100, {"MA-04": (50, 20, 20)}, ON_TIME),
}  # fmt: skip


def approved_declaration(campaign, name: str) -> Declaration:
    segment, formality, registered, headcount, parts, flows, export, activity, lines, submitted = COMPANIES[name]
    company = CompanyFactory(trade_name=name, segment=segment, formality=formality, registered_headcount=registered)
    declaration = DeclarationFactory(
        campaign=campaign,
        company=company,
        status=Declaration.Status.APPROVED,
        headcount=headcount,
        on_site=parts[0],
        telework=parts[1],
        technical_unemployment=parts[2],
        other_absence=parts[3],
        hires=flows[0],
        separations=flows[1],
        dismissals=flows[2],
        export_revenue=Decimal(export),
        activity_maintained_pct=activity,
        submitted_at=submitted,
        approved_at=LATE + datetime.timedelta(days=1),
    )
    for code, (line_headcount, on_site, telework) in lines.items():
        DeclarationRegionFactory(
            declaration=declaration, region=region(code), headcount=line_headcount, on_site=on_site, telework=telework
        )
    return declaration


def answer(declaration: Declaration, code: str, status: str) -> None:
    DeclarationMeasureFactory(declaration=declaration, measure=Measure.objects.get(code=code), status=status)


@pytest.fixture
def campaign(db):
    campaign = CampaignFactory(title="Semaine du 16 mars 2020")
    declarations = {name: approved_declaration(campaign, name) for name in COMPANIES}
    CompanyFactory(trade_name="M4", segment=MEMBER, registered_headcount=500)
    # Counted as expected and received (or not), never in the figures: each would add 1000 employees.
    figures = {"headcount": 1000, "on_site": 1000, "telework": 0, "technical_unemployment": 0, "other_absence": 0}
    for name, registered, status, submitted in (
        ("S4", 100, Declaration.Status.SUBMITTED, JUST_LATE),
        ("S5", 30, Declaration.Status.DRAFT, None),
        ("S6", 20, Declaration.Status.RETURNED, ON_TIME),
    ):
        company = CompanyFactory(trade_name=name, segment=SMALL, formality=FORMAL, registered_headcount=registered)
        DeclarationFactory(campaign=campaign, company=company, status=status, submitted_at=submitted, **figures)
    # Neither is expected to declare.
    CompanyFactory(segment=SMALL, registration_status=Company.RegistrationStatus.PENDING, registered_headcount=999)
    CompanyFactory(segment=MEMBER, is_active=False, registered_headcount=777)

    in_place, planned, not_applicable = DeclarationMeasure.Status.values
    for name, status in (("M1", in_place), ("M2", in_place), ("M3", planned), ("S1", in_place), ("S2", not_applicable)):
        answer(declarations[name], "masks", status)
    answer(declarations["S3"], "masks", in_place)
    for name in COMPANIES:
        answer(declarations[name], "hand-sanitiser", in_place)
    for name, status in (("M1", not_applicable), ("M3", planned), ("S1", planned), ("S2", in_place), ("S3", planned)):
        answer(declarations[name], "cnss-allowance", status)
    campaign.declarations_by_name = declarations
    return campaign


def table(snapshot: dict, table_id: str) -> dict:
    return next(t for t in snapshot["tables"] if t["id"] == table_id)


def row(snapshot: dict, table_id: str, key: str) -> dict:
    found = table(snapshot, table_id)
    if key == "total":
        return found["total"]["cells"]
    return next(r for r in found["rows"] if r["key"] == key)["cells"]


def values(cells: dict) -> dict:
    return {column: cell["value"] for column, cell in cells.items()}


def response(snapshot: dict, key: str) -> dict:
    return next(r for r in snapshot["response"]["rows"] if r["key"] == key)


def published(value) -> dict:
    return {"value": value, "flag": None}


SUPPRESSED = {"value": None, "flag": "c"}


def test_response_counts_expected_received_on_time_and_late_reports_by_segment(campaign):
    snapshot, _internal = campaign_snapshot(campaign=campaign)

    member, small, total = (response(snapshot, key) for key in ("member", "small", "total"))
    assert (member["expected"], member["received"], member["on_time"], member["late"], member["approved"]) == (
        4,
        3,
        2,
        1,
        3,
    )
    assert (small["expected"], small["received"], small["on_time"], small["late"], small["approved"]) == (6, 5, 3, 2, 3)
    assert (total["expected"], total["received"], total["on_time"], total["late"], total["approved"]) == (
        10,
        8,
        5,
        3,
        6,
    )


def test_a_report_sent_half_an_hour_after_the_due_day_in_casablanca_is_late(campaign):
    snapshot, _internal = campaign_snapshot(campaign=campaign)

    # S4 is late by 30 minutes of local time, on time by UTC's calendar.
    assert response(snapshot, "small")["late"] == 2


def test_response_rates_are_shares_of_the_expected_reports(campaign):
    snapshot, _internal = campaign_snapshot(campaign=campaign)

    assert response(snapshot, "member")["response_rate"] == 0.75
    assert response(snapshot, "small")["response_rate"] == 0.8333
    assert response(snapshot, "total")["on_time_rate"] == 0.5


def test_coverage_is_the_registered_workforce_of_respondents(even_campaign):
    snapshot, _internal = campaign_snapshot(campaign=even_campaign)

    member, total = response(snapshot, "member"), response(snapshot, "total")
    # Six members respond with 2100 registered; three silent ones have 660.
    assert (member["registered_workforce"], member["covered_workforce"], member["workforce_coverage"]) == (
        2760,
        2100,
        0.7609,
    )
    assert (total["registered_workforce"], total["covered_workforce"], total["workforce_coverage"]) == (
        3015,
        2355,
        0.7811,
    )


def test_coverage_of_the_sector_reference_figure_uses_the_80000_jobs(even_campaign):
    snapshot, _internal = campaign_snapshot(campaign=even_campaign)

    total = response(snapshot, "total")
    assert total["sector_reference_jobs"] == 80000
    assert total["sector_reference_coverage"] == 0.0294  # 2355 / 80000
    assert response(snapshot, "member")["sector_reference_coverage"] == 0.0263  # 2100 / 80000, rounded half up


def test_the_registered_headcount_of_a_lone_silent_member_cannot_be_derived(campaign):
    # Registered minus covered would be M4's registered headcount, and so would the factor of the
    # members' estimate times the respondents' registered workforce.
    snapshot, internal = campaign_snapshot(campaign=campaign)

    member = response(snapshot, "member")
    assert member["flags"]["covered_workforce"] == member["flags"]["registered_workforce"] == "c"
    assert member["covered_workforce"] is member["registered_workforce"] is None
    assert internal["suppressions"]["silent/response/member"] == "threshold"
    assert internal["protection"]["silent/response/member"]["protected"]


def test_headcount_and_its_split_are_summed_by_segment(campaign):
    snapshot, _internal = campaign_snapshot(campaign=campaign)

    member, small = values(row(snapshot, "by_segment", "member")), values(row(snapshot, "by_segment", "small"))
    assert (member["respondents"], member["headcount"], member["on_site"], member["telework"]) == (3, 2400, 500, 1510)
    assert (member["technical_unemployment"], member["other_absence"]) == (290, 100)
    assert (small["respondents"], small["headcount"], small["on_site"], small["telework"]) == (3, 150, 60, 65)
    assert (small["technical_unemployment"], small["other_absence"]) == (14, 11)


def test_the_member_keeping_twelve_percent_on_site_weighs_by_its_headcount(campaign):
    snapshot, _internal = campaign_snapshot(campaign=campaign)

    # (120 + 200 + 180) / 2400, not the mean of 12 %, 25 % and 30 %.
    assert row(snapshot, "by_segment", "member")["on_site_share"] == published(0.2083)


def test_key_figures_give_the_sector_split_as_shares(campaign):
    snapshot, _internal = campaign_snapshot(campaign=campaign)

    assert values(snapshot["key_figures"]) == {
        "respondents": 6,
        "headcount": 2550,
        "on_site_share": 0.2196,  # 560 / 2550
        "telework_share": 0.6176,  # 1575 / 2550
        "technical_unemployment_share": 0.1192,  # 304 / 2550
        "other_absence_share": 0.0435,  # 111 / 2550
        "hires": 24,
        "separations": 42,
        "dismissals": 12,
        "export_revenue": 9200000.0,
        "activity_maintained_avg": 0.7082,  # (90·1000 + 60·800 + 50·600 + 80·60 + 70·40 + 100·50) / 2550
    }


def test_activity_maintained_is_averaged_with_headcount_as_weight(campaign):
    snapshot, _internal = campaign_snapshot(campaign=campaign)

    # (90·1000 + 60·800 + 50·600) / 2400 = 70 %, where the plain mean of 90, 60 and 50 is 66.7 %.
    assert row(snapshot, "by_segment", "member")["activity_maintained_avg"] == published(0.7)
    assert row(snapshot, "by_segment", "small")["activity_maintained_avg"] == published(0.84)


def test_flows_and_export_revenue_are_summed_by_segment(campaign):
    snapshot, _internal = campaign_snapshot(campaign=campaign)

    member = values(row(snapshot, "by_segment", "member"))
    assert (member["hires"], member["separations"], member["dismissals"]) == (20, 36, 9)
    assert member["export_revenue"] == 9000000.0
    assert row(snapshot, "by_segment", "small")["export_revenue"] == published(200000.0)


def test_drafts_submitted_and_returned_declarations_are_not_counted(campaign):
    snapshot, internal = campaign_snapshot(campaign=campaign)

    assert snapshot["methodology"]["respondents"] == 6
    assert snapshot["key_figures"]["headcount"] == published(2550)
    counted = {d["id"] for d in internal["declarations"]}
    assert counted == {d.pk for d in campaign.declarations_by_name.values()}


def test_a_declaration_approved_for_another_campaign_is_not_counted(campaign):
    other = CampaignFactory(period_start=datetime.date(2020, 3, 23))
    DeclarationFactory(campaign=other, status=Declaration.Status.APPROVED, headcount=5000, on_site=4900)

    snapshot, _internal = campaign_snapshot(campaign=campaign)

    assert snapshot["key_figures"]["headcount"] == published(2550)


def test_formality_rows_with_fewer_than_three_companies_are_suppressed(campaign):
    snapshot, _internal = campaign_snapshot(campaign=campaign)

    assert row(snapshot, "by_formality", "formal")["headcount"] == published(2400)
    assert row(snapshot, "by_formality", "unverified")["headcount"] == SUPPRESSED
    assert row(snapshot, "by_formality", "informal")["telework_share"] == SUPPRESSED


def test_regional_figures_come_from_the_regional_lines(campaign):
    snapshot, _internal = campaign_snapshot(campaign=campaign)

    total = row(snapshot, "by_region", "total")
    assert values(total) == {
        "respondents": 6,
        "headcount": 2550,
        "on_site": 560,
        "telework": 1575,
        "on_site_share": 0.2196,
        "telework_share": 0.6176,
    }
    assert row(snapshot, "by_region", "MA-05") == {
        "respondents": published(0),
        "headcount": published(0),
        "on_site": published(0),
        "telework": published(0),
        "on_site_share": published(None),
        "telework_share": published(None),
    }


def test_a_region_held_by_two_large_members_is_suppressed(campaign):
    snapshot, _internal = campaign_snapshot(campaign=campaign)

    # Casablanca-Settat: M1 800 and M2 800 of 1700 employees (94 %).
    assert row(snapshot, "by_region", "MA-06")["respondents"] == published(4)
    assert row(snapshot, "by_region", "MA-06")["headcount"] == SUPPRESSED
    assert row(snapshot, "region_by_segment", "MA-06") == {
        "member": SUPPRESSED,
        "small": SUPPRESSED,
        "total": SUPPRESSED,
    }
    assert row(snapshot, "region_by_segment", "total") == {
        "member": published(2400),
        "small": published(150),
        "total": published(2550),
    }


def answer_even_campaign(campaign) -> None:
    """Masks: four of the six members and four of the six small operators (two of each
    formality) in place, one of each segment planned. CNSS allowance: two members and every small
    operator have asked for it or have it."""
    in_place, planned, not_applicable = DeclarationMeasure.Status.values
    declarations = list(Declaration.objects.filter(campaign=campaign).order_by("pk"))
    members, small = declarations[:6], declarations[6:]
    for group in (members, small):
        for declaration, status in zip(group, [in_place] * 4 + [planned, not_applicable], strict=True):
            answer(declaration, "masks", status)
    for index, declaration in enumerate(members):
        answer(declaration, "cnss-allowance", planned if index < 2 else not_applicable)
    for index, declaration in enumerate(small):
        answer(declaration, "cnss-allowance", in_place if index % 2 else planned)


def test_measure_adoption_counts_companies_and_the_workforce_they_employ(even_campaign):
    answer_even_campaign(even_campaign)

    snapshot, _internal = campaign_snapshot(campaign=even_campaign)

    masks = row(snapshot, "measures", "masks")
    assert masks["in_place_share"] == published(0.6667)  # 8 of 12
    assert masks["planned_share"] == published(0.1667)  # 2 of 12


def test_a_measure_every_respondent_has_is_not_published_over_a_lone_informal_operator(campaign):
    # All six have hand sanitiser: 100 % of the small operators would say that S3, the only
    # informal one, has it too.
    snapshot, internal = campaign_snapshot(campaign=campaign)

    assert row(snapshot, "measures", "hand-sanitiser")["in_place_share"] == SUPPRESSED
    assert internal["suppressions"]["in_place/hand-sanitiser/small/informal"] == "threshold"
    assert internal["protection"]["in_place/hand-sanitiser/small/informal"]["protected"]


def test_measure_adoption_is_a_share_of_each_segments_respondents(even_campaign):
    answer_even_campaign(even_campaign)

    snapshot, _internal = campaign_snapshot(campaign=even_campaign)

    assert row(snapshot, "measures_by_segment", "masks") == {
        "member": published(0.6667),
        "small": published(0.6667),
        "total": published(0.6667),
    }
    assert [r["key"] for r in table(snapshot, "measures_by_segment")["rows"]] == [
        r["key"] for r in table(snapshot, "measures")["rows"]
    ]


def test_the_workforce_share_of_a_measure_held_by_two_large_members_is_suppressed(campaign):
    snapshot, _internal = campaign_snapshot(campaign=campaign)

    # Masks: M1 and M2 employ 1800 of the 1910 employees of the companies that have them.
    assert row(snapshot, "measures", "masks")["workforce_share"] == SUPPRESSED


def test_measures_follow_the_catalogue_with_their_category(campaign):
    snapshot, _internal = campaign_snapshot(campaign=campaign)

    rows = table(snapshot, "measures")["rows"]
    assert [r["key"] for r in rows] == list(
        Measure.objects.filter(is_active=True).order_by("order").values_list("code", flat=True)
    )
    assert rows[0]["category"] == "sanitary"


def test_support_requested_is_a_share_of_each_segments_respondents(even_campaign):
    answer_even_campaign(even_campaign)

    snapshot, _internal = campaign_snapshot(campaign=even_campaign)

    # Requested = in place or asked for: two of six members, every small operator.
    assert row(snapshot, "support_by_segment", "cnss-allowance") == {
        "member": published(0.3333),
        "small": published(1.0),
        "total": published(0.6667),
    }
    assert {r["category"] for r in table(snapshot, "support_by_segment")["rows"]} == {"support"}


def test_estimates_scale_respondents_by_the_registered_workforce_of_their_segment(campaign):
    snapshot, _internal = campaign_snapshot(campaign=campaign)

    rows = {r["key"]: r for r in snapshot["estimates"]["rows"]}
    assert snapshot["estimates"]["method"] == "ratio-by-segment"
    # Members: 2500 registered respond, M4's 500 do not: × 3000 / 2500. The basis would give
    # M4's registered headcount away: it is suppressed.
    assert rows["member"]["basis"] == {
        "respondents": 3,
        "registered_workforce": None,
        "respondent_registered_workforce": None,
    }
    assert rows["member"]["flags"] == {"registered_workforce": "c", "respondent_registered_workforce": "c"}
    assert values(rows["member"]["cells"]) == {
        "headcount": 2880,
        "on_site": 600,
        "telework": 1812,
        "technical_unemployment": 348,
    }
    # Small operators: 150 registered respond, S4 to S6's 150 do not: × 2.
    assert values(rows["small"]["cells"]) == {
        "headcount": 300,
        "on_site": 120,
        "telework": 130,
        "technical_unemployment": 28,
    }
    assert values(rows["total"]["cells"]) == {
        "headcount": 3180,
        "on_site": 720,
        "telework": 1942,
        "technical_unemployment": 376,
    }
    assert rows["total"]["basis"]["registered_workforce"] == 3300


def test_key_figures_change_against_the_previous_bulletin_on_the_companies_counted_in_both(campaign):
    previous = {
        "campaign": {"id": campaign.pk, "period_end": "2020-03-15"},
        "bulletin": {"slug": "semaine-du-9-mars", "revision": 2},
        "key_figures": {
            "headcount": published(2000),
            "telework_share": published(0.5),
            "export_revenue": SUPPRESSED,
        },
    }
    # The same declarations stand for last week: the panel is every respondent, nothing moved.
    counted = list(Declaration.objects.approved().filter(campaign=campaign).values_list("pk", flat=True))

    snapshot, internal = campaign_snapshot(campaign=campaign, previous_snapshot=previous, previous_declarations=counted)

    changes = snapshot["changes"]
    assert changes["previous"] == {
        "bulletin": "semaine-du-9-mars",
        "revision": 2,
        "campaign": campaign.pk,
        "period_end": "2020-03-15",
    }
    assert changes["basis"] == "same_companies"
    assert changes["companies"] == {"both": len(counted), "joined": 0, "departed": 0}
    assert changes["key_figures"]["export_revenue"] == {
        "previous": None,
        "delta": None,
        "base": len(counted),
        "flag": "c",
    }
    assert internal["changes"]["rules_version"] == 2


def test_the_first_bulletin_has_no_changes(campaign):
    snapshot, _internal = campaign_snapshot(campaign=campaign)

    assert snapshot["changes"] == {}


def test_the_internal_record_keeps_the_rules_and_the_declarations_used(campaign, settings):
    settings.DISCLOSURE_DOMINANCE_K = 90
    m1 = campaign.declarations_by_name["M1"]
    Declaration.objects.filter(pk=m1.pk).update(version=4)

    _snapshot, internal = campaign_snapshot(campaign=campaign)

    assert internal["rules"] == {"min_contributors": 3, "dominance_n": 2, "dominance_k": 90, "protection_level": 10}
    assert internal["rules_version"] == 4
    assert {"id": m1.pk, "version": 4} in internal["declarations"]
    assert internal["suppressions"]["headcount/formality/unverified"] == "threshold"


def test_the_rules_are_not_published(campaign):
    snapshot, _internal = campaign_snapshot(campaign=campaign)

    text = json.dumps(snapshot)
    assert "dominance" not in text
    assert "min_contributors" not in text


def test_the_snapshot_is_plain_json_of_schema_amrc_bulletin_1(campaign):
    snapshot, internal = campaign_snapshot(campaign=campaign)

    assert json.loads(json.dumps(snapshot)) == snapshot
    assert json.loads(json.dumps(internal)) == internal
    assert snapshot["schema"] == "amrc-bulletin/1"
    assert snapshot["campaign"] == {
        "id": campaign.pk,
        "title": "Semaine du 16 mars 2020",
        "period_start": "2020-03-16",
        "period_end": "2020-03-22",
    }


def test_the_methodology_counts_each_suppressed_figure_once(campaign):
    snapshot, _internal = campaign_snapshot(campaign=campaign)

    flagged = {
        (t["id"], r["key"], column)
        for t in snapshot["tables"]
        for r in [*t["rows"], *([t["total"]] if "total" in t else [])]
        for column, cell in r["cells"].items()
        if cell["flag"] == "c"
    }
    flagged |= {
        ("estimates", r["key"], column)
        for r in snapshot["estimates"]["rows"]
        for column, c in r["cells"].items()
        if c["flag"]
    }
    for block, rows in (("response", snapshot["response"]["rows"]), ("basis", snapshot["estimates"]["rows"])):
        flagged |= {(block, r["key"], column) for r in rows for column in r.get("flags", {})}
    # by_formality's total row is by_segment's, region_by_segment's total column is by_region's
    # headcount, and measures_by_segment's is the measures table's in place share: the same
    # figures, counted once.
    shared = {
        (t, k, c)
        for (t, k, c) in flagged
        if (t == "region_by_segment" and c == "total")
        or (t == "by_formality" and k == "total")
        or (t == "measures_by_segment" and c == "total")
    }
    assert snapshot["methodology"]["suppressed_cells"] == len(flagged) - len(shared)


def test_a_campaign_without_approved_declarations_publishes_empty_figures(db):
    campaign = CampaignFactory()
    CompanyFactory(registered_headcount=300)

    snapshot, internal = campaign_snapshot(campaign=campaign)

    assert snapshot["key_figures"]["respondents"] == published(0)
    assert snapshot["key_figures"]["headcount"] == published(0)
    assert snapshot["key_figures"]["telework_share"] == published(None)
    assert snapshot["estimates"]["rows"][0]["cells"]["headcount"] == published(None)
    assert internal["declarations"] == []


@pytest.fixture
def even_campaign(db):
    """Six members and six small operators of even sizes in two regions, three of each kind per
    region: no cell is small or dominated, so every figure is published."""
    campaign = CampaignFactory()
    for index in range(12):
        segment = MEMBER if index < 6 else SMALL
        headcount = (300 if segment == MEMBER else 30) + (index % 6) * (20 if segment == MEMBER else 5)
        on_site, telework, technical_unemployment = headcount // 5, headcount // 2, headcount // 10
        company = CompanyFactory(
            segment=segment,
            formality=FORMAL if segment == MEMBER or index % 2 else UNVERIFIED,
            registered_headcount=headcount,
        )
        declaration = DeclarationFactory(
            campaign=campaign,
            company=company,
            status=Declaration.Status.APPROVED,
            headcount=headcount,
            on_site=on_site,
            telework=telework,
            technical_unemployment=technical_unemployment,
            other_absence=headcount - on_site - telework - technical_unemployment,
            hires=2 + headcount // 100,
            separations=3 + headcount // 100,
            dismissals=1,
            export_revenue=Decimal(headcount * 1000),
            activity_maintained_pct=50 + index,
            submitted_at=ON_TIME,
        )
        DeclarationRegionFactory(declaration=declaration, region=region(("MA-06", "MA-01")[index % 2]))
    # Silent, so estimated; three of them, so that their registered workforce (the registered
    # minus the covered) is no single company's.
    for _silent in range(3):
        CompanyFactory(segment=MEMBER, registered_headcount=220)
    return campaign


COUNTS = ["respondents", "headcount", "on_site", "telework", "technical_unemployment", "other_absence"]
SUMMED_COLUMNS = [*COUNTS, "hires", "separations", "dismissals", "export_revenue"]


def test_an_even_registry_publishes_every_figure(even_campaign):
    snapshot, _internal = campaign_snapshot(campaign=even_campaign)

    assert snapshot["methodology"]["suppressed_cells"] == 0


@pytest.mark.parametrize(
    ("table_id", "keys"),
    [("by_segment", ["member", "small"]), ("by_formality", ["formal", "unverified", "informal"])],
)
def test_rows_add_up_to_the_total_row(even_campaign, table_id, keys):
    snapshot, _internal = campaign_snapshot(campaign=even_campaign)

    total = values(row(snapshot, table_id, "total"))
    for column in SUMMED_COLUMNS:
        assert sum(values(row(snapshot, table_id, key))[column] for key in keys) == total[column], column


def test_the_split_adds_up_to_the_headcount_in_every_row(even_campaign):
    snapshot, _internal = campaign_snapshot(campaign=even_campaign)

    for table_id in ("by_segment", "by_formality"):
        found = table(snapshot, table_id)
        for cells in [r["cells"] for r in found["rows"]] + [found["total"]["cells"]]:
            figures = values(cells)
            assert sum(figures[part] for part in COUNTS[2:]) == figures["headcount"]


def test_regions_add_up_to_the_declared_totals(even_campaign):
    snapshot, _internal = campaign_snapshot(campaign=even_campaign)

    regions = table(snapshot, "by_region")["rows"]
    for column in ("respondents", "headcount", "on_site", "telework"):
        regional = sum(r["cells"][column]["value"] for r in regions)
        assert (
            regional
            == row(snapshot, "by_region", "total")[column]["value"]
            == snapshot["tables"][0]["total"]["cells"][column]["value"]
        )


def test_region_by_segment_adds_up_across_and_down(even_campaign):
    snapshot, _internal = campaign_snapshot(campaign=even_campaign)

    found = table(snapshot, "region_by_segment")
    for r in found["rows"]:
        assert r["cells"]["member"]["value"] + r["cells"]["small"]["value"] == r["cells"]["total"]["value"]
    for column in ("member", "small", "total"):
        assert sum(r["cells"][column]["value"] for r in found["rows"]) == found["total"]["cells"][column]["value"]
    assert found["total"]["cells"]["member"] == row(snapshot, "by_segment", "member")["headcount"]


def test_segment_estimates_add_up_to_the_total_estimate_within_rounding(even_campaign):
    snapshot, _internal = campaign_snapshot(campaign=even_campaign)

    rows = {r["key"]: values(r["cells"]) for r in snapshot["estimates"]["rows"]}
    for column in ("headcount", "on_site", "telework", "technical_unemployment"):
        assert abs(rows["member"][column] + rows["small"][column] - rows["total"][column]) <= 1
    assert rows["member"]["headcount"] == 2760  # 2100 declared × (2100 + 660 registered) / 2100


def test_the_one_member_without_a_measure_cannot_be_read_off_its_workforce_share(even_campaign):
    # Every respondent but one member has masks: headcount minus the measure's workforce would be
    # that member's headcount, and the counts say which segment it is in.
    declarations = Declaration.objects.filter(campaign=even_campaign).order_by("pk")
    for declaration in declarations[1:]:
        answer(declaration, "masks", DeclarationMeasure.Status.IN_PLACE)
    answer(declarations[0], "masks", DeclarationMeasure.Status.NOT_APPLICABLE)

    snapshot, internal = campaign_snapshot(campaign=even_campaign)

    assert row(snapshot, "measures", "masks")["workforce_share"] == SUPPRESSED
    assert internal["suppressions"]["without/masks/member"] == "threshold"
    assert internal["protection"]["without/masks/member"]["protected"]


def declare(campaign, segment: str, formality: str, headcount: int, parts: tuple, lines: dict) -> Declaration:
    company = CompanyFactory(segment=segment, formality=formality, registered_headcount=headcount)
    declaration = DeclarationFactory(
        campaign=campaign,
        company=company,
        status=Declaration.Status.APPROVED,
        headcount=headcount,
        on_site=parts[0],
        telework=parts[1],
        technical_unemployment=parts[2],
        other_absence=parts[3],
        submitted_at=ON_TIME,
    )
    for code, (line_headcount, on_site, telework) in lines.items():
        DeclarationRegionFactory(
            declaration=declaration, region=region(code), headcount=line_headcount, on_site=on_site, telework=telework
        )
    return declaration


def test_the_companies_without_a_measure_count_those_that_did_not_answer_for_it(db):
    # Five informal members; only the one of 249 has the CNSS allowance, the others never answered
    # for it: the 3,154 employees without it are dominated (1,533 + 1,271).
    campaign = CampaignFactory()
    declarations = [
        declare(campaign, MEMBER, INFORMAL, headcount, (headcount, 0, 0, 0), {"MA-04": (headcount, headcount, 0)})
        for headcount in (1271, 1533, 2, 249, 348)
    ]
    answer(declarations[3], "cnss-allowance", DeclarationMeasure.Status.IN_PLACE)

    _snapshot, internal = campaign_snapshot(campaign=campaign)

    assert internal["suppressions"]["without/cnss-allowance/member"] == "dominance"
    assert internal["protection"]["without/cnss-allowance/member"]["protected"]


def test_what_a_regions_published_figures_leave_is_protected(db):
    # In MA-01 the headcount, on site and telework are published, but what they leave (technical
    # unemployment and other absences, 28 + 7 + 1) is dominated.
    campaign = CampaignFactory()
    declare(campaign, SMALL, INFORMAL, 50, (10, 12, 20, 8), {"MA-01": (40, 5, 7), "MA-06": (10, 5, 5)})
    declare(campaign, SMALL, INFORMAL, 15, (4, 4, 5, 2), {"MA-01": (15, 4, 4)})
    declare(campaign, MEMBER, UNVERIFIED, 34, (20, 13, 1, 0), {"MA-01": (34, 20, 13)})

    _snapshot, internal = campaign_snapshot(campaign=campaign)

    assert internal["suppressions"]["rest/region/MA-01"] == "dominance"
    assert internal["protection"]["rest/region/MA-01"]["protected"]


def test_shares_in_place_and_planned_adding_up_to_100_percent_give_no_lone_answer_back(db):
    # One in place, two planned, of three respondents: every group answered "in place or planned",
    # the lone small operator included.
    campaign = CampaignFactory()
    answers = []
    for segment, formality, headcount in ((MEMBER, UNVERIFIED, 30), (SMALL, FORMAL, 344), (MEMBER, FORMAL, 416)):
        answers.append(declare(campaign, segment, formality, headcount, (headcount, 0, 0, 0), {}))
    planned, in_place = DeclarationMeasure.Status.PLANNED, DeclarationMeasure.Status.IN_PLACE
    for declaration, status in zip(answers, (planned, in_place, planned), strict=True):
        answer(declaration, "shift-rotation", status)

    _snapshot, internal = campaign_snapshot(campaign=campaign)

    assert internal["suppressions"]["requested/shift-rotation/small/formal"] == "threshold"
    assert internal["protection"]["requested/shift-rotation/small/formal"]["protected"]
