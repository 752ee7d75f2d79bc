"""Staff who chose a daily digest get, each morning, the previous day's submissions and
registrations: once, whatever how often the command runs."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from followup.models import StaffDigest
from followup.sending import staff_digest_deliver
from measures.models import DeclarationEvent
from members.models import Company
from tests.factories import CompanyFactory, StaffUserFactory
from tests.followup.builders import CASABLANCA, submitted

YESTERDAY = datetime.date(2024, 6, 11)


@pytest.fixture
def daily_reader(db):
    return StaffUserFactory(
        email="resume@amrc.ma",
        notify_submissions=User.Notification.DAILY,
        notify_registrations=User.Notification.DAILY,
    )


def _submission(campaign, company, at: datetime.datetime) -> None:
    declaration = submitted(campaign, company, at=at)
    DeclarationEvent.objects.create(
        declaration=declaration, action=DeclarationEvent.Action.SUBMITTED, at=at, late=campaign.is_late(at)
    )


def _digests(**options) -> str:
    output = io.StringIO()
    call_command("send_digests", stdout=output, **options)
    return output.getvalue()


def test_the_digest_lists_yesterday_s_submissions_and_registrations(
    open_campaign, company_a, company_b, daily_reader, mailoutbox
):
    _submission(open_campaign, company_a, datetime.datetime(2024, 6, 11, 9, 30, tzinfo=CASABLANCA))
    _submission(open_campaign, company_b, datetime.datetime(2024, 6, 12, 8, 0, tzinfo=CASABLANCA))
    pending = CompanyFactory(trade_name="Centre Nouveau", registration_status=Company.RegistrationStatus.PENDING)
    Company.objects.filter(pk=pending.pk).update(created_at=datetime.datetime(2024, 6, 11, 15, 0, tzinfo=CASABLANCA))

    _digests()

    assert [message.to for message in mailoutbox] == [["resume@amrc.ma"]]
    body = mailoutbox[0].body
    assert "11 juin 2024" in mailoutbox[0].subject
    assert "1 déclaration soumise" in body
    assert "09:30 Atlas Contact" in body
    assert "Bahia Relation Client" not in body
    assert "Centre Nouveau" in body
    assert "http://127.0.0.1:8000/admin/" in body


def test_a_second_run_sends_no_second_digest(open_campaign, company_a, daily_reader, mailoutbox):
    _submission(open_campaign, company_a, datetime.datetime(2024, 6, 11, 9, 30, tzinfo=CASABLANCA))

    _digests()
    _digests()

    assert len(mailoutbox) == 1
    assert StaffDigest.objects.get().submissions == 1


def test_a_day_with_nothing_to_report_sends_nothing_but_is_recorded(daily_reader, mailoutbox):
    _digests()

    assert mailoutbox == []
    digest = StaffDigest.objects.get()
    assert (digest.day, digest.sent_at) == (YESTERDAY, None)


def test_only_the_events_chosen_in_a_digest_are_in_it(open_campaign, company_a, mailoutbox):
    StaffUserFactory(
        email="inscriptions@amrc.ma",
        notify_submissions=User.Notification.IMMEDIATE,
        notify_registrations=User.Notification.DAILY,
    )
    _submission(open_campaign, company_a, datetime.datetime(2024, 6, 11, 9, 30, tzinfo=CASABLANCA))

    _digests()

    assert mailoutbox == []
    assert StaffDigest.objects.get().submissions == 0


def test_staff_without_a_daily_digest_get_none(open_campaign, company_a, mailoutbox):
    StaffUserFactory(email="suivi@amrc.ma", notify_submissions=User.Notification.IMMEDIATE)
    StaffUserFactory(email="silence@amrc.ma")
    _submission(open_campaign, company_a, datetime.datetime(2024, 6, 11, 9, 30, tzinfo=CASABLANCA))

    output = _digests()

    assert "0 destinataires" in output
    assert not StaffDigest.objects.exists()


def test_the_digest_is_in_the_reader_s_language(open_campaign, company_a, daily_reader, mailoutbox):
    daily_reader.language = "en"
    daily_reader.save()
    _submission(open_campaign, company_a, datetime.datetime(2024, 6, 11, 9, 30, tzinfo=CASABLANCA))

    _digests()

    assert "11 June 2024" in mailoutbox[0].subject  # day first, as dates are written in Morocco
    assert "http://127.0.0.1:8000/en/admin/" in mailoutbox[0].body


def test_a_day_can_be_summarised_again_by_date(open_campaign, company_a, daily_reader, mailoutbox):
    _submission(open_campaign, company_a, datetime.datetime(2024, 6, 10, 9, 30, tzinfo=CASABLANCA))

    _digests(date="2024-06-10")

    assert "10 juin 2024" in mailoutbox[0].subject


@pytest.mark.parametrize("date", ["2024-06-12", "2024-06-13", "12/06/2024"])
def test_it_refuses_a_day_not_over_or_not_a_date(daily_reader, date):
    with pytest.raises(CommandError):
        _digests(date=date)


def test_a_failed_e_mail_leaves_the_day_to_be_sent_again(
    open_campaign, company_a, daily_reader, mailoutbox, monkeypatch
):
    _submission(open_campaign, company_a, datetime.datetime(2024, 6, 11, 9, 30, tzinfo=CASABLANCA))

    def refuse(self, messages):
        raise OSError("Connection refused")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(OSError):
        staff_digest_deliver(user_id=daily_reader.pk, day=YESTERDAY)
    monkeypatch.undo()

    staff_digest_deliver(user_id=daily_reader.pk, day=YESTERDAY)

    assert len(mailoutbox) == 1
