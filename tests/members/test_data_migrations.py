"""The reference data loaded by migrations: regions, and the sector figures the association published."""

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from members.models import Region, SectorFigure

BASE_DIR = Path(__file__).resolve().parent.parent.parent
EXPECTED_CODES = [f"MA-{n:02d}" for n in range(1, 13)]


@pytest.mark.django_db
def test_the_twelve_regions_of_the_2015_division_are_loaded():
    assert list(Region.objects.values_list("code", flat=True)) == EXPECTED_CODES


@pytest.mark.django_db
def test_a_region_is_named_in_french_and_in_arabic():
    casablanca = Region.objects.get(code="MA-06")

    assert (casablanca.name_fr, casablanca.name_ar) == ("Casablanca-Settat", "الدار البيضاء سطات")


@pytest.mark.django_db
def test_every_region_has_an_arabic_name():
    assert not Region.objects.filter(name_ar="").exists()


@pytest.mark.django_db
def test_a_region_speaks_arabic_to_an_arabic_reader():
    rabat = Region.objects.get(code="MA-04")

    with translation.override("ar"):
        assert rabat.name == "الرباط سلا القنيطرة"
    with translation.override("fr"):
        assert rabat.name == "Rabat-Salé-Kénitra"


@pytest.mark.django_db
def test_the_sector_jobs_figure_is_quoted_with_its_year_and_source():
    jobs = SectorFigure.objects.get(key="jobs")

    assert (jobs.value, jobs.year, jobs.source) == (Decimal("80000"), "2019", "AMRC")


@pytest.mark.django_db
def test_the_export_revenue_figure_is_11_billion_dirhams_in_2018():
    revenue = SectorFigure.objects.get(key="export_revenue")

    assert (revenue.value, revenue.unit, revenue.year) == (Decimal("11"), "Mds MAD", "2018")
    assert revenue.source


@pytest.mark.django_db
def test_every_sector_figure_carries_a_source_and_a_year():
    assert SectorFigure.objects.count() >= 5
    assert not SectorFigure.objects.filter(source="").exists()
    assert not SectorFigure.objects.filter(year="").exists()


# The migrations are reversed in a separate interpreter on a database file of its own: reversing
# them in the test database would need a transactional test, whose closing flush empties the
# reference tables for every test pytest-django runs after it.
MIGRATE_BACK_AND_FORTH = """
import json

import django

django.setup()
from django.core.management import call_command

from measures.models import Measure
from members.models import Region, SectorFigure


def snapshot():
    return {
        "regions": list(Region.objects.values_list("code", flat=True)),
        "figures": SectorFigure.objects.count(),
        "measures": Measure.objects.count(),
    }


states = {}
call_command("migrate", verbosity=0)
states["migrated"] = snapshot()
call_command("migrate", "members", "0001", verbosity=0)
call_command("migrate", "measures", "0001", verbosity=0)
states["reversed"] = snapshot()
call_command("migrate", verbosity=0)
states["reapplied"] = snapshot()
print(json.dumps(states))
"""


@pytest.fixture(scope="module")
def migration_states(tmp_path_factory) -> dict:
    database = tmp_path_factory.mktemp("migrations") / "db.sqlite3"
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}"}
    result = subprocess.run(
        [sys.executable, "-c", MIGRATE_BACK_AND_FORTH],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_migrating_a_fresh_database_loads_the_reference_data(migration_states):
    assert migration_states["migrated"]["regions"] == EXPECTED_CODES
    assert migration_states["migrated"]["figures"] > 0
    assert migration_states["migrated"]["measures"] > 0


def test_reversing_the_data_migrations_removes_regions_figures_and_measures(migration_states):
    assert migration_states["reversed"] == {"regions": [], "figures": 0, "measures": 0}


def test_reapplying_the_data_migrations_restores_the_same_data(migration_states):
    assert migration_states["reapplied"] == migration_states["migrated"]
