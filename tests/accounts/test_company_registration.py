"""An operator not yet in the registry registers itself: a pending company and an inactive user."""

import pytest
from django.test import Client

from accounts.models import User
from members.models import Company, CompanyMembership, Region
from tests.factories import CompanyFactory, UserFactory, valid_ice
from tests.login import password_logs_in

URL = "/compte/inscription/"
PASSWORD = "Centre-Fes-Appels-2020"
NEW_ICE = valid_ice(777)


@pytest.fixture
def registration(db) -> dict:
    return {
        "trade_name": "Fès Appels",
        "legal_name": "Fès Appels SARL",
        "ice": NEW_ICE,
        "rc_number": "RC-4512",
        "cnss_number": "8812345",
        "city": "Fès",
        "region": Region.objects.get(code="MA-03").pk,
        "headcount": "45",
        "full_name": "Salma Fassi",
        "email": "salma@fesappels.ma",
        "phone": "+212 5 35 00 00 00",
        "password": PASSWORD,
        "password_confirmation": PASSWORD,
    }


def _nothing_created() -> bool:
    return (
        not Company.objects.filter(trade_name="Fès Appels").exists()
        and not User.objects.filter(email="salma@fesappels.ma").exists()
    )


def test_the_form_is_public(anonymous_client, db):
    response = anonymous_client.get(URL)

    assert response.status_code == 200
    assert "Inscrire mon entreprise" in response.content.decode()


def test_a_registration_creates_a_pending_small_unverified_company(anonymous_client, registration):
    response = anonymous_client.post(URL, registration)

    assert response.status_code == 302
    assert response["Location"] == "/compte/inscription/envoyee/"
    company = Company.objects.get(ice=NEW_ICE)
    assert company.registration_status == Company.RegistrationStatus.PENDING
    assert company.segment == Company.Segment.SMALL
    assert company.formality == Company.Formality.UNVERIFIED
    assert company.registered_headcount == 45
    assert (company.trade_name, company.city, company.region.code) == ("Fès Appels", "Fès", "MA-03")


def test_a_registration_creates_an_inactive_administrator(anonymous_client, registration):
    anonymous_client.post(URL, registration)

    user = User.objects.get(email="salma@fesappels.ma")
    assert not user.is_active
    assert (user.full_name, user.phone) == ("Salma Fassi", "+212 5 35 00 00 00")
    assert user.check_password(PASSWORD)
    membership = user.memberships.get()
    assert (membership.company.ice, membership.role) == (NEW_ICE, CompanyMembership.Role.ADMIN)


def test_the_registrant_cannot_log_in_before_approval(anonymous_client, registration):
    anonymous_client.post(URL, registration)

    assert not password_logs_in("salma@fesappels.ma", PASSWORD)


def test_the_registrant_is_told_by_email_that_the_request_is_received(anonymous_client, registration, mailoutbox):
    anonymous_client.post(URL, registration)

    assert mailoutbox[0].to == ["salma@fesappels.ma"]
    assert mailoutbox[0].subject == "Demande d'inscription de Fès Appels reçue"


def test_an_ice_typed_with_spaces_is_stored_compact(anonymous_client, registration):
    spaced = " ".join([NEW_ICE[:3], NEW_ICE[3:9], NEW_ICE[9:]])

    anonymous_client.post(URL, {**registration, "ice": spaced})

    assert Company.objects.filter(ice=NEW_ICE).exists()


def test_an_ice_already_registered_is_refused_next_to_the_field(anonymous_client, registration, mailoutbox):
    CompanyFactory(ice=NEW_ICE, trade_name="Déjà là")

    response = anonymous_client.post(URL, registration)

    assert response.status_code == 200
    assert "Une entreprise portant cet ICE est déjà enregistrée" in response.context["form"].errors["ice"][0]
    assert _nothing_created()
    assert mailoutbox == []


def test_an_ice_already_registered_is_recognised_even_with_spaces(anonymous_client, registration):
    CompanyFactory(ice=NEW_ICE)

    response = anonymous_client.post(URL, {**registration, "ice": f" {NEW_ICE[:5]} {NEW_ICE[5:]} "})

    assert "ice" in response.context["form"].errors
    assert _nothing_created()


def test_an_invalid_ice_is_refused_next_to_the_field(anonymous_client, registration):
    wrong_check_digits = NEW_ICE[:-2] + ("00" if NEW_ICE[-2:] != "00" else "01")

    response = anonymous_client.post(URL, {**registration, "ice": wrong_check_digits})

    assert response.context["form"].errors["ice"][0].startswith("ICE invalide")
    assert _nothing_created()


def test_an_ice_of_letters_is_refused_next_to_the_field(anonymous_client, registration):
    response = anonymous_client.post(URL, {**registration, "ice": "ABCDEFGHIJKLMNO"})

    assert response.context["form"].errors["ice"][0].startswith("ICE invalide")
    assert _nothing_created()


def test_an_email_already_used_is_refused_next_to_the_field(anonymous_client, registration):
    UserFactory(email="salma@fesappels.ma")

    response = anonymous_client.post(URL, {**registration, "email": "Salma@FesAppels.ma"})

    assert "Un compte existe déjà avec cette adresse e-mail" in response.context["form"].errors["email"][0]
    assert not Company.objects.filter(ice=NEW_ICE).exists()


def test_a_weak_password_is_refused_and_nothing_is_created(anonymous_client, registration):
    response = anonymous_client.post(URL, {**registration, "password": "12345678", "password_confirmation": "12345678"})

    errors = response.context["form"].errors["password"]
    assert "Ce mot de passe est entièrement numérique." in errors
    assert _nothing_created()


def test_two_different_passwords_are_refused(anonymous_client, registration):
    response = anonymous_client.post(URL, {**registration, "password_confirmation": "Autre-chose-2020"})

    assert response.context["form"].errors["password_confirmation"] == ["Les deux mots de passe ne correspondent pas."]
    assert _nothing_created()


@pytest.mark.parametrize("headcount", ["-5", "0", "beaucoup", "1e9"])
def test_a_headcount_that_is_not_a_positive_number_is_refused(anonymous_client, registration, headcount):
    response = anonymous_client.post(URL, {**registration, "headcount": headcount})

    assert response.status_code == 200
    assert "headcount" in response.context["form"].errors
    assert _nothing_created()


def test_a_region_that_does_not_exist_is_refused(anonymous_client, registration):
    response = anonymous_client.post(URL, {**registration, "region": "999999"})

    assert "region" in response.context["form"].errors
    assert _nothing_created()


def test_missing_required_fields_are_each_reported(anonymous_client, db):
    response = anonymous_client.post(URL, {})

    errors = response.context["form"].errors
    for field in ("trade_name", "ice", "city", "region", "headcount", "full_name", "email", "phone", "password"):
        assert field in errors
    assert not Company.objects.filter(registration_status=Company.RegistrationStatus.PENDING).exists()


def test_the_form_is_protected_by_csrf(registration):
    response = Client(enforce_csrf_checks=True).post(URL, registration)

    assert response.status_code == 403
    assert _nothing_created()
