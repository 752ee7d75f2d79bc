"""Rows that count their saves (amrc.lib.revised): what tells a kept member page it is out of date."""

import pytest

from members.models import Region
from tests.factories import CompanyFactory


@pytest.mark.django_db
def test_a_new_row_has_its_first_revision():
    assert CompanyFactory().revision == 1


@pytest.mark.django_db
def test_every_save_raises_the_revision():
    company = CompanyFactory()

    company.save()
    company.save()

    company.refresh_from_db()
    assert company.revision == 3


@pytest.mark.django_db
def test_a_save_of_some_fields_raises_the_revision_too():
    region = Region.objects.get(code="MA-06")
    before = region.revision

    region.name_fr = "Casablanca–Settat"
    region.save(update_fields=["name_fr"])

    region.refresh_from_db()
    assert (region.name_fr, region.revision) == ("Casablanca–Settat", before + 1)
