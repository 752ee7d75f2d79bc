"""Opening an invitation link: new accounts, existing accounts, and every way a link goes bad."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.shortcuts import resolve_url
from django.utils import timezone

from accounts.models import Invitation, User
from accounts.services import invitation_accept, invitation_send
from members.models import CompanyMembership
from tests.accounts.links import link_in
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory
from tests.login import password_logs_in

NEW_PASSWORD = "Plateau-Casablanca-2020"
DECLARANT = CompanyMembership.Role.DECLARANT
ADMIN = CompanyMembership.Role.ADMIN


@pytest.fixture
def invite(company_a, staff_user, mailoutbox):
    """Invite an address to company A and return the path of the e-mailed link."""

    def _invite(email: str = "nouveau@atlas.ma", role: str = DECLARANT) -> str:
        invitation_send(company=company_a, email=email, role=role, invited_by=staff_user)
        return link_in(mailoutbox[-1], "/compte/invitation/")

    return _invite


def _new_account(full_name: str = "Nadia Nouvelle", password: str = NEW_PASSWORD) -> dict:
    return {"full_name": full_name, "password": password, "password_confirmation": password}


def test_the_whole_path_from_the_admin_action_to_the_dashboard(staff_client, company_a, anonymous_client, mailoutbox):
    changelist = "/admin/members/company/"
    selection = {"action": "company_invite_contact", "_selected_action": [company_a.pk]}
    form_page = staff_client.post(changelist, selection)
    assert form_page.status_code == 200
    assert "Inviter un contact" in form_page.content.decode()

    staff_client.post(changelist, {**selection, "apply": "1", "email": "nadia@atlas.ma", "role": DECLARANT})
    assert len(mailoutbox) == 1
    link = link_in(mailoutbox[0], "/compte/invitation/")

    assert anonymous_client.get(link).status_code == 200
    response = anonymous_client.post(link, _new_account())

    assert response.status_code == 302
    assert response["Location"] == resolve_url(settings.LOGIN_REDIRECT_URL)
    assert anonymous_client.get(response["Location"]).status_code == 200
    user = User.objects.get(email="nadia@atlas.ma")
    assert anonymous_client.session["_auth_user_id"] == str(user.pk)
    assert user.full_name == "Nadia Nouvelle"
    assert user.check_password(NEW_PASSWORD)
    assert CompanyMembership.objects.get(user=user, company=company_a).role == DECLARANT
    invitation = Invitation.objects.get(email="nadia@atlas.ma")
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None


def test_the_invitee_can_log_in_afterwards_with_the_chosen_password(invite, anonymous_client):
    anonymous_client.post(invite(), _new_account())

    assert password_logs_in("nouveau@atlas.ma", NEW_PASSWORD)


def test_the_role_of_the_invitation_is_granted(invite, anonymous_client, company_a):
    anonymous_client.post(invite(role=ADMIN), _new_account())

    assert CompanyMembership.objects.get(user__email="nouveau@atlas.ma", company=company_a).role == ADMIN


def test_an_expired_link_is_refused_with_a_clear_message(invite, anonymous_client):
    link = invite()

    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        response = anonymous_client.post(link, _new_account())

    assert response.status_code == 410
    assert "Cette invitation a expiré" in response.content.decode()
    assert not User.objects.filter(email="nouveau@atlas.ma").exists()


def test_a_link_still_works_on_its_last_day(invite, anonymous_client):
    link = invite()

    with time_machine.travel(timezone.now() + datetime.timedelta(days=6, hours=23)):
        response = anonymous_client.post(link, _new_account())

    assert response.status_code == 302


def test_a_used_link_cannot_be_used_again(invite, anonymous_client, client):
    link = invite()
    anonymous_client.post(link, _new_account())

    response = client.post(link, _new_account(full_name="Quelqu'un d'autre", password="Autre-secret-2020"))

    assert response.status_code == 410
    assert "Cette invitation a déjà été utilisée" in response.content.decode()
    assert User.objects.get(email="nouveau@atlas.ma").check_password(NEW_PASSWORD)


def test_a_revoked_link_is_refused(invite, anonymous_client, company_a, staff_user):
    link = invite()
    # Re-inviting the same address revokes the first link.
    invitation_send(company=company_a, email="nouveau@atlas.ma", role=DECLARANT, invited_by=staff_user)

    response = anonymous_client.get(link)

    assert response.status_code == 410
    assert "Cette invitation a été annulée" in response.content.decode()


def test_an_unknown_link_answers_404_with_a_message(anonymous_client, db):
    response = anonymous_client.get("/compte/invitation/pas-un-vrai-jeton/")

    assert response.status_code == 404
    assert "Ce lien d&#x27;invitation n&#x27;est pas valide" in response.content.decode()


def test_a_weak_password_is_refused_and_nothing_is_created(invite, anonymous_client):
    link = invite()

    response = anonymous_client.post(link, _new_account(password="azerty"))

    assert response.status_code == 200
    assert "Ce mot de passe est trop court" in response.content.decode()
    assert not User.objects.filter(email="nouveau@atlas.ma").exists()
    assert Invitation.objects.get(email="nouveau@atlas.ma").accepted_at is None


def test_a_password_resembling_the_address_is_refused(invite, anonymous_client):
    link = invite(email="casablanca.plateau@atlas.ma")

    response = anonymous_client.post(link, _new_account(password="casablanca.plateau"))

    assert "Le mot de passe est trop semblable" in response.content.decode()
    assert not User.objects.filter(email="casablanca.plateau@atlas.ma").exists()


def test_two_different_passwords_are_refused(invite, anonymous_client):
    link = invite()

    response = anonymous_client.post(
        link, {"full_name": "Nadia", "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD + "x"}
    )

    assert "Les deux mots de passe ne correspondent pas" in response.content.decode()
    assert not User.objects.filter(email="nouveau@atlas.ma").exists()


def test_an_existing_user_joins_with_their_current_password(invite, anonymous_client, declarant_b, company_a):
    link = invite(email="declarant@bahia.ma")

    page = anonymous_client.get(link)
    response = anonymous_client.post(link, {"password": DEFAULT_PASSWORD})

    assert "Un compte existe déjà avec cette adresse" in page.content.decode()
    assert response.status_code == 302
    assert anonymous_client.session["_auth_user_id"] == str(declarant_b.pk)
    assert CompanyMembership.objects.filter(user=declarant_b, company=company_a).exists()
    assert User.objects.filter(email="declarant@bahia.ma").count() == 1


def test_an_existing_user_keeps_their_password(invite, anonymous_client, declarant_b):
    anonymous_client.post(invite(email="declarant@bahia.ma"), {"password": DEFAULT_PASSWORD})

    declarant_b.refresh_from_db()
    assert declarant_b.check_password(DEFAULT_PASSWORD)


def test_an_existing_user_with_a_wrong_password_is_refused(invite, anonymous_client, declarant_b, company_a):
    response = anonymous_client.post(invite(email="declarant@bahia.ma"), {"password": "pas-le-bon"})

    assert response.status_code == 200
    assert "Mot de passe incorrect" in response.content.decode()
    assert not CompanyMembership.objects.filter(user=declarant_b, company=company_a).exists()


def test_a_logged_in_invitee_accepts_in_one_click(invite, declarant_b_client, declarant_b, company_a):
    link = invite(email="declarant@bahia.ma")

    response = declarant_b_client.post(link, {})

    assert response.status_code == 302
    assert CompanyMembership.objects.filter(user=declarant_b, company=company_a).exists()


def test_a_deactivated_account_cannot_accept(invite, anonymous_client, company_a):
    UserFactory(email="parti@atlas.ma", is_active=False)

    response = anonymous_client.post(invite(email="parti@atlas.ma"), {"password": DEFAULT_PASSWORD})

    assert "est désactivé" in response.content.decode()
    assert not CompanyMembership.objects.filter(user__email="parti@atlas.ma", company=company_a).exists()


def test_an_admin_invitation_promotes_a_declarant_of_the_company(company_a, declarant_a, staff_user, mailoutbox):
    # A declarant cannot be re-invited to the same company, so the invitation predates their joining.
    invitation_send(company=company_a, email="nouveau@atlas.ma", role=ADMIN, invited_by=staff_user)
    token = link_in(mailoutbox[0], "/compte/invitation/").rstrip("/").rsplit("/", 1)[-1]
    user = UserFactory(email="nouveau@atlas.ma")
    MembershipFactory(user=user, company=company_a, role=DECLARANT)

    invitation_accept(token=token, password=DEFAULT_PASSWORD)

    assert CompanyMembership.objects.get(user=user, company=company_a).role == ADMIN


def test_a_double_submission_creates_one_account_and_one_membership(invite, anonymous_client, client):
    link = invite()

    anonymous_client.post(link, _new_account())
    second = client.post(link, _new_account())

    assert second.status_code == 410
    assert User.objects.filter(email="nouveau@atlas.ma").count() == 1
    assert CompanyMembership.objects.filter(user__email="nouveau@atlas.ma").count() == 1
