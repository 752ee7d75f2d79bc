from django.conf import settings
from django.shortcuts import resolve_url

from members.models import Company, CompanyMembership
from tests.factories import DEFAULT_PASSWORD, CompanyFactory, MembershipFactory, UserFactory


def test_a_member_logs_in_with_their_email_and_password(anonymous_client, declarant_a):
    response = anonymous_client.post("/connexion/", {"username": "declarant@atlas.ma", "password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == resolve_url(settings.LOGIN_REDIRECT_URL)
    assert anonymous_client.session["_auth_user_id"] == str(declarant_a.pk)


def test_the_email_is_accepted_whatever_its_case(anonymous_client, declarant_a):
    response = anonymous_client.post("/connexion/", {"username": "Declarant@Atlas.MA", "password": DEFAULT_PASSWORD})

    assert response.status_code == 302


def test_a_wrong_password_is_refused_with_a_french_message(anonymous_client, declarant_a):
    response = anonymous_client.post("/connexion/", {"username": "declarant@atlas.ma", "password": "pas-le-bon"})

    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()
    assert "_auth_user_id" not in anonymous_client.session


def test_a_registrant_awaiting_approval_is_told_why_they_cannot_log_in(anonymous_client, db):
    company = CompanyFactory(registration_status=Company.RegistrationStatus.PENDING)
    user = UserFactory(email="attente@exemple.ma", is_active=False)
    MembershipFactory(user=user, company=company, role=CompanyMembership.Role.ADMIN)

    response = anonymous_client.post("/connexion/", {"username": "attente@exemple.ma", "password": DEFAULT_PASSWORD})

    assert "en attente de validation" in response.content.decode()
    assert "_auth_user_id" not in anonymous_client.session


def test_an_inactive_account_with_a_wrong_password_gets_the_generic_message(anonymous_client, db):
    UserFactory(email="inactif@exemple.ma", is_active=False)

    response = anonymous_client.post("/connexion/", {"username": "inactif@exemple.ma", "password": "pas-le-bon"})

    content = response.content.decode()
    assert "Adresse e-mail ou mot de passe incorrect" in content
    assert "désactivé" not in content


def test_logout_is_a_post(declarant_a_client):
    response = declarant_a_client.post("/deconnexion/")

    assert response.status_code == 302
    assert "_auth_user_id" not in declarant_a_client.session


def test_logout_refuses_a_get(declarant_a_client):
    response = declarant_a_client.get("/deconnexion/")

    assert response.status_code == 405


def test_the_login_page_links_to_password_reset_and_registration(anonymous_client, db):
    content = anonymous_client.get("/connexion/").content.decode()

    assert 'href="/compte/mot-de-passe/oublie/"' in content
    assert 'href="/compte/inscription/"' in content
