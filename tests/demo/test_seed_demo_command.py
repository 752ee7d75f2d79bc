import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from demo import sector
from followup.models import CampaignSchedule, Reminder, ReminderBatch
from measures.models import Campaign, Declaration, DeclarationEvent, DeclarationMeasure, DeclarationRegion
from members.models import Company, CompanyMembership, CompanyMessage, Site

SEEDED_MODELS = (
    User,
    Company,
    Site,
    CompanyMembership,
    CompanyMessage,
    Campaign,
    Declaration,
    DeclarationRegion,
    DeclarationMeasure,
    DeclarationEvent,
    ReminderBatch,
    Reminder,
    CampaignSchedule,
)


def _snapshot() -> dict[str, list[dict]]:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in SEEDED_MODELS}


@pytest.mark.slow
def test_a_second_run_leaves_exactly_the_same_rows(seeded):
    before = _snapshot()

    call_command("seed_demo", force=True, stdout=io.StringIO())

    assert _snapshot() == before


@pytest.mark.slow
def test_it_prints_the_addresses_and_every_demo_login(seeded, seed_output):
    assert "http://127.0.0.1:8000/" in seed_output
    assert "http://127.0.0.1:8000/admin/" in seed_output
    for email in ("staff@amrc.ma", "declarant@atlas-demo.ma", "admin@atlas-demo.ma", "declarant@nour-demo.ma"):
        assert email in seed_output
    assert sector.DEMO_PASSWORD in seed_output


@pytest.mark.slow
def test_its_output_stays_short(seeded, seed_output):
    assert len(seed_output.splitlines()) <= 15


def test_it_refuses_to_run_when_debug_is_off(db, settings, django_assert_num_queries):
    settings.DEBUG = False

    # Refused before touching the database: no demo superuser with a public password.
    with django_assert_num_queries(0), pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())
