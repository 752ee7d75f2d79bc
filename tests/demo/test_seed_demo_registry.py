import pytest
from django.db.models import Count, Q, Sum
from stdnum.ma import ice

from members.models import Company, Site

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("seeded")]


def _workforce(**filters) -> int:
    return Company.objects.filter(**filters).aggregate(total=Sum("registered_headcount"))["total"]


def test_it_registers_about_twenty_members_and_five_hundred_small_operators():
    counts = Company.objects.aggregate(
        members=Count("pk", filter=Q(segment=Company.Segment.MEMBER)),
        small=Count("pk", filter=Q(segment=Company.Segment.SMALL)),
    )

    assert 18 <= counts["members"] <= 22
    assert 480 <= counts["small"] <= 520


def test_the_registered_workforce_is_about_eighty_thousand():
    assert 76_000 <= _workforce() <= 84_000


def test_members_employ_about_eighty_percent_of_the_registered_workforce():
    share = _workforce(segment=Company.Segment.MEMBER) / _workforce()

    assert 0.75 <= share <= 0.85


def test_members_are_large_and_small_operators_small():
    members = Company.objects.filter(segment=Company.Segment.MEMBER).values_list("registered_headcount", flat=True)
    small = Company.objects.filter(segment=Company.Segment.SMALL).values_list("registered_headcount", flat=True)

    assert min(members) >= 1_000
    assert max(members) >= 5_000
    assert sum(1_000 <= headcount <= 5_000 for headcount in members) > len(members) / 2
    assert min(small) >= 5
    assert max(small) <= 150


def test_members_are_all_formal():
    assert not Company.objects.filter(segment=Company.Segment.MEMBER).exclude(formality=Company.Formality.FORMAL)


def test_a_share_of_small_operators_is_informal_and_a_share_unverified():
    small = Company.objects.filter(segment=Company.Segment.SMALL)
    informal = small.filter(formality=Company.Formality.INFORMAL).count()
    unverified = small.filter(formality=Company.Formality.UNVERIFIED).count()

    assert 0.05 <= informal / small.count() <= 0.3
    assert 0.05 <= unverified / small.count() <= 0.3


def test_every_company_has_a_valid_and_unique_ice():
    ices = list(Company.objects.values_list("ice", flat=True))

    assert all(ice.is_valid(value) for value in ices)
    assert len(set(ices)) == len(ices)


def test_only_informal_companies_lack_trade_register_or_cnss_numbers():
    lacking = Company.objects.filter(Q(rc_number="") | Q(cnss_number=""))

    assert lacking.exists()
    assert set(lacking.values_list("formality", flat=True)) == {Company.Formality.INFORMAL}


def test_formal_companies_are_verified_by_staff():
    formal = Company.objects.filter(formality=Company.Formality.FORMAL)

    assert not formal.filter(Q(formality_verified_by=None) | Q(formality_verified_at=None))
    assert formal.filter(formality_verified_by__is_staff=True).count() == formal.count()


def test_every_company_has_a_site():
    assert not Company.objects.filter(sites=None).exists()


def test_the_largest_members_have_sites_in_several_regions():
    largest = Company.objects.filter(segment=Company.Segment.MEMBER).order_by("-registered_headcount")[:5]

    for company in largest:
        assert company.sites.values("region").distinct().count() >= 2, company


def test_workstations_are_mostly_in_casablanca_settat_then_rabat_sale_kenitra():
    by_region = list(
        Site.objects.values_list("region__code", flat=True)
        .annotate(workstations=Sum("workstations"))
        .order_by("-workstations")
    )

    assert by_region[:2] == ["MA-06", "MA-04"]
    assert set(by_region) == {"MA-06", "MA-04", "MA-03", "MA-01", "MA-07", "MA-02", "MA-09"}
