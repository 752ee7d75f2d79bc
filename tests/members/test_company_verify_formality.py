import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from members.models import Company
from members.services import company_verify_formality
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

CASABLANCA = zoneinfo.ZoneInfo("Africa/Casablanca")


@time_machine.travel(datetime.datetime(2020, 4, 6, 11, 15, tzinfo=CASABLANCA), tick=False)
def test_verifying_a_company_records_who_verified_it_and_when(staff_user):
    company = CompanyFactory(formality=Company.Formality.UNVERIFIED)

    company_verify_formality(company=company, user=staff_user, formality=Company.Formality.FORMAL)

    company.refresh_from_db()
    assert company.formality == Company.Formality.FORMAL
    assert company.formality_verified_by == staff_user
    assert company.formality_verified_at == datetime.datetime(2020, 4, 6, 11, 15, tzinfo=CASABLANCA)


def test_the_verification_is_in_the_history_with_its_author_even_outside_a_request(staff_user):
    company = CompanyFactory(formality=Company.Formality.UNVERIFIED)

    company_verify_formality(company=company, user=staff_user, formality=Company.Formality.INFORMAL)

    latest = company.history.latest()
    assert latest.formality == Company.Formality.INFORMAL
    assert latest.history_user == staff_user


def test_an_unknown_formality_is_refused_and_nothing_is_saved(staff_user):
    company = CompanyFactory(formality=Company.Formality.UNVERIFIED)

    with pytest.raises(ValidationError):
        company_verify_formality(company=company, user=staff_user, formality="perhaps")

    company.refresh_from_db()
    assert company.formality == Company.Formality.UNVERIFIED
    assert company.formality_verified_by is None


def test_an_invalid_record_is_not_saved_half_verified(staff_user):
    company = CompanyFactory(formality=Company.Formality.UNVERIFIED)
    Company.objects.filter(pk=company.pk).update(ice="123")
    company.refresh_from_db()

    with pytest.raises(ValidationError):
        company_verify_formality(company=company, user=staff_user, formality=Company.Formality.FORMAL)

    company.refresh_from_db()
    assert company.formality_verified_by is None
