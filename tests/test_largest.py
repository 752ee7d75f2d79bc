"""The Largest aggregate (amrc.lib.largest): each group's n largest values, largest first, read
by the same GROUP BY as its sums, on SQLite and on PostgreSQL alike."""

from decimal import Decimal

import pytest
from django.db.models import F, Q, Sum

from amrc.lib.largest import Largest
from measures.models import Declaration
from members.models import Company
from tests.factories import CampaignFactory, CompanyFactory, DeclarationFactory


def _by_segment(**aggregates) -> dict:
    rows = Company.objects.order_by().values("segment").annotate(**aggregates)
    return {row["segment"]: {name: row[name] for name in aggregates} for row in rows}


@pytest.mark.django_db
def test_gives_each_groups_n_largest_values_largest_first():
    for headcount in (40, 300, 7, 120):
        CompanyFactory(segment=Company.Segment.MEMBER, registered_headcount=headcount)
    for headcount in (3, 9):
        CompanyFactory(segment=Company.Segment.SMALL, registered_headcount=headcount)

    largest = _by_segment(top=Largest("registered_headcount", n=3))

    assert largest == {Company.Segment.MEMBER: {"top": (300, 120, 40)}, Company.Segment.SMALL: {"top": (9, 3)}}


@pytest.mark.django_db
def test_keeps_equal_values_each_time_they_occur():
    for headcount in (50, 50, 10):
        CompanyFactory(registered_headcount=headcount)

    assert _by_segment(top=Largest("registered_headcount", n=2))[Company.Segment.MEMBER]["top"] == (50, 50)


@pytest.mark.django_db
def test_leaves_out_missing_values():
    campaign = CampaignFactory()
    DeclarationFactory(campaign=campaign, export_revenue=None)
    DeclarationFactory(campaign=campaign, export_revenue=Decimal("10.00"))

    row = Declaration.objects.aggregate(top=Largest("export_revenue", n=2))

    assert row["top"] == (Decimal("10.00"),)


@pytest.mark.django_db
def test_a_group_without_any_value_gives_nothing():
    DeclarationFactory(activity_maintained_pct=None)

    assert Declaration.objects.aggregate(top=Largest("activity_maintained_pct", n=2))["top"] == ()


@pytest.mark.django_db
def test_reads_only_the_rows_its_filter_keeps():
    CompanyFactory(registered_headcount=900, formality=Company.Formality.INFORMAL)
    CompanyFactory(registered_headcount=20, formality=Company.Formality.FORMAL)
    CompanyFactory(registered_headcount=10, formality=Company.Formality.FORMAL)

    formal = Q(formality=Company.Formality.FORMAL)
    row = Company.objects.aggregate(
        formal=Largest("registered_headcount", n=5, filter=formal),
        others=Largest("registered_headcount", n=5, filter=~formal),
    )

    assert row == {"formal": (20, 10), "others": (900,)}


@pytest.mark.django_db
def test_money_comes_back_as_the_column_reads_it():
    campaign = CampaignFactory()
    for revenue in ("1500000.25", "980.50", "2750000.75"):
        DeclarationFactory(campaign=campaign, export_revenue=Decimal(revenue))

    row = Declaration.objects.aggregate(total=Sum("export_revenue"), top=Largest("export_revenue", n=2))

    assert row["top"] == (Decimal("2750000.75"), Decimal("1500000.25"))
    assert all(isinstance(value, Decimal) for value in row["top"])


@pytest.mark.django_db
def test_an_expression_is_ranked_by_its_value():
    campaign = CampaignFactory()
    DeclarationFactory(campaign=campaign, headcount=100, on_site=40, telework=50)
    DeclarationFactory(campaign=campaign, headcount=100, on_site=10, telework=20)

    row = Declaration.objects.annotate(rest=F("headcount") - F("on_site") - F("telework")).aggregate(
        top=Largest("rest", n=2)
    )

    assert row["top"] == (70, 10)


def test_refuses_a_count_that_is_not_a_positive_whole_number():
    with pytest.raises(ValueError):
        Largest("registered_headcount", n=0)


@pytest.mark.django_db
def test_an_empty_selection_gives_nothing():
    DeclarationFactory()

    assert Declaration.objects.filter(pk__in=[]).aggregate(top=Largest("headcount", n=2)) == {"top": ()}
