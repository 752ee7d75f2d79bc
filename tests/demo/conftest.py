"""The demo is seeded once for the whole package (a few seconds), inside a transaction that is
rolled back at the end, so the other packages never see it. Each test runs in a savepoint of
that transaction, as usual, and may write freely."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

# A Wednesday: the open demo campaign covers the week of 3 to 9 June 2024.
SEEDED_AT = datetime.datetime(2024, 6, 12, 10, 30, tzinfo=ZoneInfo("Africa/Casablanca"))
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="package")
def seed_output(django_db_setup, django_db_blocker):
    # Same hasher as the tests' autouse fixture (tests/conftest.py), so the demo passwords hashed
    # here can be checked there.
    with (
        django_db_blocker.unblock(),
        time_machine.travel(SEEDED_AT, tick=False),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        output = io.StringIO()
        call_command("seed_demo", force=True, stdout=output)
        _gather_statistics()
        yield output.getvalue()
        transaction.set_rollback(True)


def _gather_statistics() -> None:
    """On PostgreSQL, statistics of the seeded tables, as autovacuum would gather them on a live
    database. The seed's rows stay uncommitted, so each test's end re-checks their deferred
    foreign keys (Django's SET CONSTRAINTS ALL IMMEDIATE, undone with the test's savepoint): if an
    earlier test had analysed the tables empty, every check scanned the whole declarations table
    (hours, not seconds, for the 100,000 rows of the demo). ANALYZE sees the transaction's own rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@pytest.fixture
def seeded(seed_output, db):
    """The seeded demo; the clock stays at SEEDED_AT for the whole package.

    Every test of the seeded demo asks for this fixture, not only for seed_output: through `db`,
    pytest-django then runs it with the other database tests, before any transactional test
    flushes the regions and the measure catalogue that the data migrations loaded."""
