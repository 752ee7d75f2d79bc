"""Migration 0006 stores each declaration's lateness, which was computed on every read before:
declarations already received get the value the old computation gave."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Run in a separate interpreter on a database file of its own, like tests/members/
# test_data_migrations.py: migrating backwards in the test database would need a transactional
# test, whose closing flush empties the reference tables for the tests after it.
MIGRATE_OVER_OLD_DECLARATIONS = """
import datetime
import json
import zoneinfo

import django

django.setup()
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

CASABLANCA = zoneinfo.ZoneInfo("Africa/Casablanca")
executor = MigrationExecutor(connection)
executor.migrate([("measures", "0005_text_limits")])
apps = executor.loader.project_state([("measures", "0005_text_limits")]).apps
Campaign = apps.get_model("measures", "Campaign")
Company = apps.get_model("members", "Company")
Declaration = apps.get_model("measures", "Declaration")
Region = apps.get_model("members", "Region")

campaign = Campaign.objects.create(
    title="Semaine du 16 mars 2020",
    period_start=datetime.date(2020, 3, 16),
    period_end=datetime.date(2020, 3, 22),
    opens_on=datetime.date(2020, 3, 23),
    due_on=datetime.date(2020, 3, 26),
    locks_on=datetime.date(2020, 4, 2),
    status="closed",
)
received = {
    "draft": None,
    # 23:30 in Casablanca on the due date is 22:30 in UTC: still on time.
    "last_minute": datetime.datetime(2020, 3, 26, 23, 30, tzinfo=CASABLANCA),
    # Half past midnight in Casablanca on the next day is still the due date in UTC: late.
    "after_midnight": datetime.datetime(2020, 3, 27, 0, 30, tzinfo=CASABLANCA),
}
region = Region.objects.get(code="MA-06")
for n, (name, submitted_at) in enumerate(received.items()):
    company = Company.objects.create(trade_name=name, region=region, segment="member", formality="formal")
    Declaration.objects.create(campaign=campaign, company=company, submitted_at=submitted_at)

executor = MigrationExecutor(connection)
executor.migrate([("measures", "0006_declaration_late")])
apps = executor.loader.project_state([("measures", "0006_declaration_late")]).apps
Declaration = apps.get_model("measures", "Declaration")
print(json.dumps(dict(Declaration.objects.values_list("company__trade_name", "is_late"))))
"""


@pytest.fixture(scope="module")
def lateness_after_migration(tmp_path_factory) -> dict:
    database = tmp_path_factory.mktemp("late-migration") / "db.sqlite3"
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}"}
    result = subprocess.run(
        [sys.executable, "-c", MIGRATE_OVER_OLD_DECLARATIONS],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_declaration_received_after_the_due_date_in_casablanca_is_marked_late(lateness_after_migration):
    assert lateness_after_migration["after_midnight"] is True


def test_a_declaration_received_on_the_due_date_stays_on_time(lateness_after_migration):
    assert lateness_after_migration["last_minute"] is False


def test_a_declaration_never_submitted_is_not_late(lateness_after_migration):
    assert lateness_after_migration["draft"] is False
