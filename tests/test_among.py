"""The among lookup (amrc.lib.among): membership in a long list of ids, sent as one parameter."""

import pytest
from django.db.models import FilteredRelation, Q

from members.models import Company
from tests.factories import CampaignFactory, CompanyFactory, DeclarationFactory


@pytest.mark.django_db
def test_keeps_the_rows_whose_id_is_listed():
    kept, other, also_kept = CompanyFactory(), CompanyFactory(), CompanyFactory()

    found = Company.objects.filter(pk__among=[kept.pk, also_kept.pk, 10**9])

    assert set(found) == {kept, also_kept}
    assert other not in found


@pytest.mark.django_db
def test_sends_the_whole_list_as_one_parameter():
    _sql, params = Company.objects.filter(pk__among=list(range(1, 5001))).query.sql_with_params()

    assert len(params) == 1


@pytest.mark.django_db
def test_an_empty_list_matches_no_row():
    CompanyFactory()

    assert not Company.objects.filter(pk__among=[]).exists()


@pytest.mark.django_db
def test_an_empty_list_in_a_join_condition_leaves_the_rows_it_joins_to():
    # What `__in` cannot do: Django drops the whole query when an empty list is in a join.
    company = CompanyFactory()
    DeclarationFactory(company=company, campaign=CampaignFactory())

    rows = Company.objects.annotate(
        listed=FilteredRelation("declarations", condition=Q(declarations__pk__among=[]))
    ).values_list("pk", "listed__pk")

    assert list(rows) == [(company.pk, None)]


def test_refuses_anything_but_whole_numbers():
    with pytest.raises(ValueError):
        Company.objects.filter(pk__among=["1); DROP TABLE members_company; --"])
