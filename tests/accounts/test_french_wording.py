"""French as a careful writer would put it: "l'équipe d'Atlas", a pending registration told as
information rather than as an error, and a registration form that says why its passwords are empty."""

import pytest
from django.core import mail
from django.utils import translation

from accounts.services import invitation_send
from amrc.lib.french_elision import elide_de, elides
from members.models import Company, CompanyMembership
from tests.factories import DEFAULT_PASSWORD, CompanyFactory, MembershipFactory, UserFactory, valid_ice


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Atlas Contact", True),
        ("Éole Services", True),
        ("Hay Hassani Call", True),
        ("Yves Appels", True),
        ("Yasmine Relation", False),
        ("Bahia Relation Client", False),
        ("3C Maroc", False),
    ],
)
def test_de_elides_before_a_vowel_or_an_h(name, expected):
    assert elides(name) is expected


def test_only_the_de_before_the_name_elides():
    with translation.override("fr"):
        assert elide_de("De Atlas à Atlasia, l'équipe de Atlas", "Atlas") == "D'Atlas à Atlasia, l'équipe d'Atlas"


def test_english_and_arabic_sentences_are_left_alone():
    with translation.override("en"):
        assert elide_de("de Atlas", "Atlas") == "de Atlas"


def test_the_team_page_is_titled_with_an_elided_de(company_admin_a_client, company_a):
    page = company_admin_a_client.get(f"/compte/entreprises/{company_a.pk}/equipe/").content.decode()

    assert '<h1 class="h3 mb-0">Équipe d&#x27;Atlas Contact</h1>' in page
    assert "<title>Équipe d&#x27;Atlas Contact –" in page


def test_the_team_page_keeps_de_before_a_consonant(declarant_b_client, company_b):
    page = declarant_b_client.get(f"/compte/entreprises/{company_b.pk}/equipe/").content.decode()

    assert "Équipe de Bahia Relation Client</h1>" in page


def test_leaving_the_team_says_d_atlas(company_admin_a_client, company_a, company_admin_a):
    MembershipFactory(company=company_a, role=CompanyMembership.Role.ADMIN)
    membership = company_admin_a.memberships.get(company=company_a)

    response = company_admin_a_client.post(
        f"/compte/entreprises/{company_a.pk}/equipe/membres/{membership.pk}/retirer/", follow=True
    )

    assert "Vous ne faites plus partie de l&#x27;équipe d&#x27;Atlas Contact." in response.content.decode()


def test_the_invitation_email_says_d_atlas(company_a, staff_user):
    invitation_send(
        company=company_a, email="nouvelle@atlas.ma", role=CompanyMembership.Role.DECLARANT, invited_by=staff_user
    )

    assert "rejoindre l'équipe d'Atlas Contact" in mail.outbox[-1].body


def _pending_login(client):
    company = CompanyFactory(registration_status=Company.RegistrationStatus.PENDING)
    user = UserFactory(email="attente@exemple.ma", is_active=False)
    MembershipFactory(user=user, company=company, role=CompanyMembership.Role.ADMIN)
    return client.post("/connexion/", {"username": "attente@exemple.ma", "password": DEFAULT_PASSWORD})


def test_a_pending_registration_is_told_as_information(anonymous_client, db):
    page = _pending_login(anonymous_client).content.decode()

    notice = page.split('<div class="alert alert-info" role="status">')[1].split("</div>")[0]
    assert "en attente de validation" in notice
    assert "alert-danger" not in page


def test_a_wrong_password_is_still_an_error(anonymous_client, declarant_a):
    page = anonymous_client.post("/connexion/", {"username": "declarant@atlas.ma", "password": "faux"}).content.decode()

    assert '<div class="alert alert-danger" role="alert">' in page


REGISTRATION = {
    "trade_name": "Oasis Appels",
    "ice": "123",  # invalid: the form comes back
    "city": "Agadir",
    "headcount": "30",
    "full_name": "Nadia Amrani",
    "email": "nadia@oasis.ma",
    "phone": "+212 5 28 00 00 00",
    "password": "Oasis-Appels-Agadir-2020",
    "password_confirmation": "Oasis-Appels-Agadir-2020",
}


def test_a_registration_error_never_sends_the_password_back(anonymous_client, db):
    page = anonymous_client.post("/compte/inscription/", REGISTRATION).content.decode()

    assert "Oasis-Appels-Agadir-2020" not in page


def test_a_registration_error_says_why_the_passwords_are_empty(anonymous_client, db):
    page = anonymous_client.post("/compte/inscription/", REGISTRATION).content.decode()

    assert "le mot de passe saisi n'est jamais renvoyé dans la page" in page


def test_the_note_is_not_shown_when_no_password_was_typed(anonymous_client, db):
    data = {**REGISTRATION, "password": "", "password_confirmation": ""}

    page = anonymous_client.post("/compte/inscription/", data).content.decode()

    assert "jamais renvoyé dans la page" not in page


def test_a_fresh_registration_form_shows_no_note(anonymous_client, db):
    assert "jamais renvoyé dans la page" not in anonymous_client.get("/compte/inscription/").content.decode()


def test_a_valid_registration_still_goes_through(anonymous_client, db):
    data = {**REGISTRATION, "ice": valid_ice(4242), "region": CompanyFactory().region.pk}

    assert anonymous_client.post("/compte/inscription/", data).status_code == 302
