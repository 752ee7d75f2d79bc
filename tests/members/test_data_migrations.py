"""The reference data loaded by migrations: regions, and the sector figures the association published."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from members.models import Region, SectorFigure

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


# serialized_rollback: the flush that ends a transactional test would otherwise leave the
# tests that follow without regions, measures or figures.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reversing_the_data_migrations_removes_the_regions_and_figures_and_reapplying_restores_them():
    try:
        call_command("migrate", "members", "0001", verbosity=0)

        assert not Region.objects.exists()
        assert not SectorFigure.objects.exists()
    finally:
        call_command("migrate", verbosity=0)

    assert list(Region.objects.values_list("code", flat=True)) == EXPECTED_CODES
    assert SectorFigure.objects.filter(key="jobs").exists()
