"""The declarant's acknowledgement on submission, and staff told of submissions and registrations
at once when they asked to be."""

from types import SimpleNamespace

import pytest

from accounts.models import User
from accounts.services import company_register
from measures.models import Declaration
from measures.services import declaration_submit
from tests.factories import DEFAULT_PASSWORD, StaffUserFactory, region, valid_ice
from tests.measures.service_inputs import COMPLETE_FIGURES, line


@pytest.fixture
def draft(open_campaign, company_a):
    return Declaration.objects.create(campaign=open_campaign, company=company_a)


def _submit(declaration, user) -> Declaration:
    return declaration_submit(
        declaration=declaration,
        data=COMPLETE_FIGURES,
        lines=[line()],
        answers=[],
        user=user,
        expected_version=declaration.version,
    )


@pytest.fixture
def submit(django_capture_on_commit_callbacks):
    def run(declaration, user) -> Declaration:
        with django_capture_on_commit_callbacks(execute=True):
            return _submit(declaration, user)

    return run


def test_the_declarant_gets_an_acknowledgement_on_submission(draft, declarant_a, submit, mailoutbox):
    submit(draft, declarant_a)

    assert [message.to for message in mailoutbox] == [["declarant@atlas.ma"]]
    message = mailoutbox[0]
    assert "bien reçue" in message.subject
    assert "Atlas Contact" in message.body
    assert f"http://127.0.0.1:8000/espace/declarations/{draft.pk}/" in message.body


def test_the_acknowledgement_is_in_the_declarant_s_language(draft, declarant_a, submit, mailoutbox):
    declarant_a.language = "ar"
    declarant_a.save()

    submit(draft, declarant_a)

    assert f"http://127.0.0.1:8000/ar/espace/declarations/{draft.pk}/" in mailoutbox[0].body


def test_a_late_submission_is_acknowledged_as_late(draft, declarant_a, submit, mailoutbox, clock):
    clock.move_to("2024-06-15 09:00 +01:00")

    submit(draft, declarant_a)

    assert "marquée en retard" in mailoutbox[0].body


def test_no_acknowledgement_leaves_before_the_submission_is_committed(draft, declarant_a, mailoutbox):
    _submit(draft, declarant_a)

    assert mailoutbox == []


def test_a_failing_notification_never_undoes_the_submission(draft, declarant_a, submit, monkeypatch):
    def unreachable(**kwargs):
        raise ConnectionError("task database unreachable")

    monkeypatch.setattr(
        "followup.notifications.tasks",
        SimpleNamespace(notify_declaration_submitted=SimpleNamespace(enqueue=unreachable)),
    )

    submit(draft, declarant_a)

    draft.refresh_from_db()
    assert draft.status == Declaration.Status.SUBMITTED


def test_staff_who_asked_are_told_of_each_submission_at_once(draft, declarant_a, submit, mailoutbox):
    StaffUserFactory(email="suivi@amrc.ma", notify_submissions=User.Notification.IMMEDIATE)
    StaffUserFactory(email="resume@amrc.ma", notify_submissions=User.Notification.DAILY)
    StaffUserFactory(email="silence@amrc.ma")

    submit(draft, declarant_a)

    to_staff = [message for message in mailoutbox if message.to != ["declarant@atlas.ma"]]
    assert [message.to for message in to_staff] == [["suivi@amrc.ma"]]
    assert "Atlas Contact" in to_staff[0].subject
    assert f"http://127.0.0.1:8000/admin/measures/declaration/{draft.pk}/change/" in to_staff[0].body


def test_an_inactive_staff_member_is_not_told(draft, declarant_a, submit, mailoutbox):
    StaffUserFactory(email="parti@amrc.ma", is_active=False, notify_submissions=User.Notification.IMMEDIATE)

    submit(draft, declarant_a)

    assert [message.to for message in mailoutbox] == [["declarant@atlas.ma"]]


def test_a_member_with_notification_settings_is_not_told_of_others_submissions(
    draft, declarant_a, declarant_b, submit, mailoutbox
):
    declarant_b.notify_submissions = User.Notification.IMMEDIATE
    declarant_b.save()

    submit(draft, declarant_a)

    assert [message.to for message in mailoutbox] == [["declarant@atlas.ma"]]


def _register(**overrides):
    data = {
        "trade_name": "Nouveau Centre",
        "legal_name": "Nouveau Centre SARL",
        "ice": valid_ice(777),
        "rc_number": "RC 1",
        "cnss_number": "123",
        "city": "Fès",
        "region": region("MA-03"),
        "headcount": 40,
        "full_name": "Salma Idrissi",
        "email": "salma@nouveau.ma",
        "phone": "0600000000",
        "password": DEFAULT_PASSWORD,
    }
    return company_register(**{**data, **overrides})


def test_staff_who_asked_are_told_of_each_registration_at_once(db, mailoutbox, django_capture_on_commit_callbacks):
    StaffUserFactory(email="suivi@amrc.ma", notify_registrations=User.Notification.IMMEDIATE, language="en")
    StaffUserFactory(email="silence@amrc.ma")

    with django_capture_on_commit_callbacks(execute=True):
        company = _register()

    to_staff = [message for message in mailoutbox if message.to == ["suivi@amrc.ma"]]
    assert len(to_staff) == 1
    assert "Nouveau Centre" in to_staff[0].subject
    assert f"http://127.0.0.1:8000/en/admin/members/company/{company.pk}/change/" in to_staff[0].body
    assert not [message for message in mailoutbox if message.to == ["silence@amrc.ma"]]
