"""Week-on-week changes like with like: measured on the companies counted in both bulletins,
published with their base, and withheld when the companies that joined or left could be read
from the two weeks' totals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulletins.aggregation import disclosure_rules_from_settings
from bulletins.aggregation.panel import read_panel
from bulletins.services import bulletin_create, bulletin_publish
from tests.bulletins.publication_data import approve_declarations, closed_campaign
from tests.factories import CompanyFactory


def _publish(staff_user, campaign, title):
    bulletin = bulletin_create(campaign=campaign, user=staff_user, title=title)
    # Whether the week is provisional is not the point here: some companies stop answering.
    return bulletin_publish(bulletin=bulletin, user=staff_user, confirm_provisional=True)


def _week(campaign, companies, *, headcount: int, telework: int = 50) -> list:
    declarations = approve_declarations(campaign, companies, telework=telework)
    for declaration in declarations:
        declaration.headcount = headcount
        declaration.on_site = headcount - telework - 10
        declaration.save()
    return declarations


@pytest.fixture
def stayers(db):
    return [CompanyFactory(segment="member", registered_headcount=100) for _ in range(6)]


def test_the_change_is_measured_on_the_companies_counted_both_weeks(staff_user, stayers):
    joined = [CompanyFactory(segment="member", registered_headcount=100) for _ in range(3)]
    departed = [CompanyFactory(segment="member", registered_headcount=50) for _ in range(3)]
    before, now = closed_campaign(week=0), closed_campaign(week=1)
    _week(before, stayers, headcount=100)
    _week(before, departed, headcount=90)
    _week(now, stayers, headcount=110)
    _week(now, joined, headcount=100)
    _publish(staff_user, before, "Semaine 1")

    revision = _publish(staff_user, now, "Semaine 2")

    changes = revision.snapshot["changes"]
    # Totals 870 then 960 (+90); the same six companies grew by 10 each.
    assert changes["key_figures"]["headcount"] == {"previous": 870, "delta": 60, "base": 6}
    assert changes["companies"] == {"both": 6, "joined": 3, "departed": 3}
    assert changes["basis"] == "same_companies"
    # Telework stays at 50 a company: its share moves only with the headcount, on the same six.
    assert changes["key_figures"]["telework_share"]["delta"] == round(50 / 110 - 50 / 100, 4)
    assert changes["key_figures"]["respondents"] == {"previous": 9, "delta": 0, "base": 6}


def test_one_joining_company_cannot_be_read_from_the_published_numbers(staff_user, stayers):
    newcomer = CompanyFactory(segment="member", registered_headcount=100)
    before, now = closed_campaign(week=0), closed_campaign(week=1)
    _week(before, stayers, headcount=100)
    _week(now, stayers, headcount=105)
    _week(now, [newcomer], headcount=777)
    _publish(staff_user, before, "Semaine 1")

    revision = _publish(staff_user, now, "Semaine 2")

    snapshot = revision.snapshot
    change = snapshot["changes"]["key_figures"]["headcount"]
    assert change == {"previous": 600, "delta": None, "base": 6, "flag": "c"}
    # The attack: this week's total minus last week's minus every change published beside them.
    total = snapshot["key_figures"]["headcount"]["value"]
    deltas = [c["delta"] for c in snapshot["changes"]["key_figures"].values() if c.get("delta") is not None]
    assert all(total - change["previous"] - delta != 777 for delta in deltas)
    assert revision.internal["changes"]["key_figures"]["headcount"]["withheld"] == {
        "group": "joined",
        "reason": "threshold",
    }


def test_a_dominant_departed_company_withholds_the_change(staff_user, stayers):
    departed = [CompanyFactory(segment="member", registered_headcount=100) for _ in range(3)]
    before, now = closed_campaign(week=0), closed_campaign(week=1)
    _week(before, stayers, headcount=100)
    _week(before, departed[:1], headcount=300)
    _week(before, departed[1:], headcount=15, telework=2)
    _week(now, stayers, headcount=100)
    _publish(staff_user, before, "Semaine 1")

    revision = _publish(staff_user, now, "Semaine 2")

    assert revision.snapshot["changes"]["key_figures"]["headcount"]["flag"] == "c"
    assert revision.internal["changes"]["key_figures"]["headcount"]["withheld"] == {
        "group": "departed",
        "reason": "dominance",
    }


def test_a_change_made_by_one_company_of_the_panel_is_withheld(staff_user, stayers):
    before, now = closed_campaign(week=0), closed_campaign(week=1)
    _week(before, stayers, headcount=100)
    declarations = _week(now, stayers, headcount=100)
    declarations[0].headcount, declarations[0].on_site = 160, 100
    declarations[0].save()
    _publish(staff_user, before, "Semaine 1")

    revision = _publish(staff_user, now, "Semaine 2")

    assert revision.snapshot["changes"]["key_figures"]["headcount"]["flag"] == "c"
    assert revision.internal["changes"]["key_figures"]["headcount"]["withheld"]["group"] == "panel"


def _panel_queries(companies: int) -> int:
    registry = [CompanyFactory(segment="member", registered_headcount=100) for _ in range(companies)]
    before, now = closed_campaign(week=0), closed_campaign(week=1)
    previous = _week(before, registry[1:], headcount=100)
    _week(now, registry[:-1], headcount=110)
    with CaptureQueriesContext(connection) as queries:
        read_panel(
            campaign=now,
            previous_campaign=before.pk,
            previous_declarations=[d.pk for d in previous],
            rules=disclosure_rules_from_settings(),
        )
    return len(queries)


@pytest.mark.django_db
def test_the_panel_is_read_in_two_queries_whatever_the_number_of_companies():
    assert _panel_queries(5) == 2
    assert _panel_queries(40) == 2


def test_after_a_week_that_counted_nobody_every_company_has_joined(stayers):
    before, now = closed_campaign(week=0), closed_campaign(week=1)
    _week(now, stayers, headcount=110)

    panel = read_panel(
        campaign=now, previous_campaign=before.pk, previous_declarations=[], rules=disclosure_rules_from_settings()
    )

    assert (panel.companies, panel.joined, panel.departed) == (0, 6, 0)
    headcount = panel.figures["headcount"]
    assert (headcount.base, headcount.joined.contributors, headcount.joined.total) == (0, 6, 660)
    assert tuple(headcount.joined.largest) == (110, 110)
    assert tuple(headcount.departed.largest) == ()
