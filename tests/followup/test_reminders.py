"""Reminders to the companies that have not declared: before the due date and after it, in each
recipient's language, at most one per company and campaign in 24 hours, each logged."""

import datetime
from smtplib import SMTPRecipientsRefused

import pytest
from django.core.exceptions import ValidationError

from followup.models import Reminder, ReminderBatch
from followup.services import reminder_batch_create, reminder_kind_for, reminder_plan
from measures.models import Campaign, Declaration
from members.models import Company, CompanyMembership
from tests.factories import CompanyFactory, DeclarationFactory, MembershipFactory, UserFactory
from tests.followup.builders import TODAY, submitted


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Create a batch and run what its commit triggers (the sending task, run at once in tests)."""

    def create(campaign, *, requested_by=None, companies=None) -> ReminderBatch:
        with django_capture_on_commit_callbacks(execute=True):
            return reminder_batch_create(campaign=campaign, requested_by=requested_by, companies=companies)

    return create


def test_a_company_that_has_not_declared_is_reminded(open_campaign, declarant_a, staff_user, send, mailoutbox):
    batch = send(open_campaign, requested_by=staff_user)

    reminder = Reminder.objects.get()
    assert (reminder.batch, reminder.company.trade_name, reminder.status) == (batch, "Atlas Contact", "sent")
    assert [message.to for message in mailoutbox] == [["declarant@atlas.ma"]]


def test_the_reminder_is_logged_with_its_recipients_sender_template_and_time(
    open_campaign, declarant_a, company_admin_a, staff_user, send
):
    send(open_campaign, requested_by=staff_user)

    reminder = Reminder.objects.select_related("batch").get()
    assert reminder.recipients == "admin@atlas.ma, declarant@atlas.ma"
    assert reminder.batch.requested_by == staff_user
    assert reminder.batch.kind == ReminderBatch.Kind.BEFORE_DUE
    assert reminder.sent_at == TODAY


def test_it_reaches_declarants_and_company_administrators_but_not_inactive_users(
    open_campaign, declarant_a, company_admin_a, company_a, send, mailoutbox
):
    MembershipFactory(company=company_a, user=UserFactory(email="parti@atlas.ma", is_active=False))

    send(open_campaign)

    assert sorted(address for message in mailoutbox for address in message.to) == [
        "admin@atlas.ma",
        "declarant@atlas.ma",
    ]


def test_companies_that_declared_are_not_reminded(open_campaign, declarant_a, declarant_b, company_b, send, mailoutbox):
    submitted(open_campaign, company_b)

    send(open_campaign)

    assert [message.to for message in mailoutbox] == [["declarant@atlas.ma"]]


def test_a_company_with_a_draft_is_reminded(open_campaign, declarant_a, company_a, send, mailoutbox):
    DeclarationFactory(campaign=open_campaign, company=company_a, status=Declaration.Status.DRAFT)

    send(open_campaign)

    assert len(mailoutbox) == 1


def test_each_recipient_reads_the_reminder_in_their_language_with_links_in_it(
    open_campaign, declarant_a, company_admin_a, send, mailoutbox
):
    company_admin_a.language = "en"
    company_admin_a.save()

    send(open_campaign)

    by_recipient = {message.to[0]: message for message in mailoutbox}
    french, english = by_recipient["declarant@atlas.ma"], by_recipient["admin@atlas.ma"]
    assert "13 juin 2024" in french.body
    assert "http://127.0.0.1:8000/espace/" in french.body
    # Dates follow the reader's language whatever the state of the message catalogues.
    assert "13 June 2024" in english.body  # day first, as dates are written in Morocco
    assert "http://127.0.0.1:8000/en/espace/" in english.body


def test_an_arabic_reader_gets_a_link_to_the_arabic_pages(open_campaign, declarant_a, send, mailoutbox):
    declarant_a.language = "ar"
    declarant_a.save()

    send(open_campaign)

    assert "http://127.0.0.1:8000/ar/espace/" in mailoutbox[0].body


def test_before_the_due_date_the_reminder_gives_the_deadline(open_campaign, declarant_a, send, mailoutbox):
    send(open_campaign)

    assert "13 juin 2024" in mailoutbox[0].subject
    assert "Date limite : 13 juin 2024" in mailoutbox[0].body


def test_after_the_due_date_the_reminder_says_it_is_late_and_until_when_it_can_come(
    open_campaign, declarant_a, send, mailoutbox, clock
):
    clock.move_to(TODAY + datetime.timedelta(days=2))

    batch = send(open_campaign)

    assert batch.kind == ReminderBatch.Kind.AFTER_DUE
    assert "en retard" in mailoutbox[0].subject
    assert "jusqu'au 20 juin 2024" in mailoutbox[0].body


def test_on_the_due_date_it_is_still_the_reminder_before_it(open_campaign, clock):
    clock.move_to(datetime.datetime(2024, 6, 13, 20, 0, tzinfo=TODAY.tzinfo))

    assert reminder_kind_for(open_campaign, datetime.date(2024, 6, 13)) == ReminderBatch.Kind.BEFORE_DUE


# --- At most one reminder per company and campaign in 24 hours ---


def test_a_second_sending_within_24_hours_reminds_nobody_again(open_campaign, declarant_a, send, mailoutbox, clock):
    send(open_campaign)
    clock.move_to(TODAY + datetime.timedelta(hours=23, minutes=59))

    with pytest.raises(ValidationError) as refusal:
        send(open_campaign)

    assert refusal.value.code == "nothing_to_send"
    assert Reminder.objects.count() == 1
    assert len(mailoutbox) == 1


def test_after_24_hours_the_company_can_be_reminded_again(open_campaign, declarant_a, send, mailoutbox, clock):
    send(open_campaign)
    clock.move_to(TODAY + datetime.timedelta(hours=24, minutes=1))

    send(open_campaign)

    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == 2
    assert len(mailoutbox) == 2


def test_the_limit_holds_whoever_asks(open_campaign, declarant_a, staff_user, send, clock):
    send(open_campaign, requested_by=None)
    clock.move_to(TODAY + datetime.timedelta(hours=2))

    with pytest.raises(ValidationError):
        send(open_campaign, requested_by=staff_user)


def test_recently_reminded_companies_are_skipped_and_the_others_reminded(
    open_campaign, declarant_a, declarant_b, company_a, send, clock
):
    send(open_campaign, companies=Company.objects.filter(pk=company_a.pk))
    clock.move_to(TODAY + datetime.timedelta(hours=3))

    batch = send(open_campaign)

    assert batch.skipped == 1
    assert list(batch.reminders.values_list("company__trade_name", flat=True)) == ["Bahia Relation Client"]


def test_the_limit_is_per_campaign(open_campaign, declarant_a, send):
    other = Campaign.objects.create(
        title="Mai 2024",
        period_start=datetime.date(2024, 5, 1),
        period_end=datetime.date(2024, 5, 31),
        opens_on=datetime.date(2024, 6, 1),
        due_on=datetime.date(2024, 6, 15),
        locks_on=datetime.date(2024, 6, 30),
        status=Campaign.Status.OPEN,
    )
    send(open_campaign)

    send(other)

    assert Reminder.objects.count() == 2


def test_a_failed_reminder_does_not_hold_back_the_next_one(
    open_campaign, declarant_a, send, clock, settings, monkeypatch
):
    def refuse(self, messages):
        raise SMTPRecipientsRefused({"declarant@atlas.ma": (550, b"Mailbox unavailable")})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    send(open_campaign)
    monkeypatch.undo()
    clock.move_to(TODAY + datetime.timedelta(hours=1))

    send(open_campaign)

    assert list(Reminder.objects.order_by("pk").values_list("status", flat=True)) == ["failed", "sent"]


def test_the_reminder_rows_are_locked_while_a_sending_reserves_them(open_campaign, declarant_a, send):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        send(open_campaign)

    locking = [query["sql"] for query in queries.captured_queries if "FOR UPDATE" in query["sql"]]
    if connection.features.has_select_for_update:
        assert any('"members_company"' in sql for sql in locking)
    else:
        # SQLite has no row locks: it runs one writing transaction at a time.
        assert locking == []


# --- Failures and refusals ---


def test_a_refused_e_mail_is_logged_as_a_failure_with_its_reason(open_campaign, declarant_a, send, monkeypatch):
    def refuse(self, messages):
        raise SMTPRecipientsRefused({"declarant@atlas.ma": (550, b"Mailbox unavailable")})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)

    batch = send(open_campaign)

    reminder = batch.reminders.get()
    assert (reminder.status, reminder.sent_at) == (Reminder.Status.FAILED, None)
    assert "Mailbox unavailable" in reminder.error


def test_a_company_without_an_active_contact_is_a_failure_saying_so(open_campaign, company_a, send, mailoutbox):
    batch = send(open_campaign)

    reminder = batch.reminders.get()
    assert reminder.status == Reminder.Status.FAILED
    assert "Aucun contact actif" in reminder.error
    assert mailoutbox == []


def test_a_company_that_declares_before_its_reminder_leaves_is_not_reminded(
    open_campaign, declarant_a, company_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        batch = reminder_batch_create(campaign=open_campaign, requested_by=None)
    submitted(open_campaign, company_a)

    for callback in callbacks:
        callback()

    assert batch.reminders.get().status == Reminder.Status.CANCELLED
    assert mailoutbox == []


def test_nothing_is_sent_before_the_reservation_is_committed(open_campaign, declarant_a, mailoutbox):
    reminder_batch_create(campaign=open_campaign, requested_by=None)

    assert Reminder.objects.get().status == Reminder.Status.PENDING
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("status", "moment", "code"),
    [
        (Campaign.Status.DRAFT, TODAY, "not_open"),
        (Campaign.Status.CLOSED, TODAY, "not_open"),
        (Campaign.Status.OPEN, datetime.datetime(2024, 6, 21, 9, 0, tzinfo=TODAY.tzinfo), "locked"),
        (Campaign.Status.OPEN, datetime.datetime(2024, 6, 9, 9, 0, tzinfo=TODAY.tzinfo), "not_open"),
    ],
    ids=["draft", "closed", "after-the-lock-date", "before-opening"],
)
def test_a_campaign_nobody_can_declare_in_is_not_reminded_of(
    open_campaign, declarant_a, status, moment, code, clock, mailoutbox
):
    open_campaign.status = status
    open_campaign.save()
    clock.move_to(moment)

    with pytest.raises(ValidationError) as refusal:
        reminder_batch_create(campaign=open_campaign, requested_by=None)

    assert refusal.value.code == code
    assert not ReminderBatch.objects.exists()


def test_when_everyone_declared_there_is_nothing_to_send(open_campaign, company_a):
    submitted(open_campaign, company_a)

    with pytest.raises(ValidationError) as refusal:
        reminder_batch_create(campaign=open_campaign, requested_by=None)

    assert refusal.value.code == "nothing_to_send"


def test_the_plan_counts_whom_a_sending_would_reach(open_campaign, declarant_a, declarant_b, company_a, send, clock):
    send(open_campaign, companies=Company.objects.filter(pk=company_a.pk))
    clock.move_to(TODAY + datetime.timedelta(hours=1))

    plan = reminder_plan(campaign=open_campaign)

    assert (plan.kind, plan.to_remind, plan.recently_reminded) == (ReminderBatch.Kind.BEFORE_DUE, 1, 1)


@pytest.mark.parametrize("companies", [3, 30])
def test_a_sending_of_any_size_is_reserved_in_a_fixed_number_of_queries(
    open_campaign, companies, django_assert_max_num_queries
):
    for company in CompanyFactory.create_batch(companies):
        MembershipFactory(company=company, role=CompanyMembership.Role.DECLARANT)

    with django_assert_max_num_queries(8):
        reminder_batch_create(campaign=open_campaign, requested_by=None)
