"""The sector's reference figures on the home page, in the reader's language, with the figure
that is a minimum said as one ("plus de 500 entreprises")."""

import pytest
from django.utils import translation

from members.models import SectorFigure
from tests.factories import SectorFigureFactory


def _reference_section(client, path: str) -> str:
    page = client.get(path).content.decode()
    return page.split('id="reference-figures"')[1].split("</section>")[0]


def test_the_lower_bound_reads_more_than_500_companies(anonymous_client, db):
    section = _reference_section(anonymous_client, "/")

    assert "plus de 500</span> <small" in section
    assert ">entreprises</small>" in section
    assert "(plus de)" not in section


def test_the_data_migration_translates_every_reference_figure(db):
    assert not SectorFigure.objects.filter(label_ar="").exists()
    assert not SectorFigure.objects.filter(label_en="").exists()


def test_the_small_structures_figure_is_a_lower_bound_in_companies(db):
    figure = SectorFigure.objects.get(key="small_structures")

    assert (figure.value, figure.unit, figure.is_lower_bound) == (500, "entreprises", True)


@pytest.mark.parametrize(
    ("path", "label", "unit"),
    [
        ("/en/", "Jobs in the customer-relations sector", "jobs"),
        ("/ar/", "مناصب الشغل في قطاع علاقة الزبون", "منصب شغل"),
    ],
)
def test_the_labels_and_units_are_in_the_reader_language(anonymous_client, db, path, label, unit):
    section = _reference_section(anonymous_client, path)

    assert f"<div>{label}</div>" in section
    assert f'<small class="fs-6">{unit}</small>' in section


def test_an_untranslated_label_is_shown_in_french_marked_as_french(anonymous_client, db):
    SectorFigure.objects.all().delete()
    SectorFigureFactory(label="Sites de production", unit="sites", label_en="")

    section = _reference_section(anonymous_client, "/en/")

    assert '<div lang="fr" dir="ltr">Sites de production</div>' in section
    assert '<small class="fs-6" lang="fr" dir="ltr">sites</small>' in section


def test_a_figure_reads_its_label_in_the_active_language(db):
    jobs = SectorFigure.objects.get(key="jobs")

    with translation.override("en"):
        assert str(jobs.reader_label) == "Jobs in the customer-relations sector"
    with translation.override("fr"):
        assert str(jobs.reader_label) == "Emplois dans le secteur de la relation client"


def test_large_figures_are_grouped_in_arabic(anonymous_client, db):
    section = _reference_section(anonymous_client, "/ar/")

    assert "80\xa0000" in section
    assert "69\xa0900" in section
