"""Users log in with their e-mail address, whatever case they type it in."""

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from accounts.models import User
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def test_create_user_stores_the_e_mail_in_lower_case():
    user = User.objects.create_user("Amina.Declarante@ATLAS.ma", DEFAULT_PASSWORD)

    assert user.email == "amina.declarante@atlas.ma"


def test_create_user_makes_a_member_user_without_admin_rights():
    user = User.objects.create_user("amina@atlas.ma", DEFAULT_PASSWORD)

    assert (user.is_staff, user.is_superuser, user.is_active) == (False, False, True)


def test_create_user_refuses_an_empty_e_mail():
    with pytest.raises(ValueError):
        User.objects.create_user("", DEFAULT_PASSWORD)


def test_create_user_without_a_password_makes_an_account_that_cannot_log_in_yet():
    user = User.objects.create_user("invite@atlas.ma")

    assert not user.has_usable_password()


def test_create_superuser_makes_a_staff_superuser():
    user = User.objects.create_superuser("Direction@AMRC.ma", DEFAULT_PASSWORD)

    assert (user.email, user.is_staff, user.is_superuser) == ("direction@amrc.ma", True, True)


def _login_request():
    # django-axes watches every authentication through its request.
    return RequestFactory().post("/connexion/")


@pytest.mark.parametrize("typed", ["amina@atlas.ma", "AMINA@ATLAS.MA", "Amina@Atlas.Ma"])
def test_login_ignores_the_case_of_the_e_mail(typed):
    user = User.objects.create_user("amina@atlas.ma", DEFAULT_PASSWORD)

    assert authenticate(_login_request(), username=typed, password=DEFAULT_PASSWORD) == user


def test_login_with_a_wrong_password_fails():
    User.objects.create_user("amina@atlas.ma", DEFAULT_PASSWORD)

    assert authenticate(_login_request(), username="amina@atlas.ma", password="pas-le-bon") is None


def test_an_inactive_user_cannot_log_in():
    User.objects.create_user("parti@atlas.ma", DEFAULT_PASSWORD, is_active=False)

    assert authenticate(_login_request(), username="parti@atlas.ma", password=DEFAULT_PASSWORD) is None


def test_clean_lowercases_an_e_mail_edited_by_hand():
    user = User.objects.create_user("amina@atlas.ma", DEFAULT_PASSWORD)
    user.email = "Amina.Nouvelle@Atlas.ma"

    user.full_clean()

    assert user.email == "amina.nouvelle@atlas.ma"


def test_a_user_is_shown_by_full_name_or_else_by_e_mail():
    named = User(email="amina@atlas.ma", full_name="Amina Declarante")
    anonymous = User(email="contact@atlas.ma")

    assert (str(named), str(anonymous)) == ("Amina Declarante", "contact@atlas.ma")
