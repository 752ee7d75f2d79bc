"""The company record: its ICE (15 digits, ISO 7064 mod 97-10 check) and what makes it unique."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import Company
from members.validators import validate_ice
from tests.factories import CompanyFactory, UserFactory, valid_ice

pytestmark = pytest.mark.django_db

ICE_MESSAGE = "ICE invalide : il compte 15 chiffres et se termine par une clé de contrôle. Vérifiez la saisie."


def _with_wrong_check_digits(ice: str) -> str:
    return ice[:-2] + f"{(int(ice[-2:]) + 1) % 100:02d}"


def test_a_valid_ice_is_accepted():
    company = CompanyFactory.build(ice=valid_ice(123456789))

    company.full_clean()


@pytest.mark.parametrize(
    "ice",
    [
        _with_wrong_check_digits(valid_ice(123456789)),
        valid_ice(123456789)[:-1],
        valid_ice(123456789) + "0",
        "00123456700A089",
    ],
    ids=["wrong-check-digits", "14-digits", "16-digits", "letters"],
)
def test_an_invalid_ice_is_refused_with_a_french_message(ice):
    with pytest.raises(ValidationError) as raised:
        validate_ice(ice)

    assert raised.value.messages == [ICE_MESSAGE]


def test_full_clean_refuses_an_ice_with_wrong_check_digits():
    company = CompanyFactory.build(ice=_with_wrong_check_digits(valid_ice(42)))

    with pytest.raises(ValidationError) as raised:
        company.full_clean()

    assert raised.value.message_dict["ice"] == [ICE_MESSAGE]


def test_clean_compacts_an_ice_typed_with_spaces():
    ice = valid_ice(987654321)
    company = CompanyFactory.build(ice=f"{ice[:5]} {ice[5:10]} {ice[10:]}")

    company.clean()

    assert company.ice == ice


def test_two_companies_cannot_share_an_ice():
    first = CompanyFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        CompanyFactory(ice=first.ice)


def test_a_shared_ice_is_reported_in_french():
    first = CompanyFactory()
    second = CompanyFactory.build(ice=first.ice)

    with pytest.raises(ValidationError) as raised:
        second.validate_constraints()

    assert raised.value.messages == ["Une entreprise portant cet ICE est déjà enregistrée."]


def test_several_companies_may_have_no_ice_yet():
    CompanyFactory(ice="")
    CompanyFactory(ice="")

    assert Company.objects.filter(ice="").count() == 2


def test_a_company_without_ice_passes_full_clean():
    CompanyFactory.build(ice="").full_clean()


def test_companies_expected_to_declare_are_the_active_approved_ones():
    expected = CompanyFactory()
    CompanyFactory(is_active=False)
    CompanyFactory(registration_status=Company.RegistrationStatus.PENDING)
    CompanyFactory(registration_status=Company.RegistrationStatus.REJECTED)

    assert list(Company.objects.active()) == [expected]


def test_a_user_reaches_the_companies_they_belong_to(declarant_a, company_a, company_b):
    assert list(Company.objects.for_user(declarant_a)) == [company_a]


def test_a_user_without_membership_reaches_no_company(company_a):
    assert not Company.objects.for_user(UserFactory()).exists()
