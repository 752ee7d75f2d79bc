import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.services import invitation_send
from accounts.tokens import invitation_token_hash
from members.models import Company, CompanyMembership
from tests.accounts.links import link_in
from tests.factories import CompanyFactory, InvitationFactory

DECLARANT = CompanyMembership.Role.DECLARANT


def _token_of(message) -> str:
    return link_in(message, "/compte/invitation/").rstrip("/").rsplit("/", 1)[-1]


def test_it_stores_only_a_hash_of_the_emailed_token(company_a, staff_user, mailoutbox):
    invitation = invitation_send(company=company_a, email="nouveau@atlas.ma", role=DECLARANT, invited_by=staff_user)

    token = _token_of(mailoutbox[0])
    assert token not in invitation.token_hash
    assert invitation.token_hash == invitation_token_hash(token)


def test_the_email_is_in_french_with_an_absolute_link(company_a, staff_user, mailoutbox, settings):
    settings.SITE_URL = "https://plateforme.amrc.ma"

    invitation_send(company=company_a, email="nouveau@atlas.ma", role=DECLARANT, invited_by=staff_user)

    message = mailoutbox[0]
    assert message.to == ["nouveau@atlas.ma"]
    assert message.subject == "Invitation à rejoindre Atlas Contact sur la plateforme AMRC"
    assert "https://plateforme.amrc.ma/compte/invitation/" in message.body
    assert "Équipe AMRC vous invite à rejoindre l'équipe d'Atlas Contact" in message.body


def test_the_link_expires_after_the_configured_number_of_days(company_a, staff_user, settings):
    settings.INVITATION_VALIDITY_DAYS = 7
    with time_machine.travel(datetime.datetime(2020, 4, 1, 10, 0, tzinfo=datetime.UTC), tick=False):
        invitation = invitation_send(company=company_a, email="nouveau@atlas.ma", role=DECLARANT, invited_by=staff_user)

    assert invitation.expires_at == datetime.datetime(2020, 4, 8, 10, 0, tzinfo=datetime.UTC)


def test_the_address_is_kept_in_lower_case(company_a, staff_user):
    invitation = invitation_send(company=company_a, email=" Nouveau@Atlas.MA ", role=DECLARANT, invited_by=staff_user)

    assert invitation.email == "nouveau@atlas.ma"


def test_reinviting_an_address_revokes_its_pending_invitation(company_a, staff_user):
    first = invitation_send(company=company_a, email="nouveau@atlas.ma", role=DECLARANT, invited_by=staff_user)

    second = invitation_send(company=company_a, email="NOUVEAU@atlas.ma", role=DECLARANT, invited_by=staff_user)

    first.refresh_from_db()
    assert first.revoked_at is not None
    assert second.is_usable


def test_reinviting_for_another_company_keeps_the_first_invitation(company_a, company_b, staff_user):
    first = invitation_send(company=company_a, email="nouveau@atlas.ma", role=DECLARANT, invited_by=staff_user)

    invitation_send(company=company_b, email="nouveau@atlas.ma", role=DECLARANT, invited_by=staff_user)

    first.refresh_from_db()
    assert first.revoked_at is None


def test_reinviting_leaves_accepted_invitations_alone(company_a, staff_user):
    accepted = InvitationFactory(company=company_a, email="nouveau@atlas.ma", accepted_at=timezone.now())

    invitation_send(company=company_a, email="nouveau@atlas.ma", role=DECLARANT, invited_by=staff_user)

    accepted.refresh_from_db()
    assert accepted.revoked_at is None


def test_it_refuses_someone_already_in_the_team(company_a, declarant_a, staff_user, mailoutbox):
    with pytest.raises(ValidationError) as caught:
        invitation_send(company=company_a, email="DECLARANT@atlas.ma", role=DECLARANT, invited_by=staff_user)

    assert caught.value.message_dict["email"] == ["declarant@atlas.ma fait déjà partie de l'équipe d'Atlas Contact."]
    assert mailoutbox == []


def test_it_refuses_an_unknown_role(company_a, staff_user, mailoutbox):
    with pytest.raises(ValidationError) as caught:
        invitation_send(company=company_a, email="nouveau@atlas.ma", role="owner", invited_by=staff_user)

    assert "role" in caught.value.message_dict
    assert mailoutbox == []


def test_it_refuses_a_company_whose_registration_is_not_approved(staff_user, mailoutbox):
    pending = CompanyFactory(trade_name="Fès Appels", registration_status=Company.RegistrationStatus.PENDING)

    with pytest.raises(ValidationError) as caught:
        invitation_send(company=pending, email="nouveau@fes.ma", role=DECLARANT, invited_by=staff_user)

    assert caught.value.messages == [
        "L'inscription de Fès Appels n'est pas validée : validez-la avant d'inviter des contacts."
    ]
    assert mailoutbox == []
