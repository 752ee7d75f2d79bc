"""seed_scale: the demo's world at a chosen size, for benchmarks; a second run adds nothing. Apart from
tests/demo, whose package-wide seeded demo would share its campaigns and companies."""

import datetime
import io
import random
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from accounts.models import User
from bulletins.models import Bulletin, BulletinRevision
from demo import builder, scale, sector
from measures.models import Campaign, Declaration, DeclarationEvent, DeclarationMeasure, DeclarationRegion
from members.models import Company, Site

SEEDED_AT = datetime.datetime(2024, 6, 12, 10, 30, tzinfo=ZoneInfo("Africa/Casablanca"))
COMPANIES = 24
CAMPAIGNS = 4
SEEDED_MODELS = (
    User,
    Company,
    Site,
    Campaign,
    Declaration,
    DeclarationRegion,
    DeclarationMeasure,
    DeclarationEvent,
    Bulletin,
    BulletinRevision,
)


def _seed() -> str:
    output = io.StringIO()
    call_command("seed_scale", companies=COMPANIES, campaigns=CAMPAIGNS, force=True, stdout=output)
    return output.getvalue()


def _rows() -> dict[str, list[tuple]]:
    return {model.__name__: list(model.objects.order_by("pk").values_list()) for model in SEEDED_MODELS}


@pytest.fixture(scope="module")
def seed_output(django_db_setup, django_db_blocker):
    """Seeded once for the module, in a transaction rolled back at the end (like tests/demo)."""
    with (
        django_db_blocker.unblock(),
        time_machine.travel(SEEDED_AT, tick=False),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        yield _seed()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seed_output, db):
    with time_machine.travel(SEEDED_AT, tick=False):
        yield


def test_it_builds_the_registry_asked_for(seeded):
    assert Company.objects.count() == COMPANIES
    assert Company.objects.filter(segment=Company.Segment.MEMBER).count() == len(sector.MEMBERS)


def test_it_opens_the_demo_campaign_after_the_closed_weeks(seeded):
    assert Campaign.objects.filter(status=Campaign.Status.CLOSED).count() == CAMPAIGNS - 1
    assert Campaign.objects.get(status=Campaign.Status.OPEN).title == sector.DEMO_CAMPAIGN_TITLE


def test_every_company_answers_in_some_weeks_with_its_measures_and_regions(seeded):
    declarations = Declaration.objects.exclude(status=Declaration.Status.DRAFT)

    assert declarations.values("company").distinct().count() == COMPANIES
    assert not declarations.filter(regional_lines=None).exists()
    assert not declarations.filter(measure_answers=None).exists()


def test_each_closed_week_has_a_published_bulletin(seeded):
    assert Bulletin.objects.published().count() == CAMPAIGNS - 1


def test_the_demo_logins_work(seeded):
    assert User.objects.get(email="declarant@atlas-demo.ma").check_password(sector.DEMO_PASSWORD)
    assert User.objects.get(email=sector.STAFF_EMAIL).check_password(sector.DEMO_PASSWORD)


def test_a_second_run_adds_nothing(seeded):
    before = _rows()

    output = _seed()

    assert _rows() == before
    assert "Déclarations ajoutées : 0," in output


def test_an_interrupted_run_writes_the_missing_declarations(seeded):
    complete = Declaration.objects.count()
    # As if the run had stopped before the open campaign's declarations were written.
    Declaration.objects.filter(campaign__status=Campaign.Status.OPEN).delete()
    missing = complete - Declaration.objects.count()

    output = _seed()

    assert Declaration.objects.count() == complete
    assert f"Déclarations ajoutées : {missing}," in output


def test_more_companies_than_the_demo_are_more_small_operators_with_names_and_ices_of_their_own():
    plans = scale.company_plans(random.Random(1), 600)

    assert len({plan.trade_name for plan in plans}) == 600
    assert len({builder.demo_ice(plan.index) for plan in plans}) == 600
    assert {plan.segment for plan in plans[len(sector.MEMBERS) :]} == {Company.Segment.SMALL}


def test_it_refuses_to_run_when_debug_is_off(db, settings, django_assert_num_queries):
    settings.DEBUG = False

    with django_assert_num_queries(0), pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_scale", companies=COMPANIES, campaigns=CAMPAIGNS, stdout=io.StringIO())


@pytest.mark.parametrize(("option", "value"), [("companies", 20), ("campaigns", 1)])
def test_it_refuses_a_size_below_what_the_demo_logins_need(db, option, value):
    arguments = {"companies": COMPANIES, "campaigns": CAMPAIGNS, option: value}

    with pytest.raises(CommandError, match=f"--{option}"):
        call_command("seed_scale", force=True, stdout=io.StringIO(), **arguments)
