"""Passwords: twelve characters at least, and not one of the common passwords; every form that
sets a password says so in its help text."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from demo import sector
from tests.factories import region, valid_ice

ELEVEN_CHARACTERS = "Casa-Rabat1"


def test_a_password_of_eleven_characters_is_refused(db):
    with pytest.raises(ValidationError, match="au minimum 12 caractères"):
        validate_password(ELEVEN_CHARACTERS)


def test_a_password_of_twelve_characters_is_accepted(db):
    validate_password(ELEVEN_CHARACTERS + "x")


def test_a_common_password_is_refused_however_long(db):
    with pytest.raises(ValidationError, match="trop courant"):
        validate_password("telechargement")


def test_the_demo_password_stays_valid(db):
    validate_password(sector.DEMO_PASSWORD)


@pytest.mark.parametrize(
    "url", ["/compte/inscription/", "/compte/mot-de-passe/modifier/"], ids=["registration", "password-change"]
)
def test_the_password_forms_announce_the_minimum_length(declarant_a_client, url):
    assert "au minimum 12 caractères" in declarant_a_client.get(url).content.decode()


def test_registration_refuses_an_eleven_character_password_next_to_the_field(anonymous_client, db):
    registration = {
        "trade_name": "Fès Appels",
        "ice": valid_ice(778),
        "city": "Fès",
        "region": region("MA-03").pk,
        "headcount": "45",
        "full_name": "Salma Fassi",
        "email": "salma@fesappels.ma",
        "phone": "+212 5 35 00 00 00",
        "password": ELEVEN_CHARACTERS,
        "password_confirmation": ELEVEN_CHARACTERS,
    }

    response = anonymous_client.post("/compte/inscription/", registration)

    form = response.context["form"]
    assert any("au minimum 12 caractères" in error for error in form.errors["password"])
