"""Staff approve or reject self-registrations from the companies' admin list."""

import pytest

from accounts.models import User
from members.models import Company, CompanyMembership
from tests.accounts.links import link_in
from tests.factories import DEFAULT_PASSWORD, CompanyFactory, MembershipFactory, UserFactory
from tests.login import password_logs_in

CHANGELIST = "/admin/members/company/"


@pytest.fixture
def pending_company(db) -> Company:
    company = CompanyFactory(
        trade_name="Fès Appels",
        registration_status=Company.RegistrationStatus.PENDING,
        segment=Company.Segment.SMALL,
        formality=Company.Formality.UNVERIFIED,
    )
    contact = UserFactory(email="salma@fesappels.ma", is_active=False)
    MembershipFactory(user=contact, company=company, role=CompanyMembership.Role.ADMIN)
    return company


def _run_action(client, action: str, companies, **fields):
    data = {"action": action, "_selected_action": [company.pk for company in companies], **fields}
    return client.post(CHANGELIST, data)


def test_staff_find_pending_registrations_with_the_filter(staff_client, pending_company, company_a):
    response = staff_client.get(f"{CHANGELIST}?registration_status__exact=pending")

    content = response.content.decode()
    assert "Fès Appels" in content
    assert "Atlas Contact" not in content


def test_approval_marks_the_company_approved_by_whom_and_when(staff_client, staff_user, pending_company):
    _run_action(staff_client, "company_registration_approve_action", [pending_company])

    pending_company.refresh_from_db()
    assert pending_company.registration_status == Company.RegistrationStatus.APPROVED
    assert pending_company.registration_approved_by == staff_user
    assert pending_company.registration_approved_at is not None


def test_approval_activates_the_contact_who_can_then_log_in(staff_client, pending_company):
    _run_action(staff_client, "company_registration_approve_action", [pending_company])

    assert User.objects.get(email="salma@fesappels.ma").is_active
    assert password_logs_in("salma@fesappels.ma", DEFAULT_PASSWORD)


def test_approval_sends_the_welcome_email_with_the_login_link(staff_client, pending_company, mailoutbox, settings):
    settings.SITE_URL = "https://plateforme.amrc.ma"

    _run_action(staff_client, "company_registration_approve_action", [pending_company])

    message = mailoutbox[0]
    assert message.to == ["salma@fesappels.ma"]
    assert "l'inscription de Fès Appels est validée" in message.subject
    assert "https://plateforme.amrc.ma/connexion/" in message.body
    assert link_in(message, "/connexion/")


def test_approval_is_recorded_in_the_company_history_with_its_author(staff_client, staff_user, pending_company):
    _run_action(staff_client, "company_registration_approve_action", [pending_company])

    latest = pending_company.history.first()
    assert (latest.registration_status, latest.history_user) == (Company.RegistrationStatus.APPROVED, staff_user)


def test_approving_a_company_that_is_not_pending_changes_nothing(staff_client, company_a, declarant_a, mailoutbox):
    response = _run_action(staff_client, "company_registration_approve_action", [company_a])

    messages = [str(message) for message in response.wsgi_request._messages]
    assert any("n'est pas en attente de validation" in message for message in messages)
    assert mailoutbox == []


def test_approval_leaves_a_rejected_company_rejected(staff_client, pending_company):
    pending_company.registration_status = Company.RegistrationStatus.REJECTED
    pending_company.save()

    _run_action(staff_client, "company_registration_approve_action", [pending_company])

    pending_company.refresh_from_db()
    assert pending_company.registration_status == Company.RegistrationStatus.REJECTED
    assert not User.objects.get(email="salma@fesappels.ma").is_active


def test_rejection_first_asks_for_a_reason(staff_client, pending_company, mailoutbox):
    response = _run_action(staff_client, "company_registration_reject_action", [pending_company])

    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
    pending_company.refresh_from_db()
    assert pending_company.registration_status == Company.RegistrationStatus.PENDING
    assert mailoutbox == []


def test_rejection_marks_the_company_rejected_and_keeps_the_contact_inactive(staff_client, pending_company):
    _run_action(staff_client, "company_registration_reject_action", [pending_company], apply="1", reason="")

    pending_company.refresh_from_db()
    assert pending_company.registration_status == Company.RegistrationStatus.REJECTED
    assert not User.objects.get(email="salma@fesappels.ma").is_active


def test_rejection_emails_the_contact_with_the_reason(staff_client, pending_company, mailoutbox):
    _run_action(
        staff_client,
        "company_registration_reject_action",
        [pending_company],
        apply="1",
        reason="ICE sans rapport avec l'activité déclarée.",
    )

    message = mailoutbox[0]
    assert message.to == ["salma@fesappels.ma"]
    assert "L'AMRC n'a pas pu valider la demande d'inscription de Fès Appels" in message.body
    assert "Motif : ICE sans rapport avec l'activité déclarée." in message.body


def test_a_rejected_registrant_still_cannot_log_in(staff_client, pending_company):
    _run_action(staff_client, "company_registration_reject_action", [pending_company], apply="1", reason="")

    assert not password_logs_in("salma@fesappels.ma", DEFAULT_PASSWORD)
