"""Rules the measures models hold themselves, for any state: field limits, database constraints, campaign dates.

The factory's campaign covers 16-22 March 2020, opens on the 23rd, is due on the 26th and
locks on 2 April.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from measures.models import Campaign, Declaration, DeclarationRegion, Measure
from members.models import Region
from tests.factories import CampaignFactory, CompanyFactory, DeclarationFactory

pytestmark = pytest.mark.django_db

CASABLANCA = zoneinfo.ZoneInfo("Africa/Casablanca")


def _moment(month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2020, month, day, hour, minute, tzinfo=CASABLANCA)


def _unsaved_declaration(**figures) -> Declaration:
    return DeclarationFactory.build(campaign=CampaignFactory(), company=CompanyFactory(), **figures)


# One declaration per company per campaign


def test_the_database_refuses_a_second_declaration_for_the_same_campaign():
    first = DeclarationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        DeclarationFactory(company=first.company, campaign=first.campaign)


def test_a_second_declaration_for_the_same_campaign_is_reported_in_french():
    first = DeclarationFactory()
    second = DeclarationFactory.build(company=first.company, campaign=first.campaign)

    with pytest.raises(ValidationError) as raised:
        second.validate_constraints()

    assert raised.value.messages == ["Cette entreprise a déjà une déclaration pour cette campagne."]


def test_a_company_declares_once_in_each_campaign():
    first = DeclarationFactory()

    DeclarationFactory(company=first.company, campaign=CampaignFactory())

    assert Declaration.objects.filter(company=first.company).count() == 2


# Campaign dates


def test_the_database_refuses_a_period_ending_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignFactory(period_start=datetime.date(2020, 3, 22), period_end=datetime.date(2020, 3, 16))


def test_the_database_refuses_a_due_date_before_the_opening():
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignFactory(opens_on=datetime.date(2020, 3, 23), due_on=datetime.date(2020, 3, 22))


def test_the_database_refuses_a_lock_date_before_the_due_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignFactory(due_on=datetime.date(2020, 3, 26), locks_on=datetime.date(2020, 3, 25))


def test_a_period_ending_before_it_starts_is_reported_in_french():
    campaign = CampaignFactory.build(period_start=datetime.date(2020, 3, 22), period_end=datetime.date(2020, 3, 16))

    with pytest.raises(ValidationError) as raised:
        campaign.validate_constraints()

    assert raised.value.messages == ["La fin de la période précède son début."]


def test_dates_out_of_order_are_reported_in_french():
    campaign = CampaignFactory.build(locks_on=datetime.date(2020, 3, 25))

    with pytest.raises(ValidationError) as raised:
        campaign.validate_constraints()

    assert raised.value.messages == ["Les dates doivent se suivre : ouverture, date limite, verrouillage."]


def test_a_campaign_may_be_due_and_locked_on_its_opening_day():
    day = datetime.date(2020, 3, 23)

    campaign = CampaignFactory(opens_on=day, due_on=day, locks_on=day)

    assert campaign.pk is not None


# Declaration figures


def test_full_clean_refuses_a_negative_figure():
    declaration = _unsaved_declaration(telework=-1)

    with pytest.raises(ValidationError) as raised:
        declaration.full_clean()

    assert list(raised.value.message_dict) == ["telework"]


def test_full_clean_leaves_the_figure_rules_to_submission():
    # A draft keeps parts that do not add up; measures.validation refuses them at submission.
    _unsaved_declaration(on_site=120, telework=45).full_clean()


def test_full_clean_accepts_a_consistent_declaration():
    _unsaved_declaration().full_clean()


def test_the_database_refuses_an_activity_share_above_100():
    with pytest.raises(IntegrityError), transaction.atomic():
        DeclarationFactory(activity_maintained_pct=101)


def test_the_database_refuses_a_negative_revenue():
    with pytest.raises(IntegrityError), transaction.atomic():
        DeclarationFactory(export_revenue=-1)


def test_a_regional_line_may_hold_more_on_site_and_telework_than_its_headcount_in_a_draft():
    line = DeclarationRegion(
        declaration=DeclarationFactory(), region=Region.objects.get(code="MA-06"), headcount=10, on_site=6, telework=5
    )

    line.full_clean()


def test_a_regional_line_may_have_people_neither_on_site_nor_in_telework():
    line = DeclarationRegion(
        declaration=DeclarationFactory(), region=Region.objects.get(code="MA-06"), headcount=10, on_site=3, telework=5
    )

    line.full_clean()


def test_a_region_appears_once_in_a_declaration():
    declaration = DeclarationFactory()
    casablanca = Region.objects.get(code="MA-06")
    DeclarationRegion.objects.create(declaration=declaration, region=casablanca, headcount=50)

    with pytest.raises(IntegrityError), transaction.atomic():
        DeclarationRegion.objects.create(declaration=declaration, region=casablanca, headcount=50)


# Campaign.accepts_edits


@pytest.mark.parametrize(
    ("today", "accepts"),
    [
        (datetime.date(2020, 3, 22), False),
        (datetime.date(2020, 3, 23), True),
        (datetime.date(2020, 3, 26), True),
        (datetime.date(2020, 4, 2), True),
        (datetime.date(2020, 4, 3), False),
    ],
    ids=["before-opening", "opening-day", "due-day", "lock-day", "after-lock"],
)
def test_an_open_campaign_accepts_edits_from_its_opening_to_its_lock_date(today, accepts):
    campaign = CampaignFactory(status=Campaign.Status.OPEN)

    with time_machine.travel(datetime.datetime.combine(today, datetime.time(12), tzinfo=CASABLANCA), tick=False):
        assert campaign.accepts_edits() is accepts


def test_edits_stop_at_midnight_in_casablanca_after_the_lock_day():
    campaign = CampaignFactory(status=Campaign.Status.OPEN)

    # Still 2 April in UTC (23:30), already 3 April in Casablanca: the platform's clock is local.
    with time_machine.travel(_moment(4, 3, 0, 30), tick=False):
        assert campaign.accepts_edits() is False


@pytest.mark.parametrize("status", [Campaign.Status.DRAFT, Campaign.Status.CLOSED])
def test_a_campaign_that_is_not_open_accepts_no_edit(status):
    campaign = CampaignFactory(status=status)

    with time_machine.travel(_moment(3, 24, 12), tick=False):
        assert campaign.accepts_edits() is False


# Late or on time


def test_a_declaration_received_late_on_the_due_day_is_on_time():
    assert CampaignFactory().is_late(_moment(3, 26, 23, 59)) is False


def test_a_declaration_received_just_after_the_due_day_is_late():
    # 00:01 in Casablanca is still the due day in UTC: lateness is judged on the local date.
    assert CampaignFactory().is_late(_moment(3, 27, 0, 1)) is True


def test_a_declaration_knows_it_was_late():
    declaration = DeclarationFactory(submitted_at=_moment(3, 27, 9))

    assert declaration.is_late is True


def test_a_declaration_never_submitted_is_not_late():
    with time_machine.travel(_moment(4, 10, 12), tick=False):
        assert DeclarationFactory(submitted_at=None).is_late is False


def test_the_late_queryset_agrees_with_the_late_flag_at_the_day_boundary():
    campaign = CampaignFactory()
    on_time = DeclarationFactory(campaign=campaign, submitted_at=_moment(3, 26, 23, 59))
    late = DeclarationFactory(campaign=campaign, submitted_at=_moment(3, 27, 0, 1))
    DeclarationFactory(campaign=campaign, submitted_at=None)

    assert list(Declaration.objects.late()) == [late]
    assert list(Declaration.objects.on_time()) == [on_time]


# The measure catalogue migration


def test_the_measure_catalogue_covers_every_category():
    categories = set(Measure.objects.values_list("category", flat=True))

    assert categories == set(Measure.Category.values)


def test_the_measure_catalogue_holds_the_sanitary_charter_measures():
    codes = set(Measure.objects.filter(category=Measure.Category.SANITARY).values_list("code", flat=True))

    assert {"hygiene-protocol", "workstation-distancing", "masks", "temperature-checks", "disinfection"} <= codes


def test_the_measure_catalogue_holds_the_support_measures():
    codes = set(Measure.objects.filter(category=Measure.Category.SUPPORT).values_list("code", flat=True))

    assert {"cnss-allowance", "social-charges-deferral", "guaranteed-credit"} <= codes


def test_every_catalogue_measure_is_named_in_french_arabic_and_english():
    assert not Measure.objects.filter(name_fr="").exists()
    assert not Measure.objects.filter(name_ar="").exists()
    assert not Measure.objects.filter(name_en="").exists()


def test_the_catalogue_asks_how_many_employees_a_mask_policy_concerns():
    assert Measure.objects.get(code="masks").counts_employees is True
