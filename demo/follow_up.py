"""The demo's follow-up: the open campaign's non-respondents were reminded yesterday morning, the
staff account hears of registrations at once and of submissions in a daily digest, and a weekly
schedule is set up like the one the association runs.

The reminders are written as the sending would have left them (no e-mail leaves during seeding);
they are matched on their batch, marked "seed_demo", so that a second run changes nothing and
the sendings staff make while trying the demo are left alone."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from demo import sector
from demo.builder import DemoContext
from demo.upsert import upsert
from followup.models import CampaignSchedule, Reminder, ReminderBatch
from followup.selectors import non_respondents
from members.models import CompanyMembership

# The largest non-respondents, as staff would chase first; one address bounced.
REMINDED_COMPANIES = 40
BOUNCE = "550 5.1.1 Adresse inconnue du serveur de messagerie du destinataire."
SEED_MARK = "seed_demo"
SCHEDULE_NAME = "Collecte hebdomadaire"


def _reminded_at(today: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=1), datetime.time(9, 30)))


def _seed_reminders(demo: DemoContext) -> int:
    campaign = demo.demo_campaign
    created_at = _reminded_at(demo.today)
    batches = upsert(
        [
            ReminderBatch(
                campaign=campaign,
                kind=ReminderBatch.Kind.BEFORE_DUE,
                requested_by=demo.staff,
                created_at=created_at,
                task_id=SEED_MARK,
                started_at=created_at,
                finished_at=created_at + datetime.timedelta(minutes=1),
            )
        ],
        key=("campaign_id", "task_id"),
        fields=("kind", "requested_by_id", "created_at", "started_at", "finished_at"),
        existing=ReminderBatch.objects.filter(campaign=campaign, task_id=SEED_MARK),
    )
    batch = batches[(campaign.pk, SEED_MARK)]

    companies = list(non_respondents(campaign).order_by("-registered_headcount", "trade_name")[:REMINDED_COMPANIES])
    recipients: dict[int, list[str]] = {}
    for company_id, email in (
        CompanyMembership.objects.filter(company__in=companies, user__is_active=True)
        .order_by("user__email")
        .values_list("company_id", "user__email")
    ):
        recipients.setdefault(company_id, []).append(email)
    rows = []
    for index, company in enumerate(companies):
        bounced = index == len(companies) - 1
        rows.append(
            Reminder(
                batch=batch,
                company=company,
                status=Reminder.Status.FAILED if bounced else Reminder.Status.SENT,
                recipients="" if bounced else ", ".join(recipients.get(company.pk, [])),
                created_at=created_at,
                sent_at=None if bounced else created_at + datetime.timedelta(seconds=index),
                error=BOUNCE if bounced else "",
            )
        )
    upsert(
        rows,
        key=("batch_id", "company_id"),
        fields=("status", "recipients", "created_at", "sent_at", "error"),
        existing=Reminder.objects.filter(batch=batch),
        prune=True,
    )
    return len(rows)


def build_followup(demo: DemoContext) -> str:
    User.objects.filter(pk=demo.staff.pk).update(
        notify_submissions=User.Notification.DAILY, notify_registrations=User.Notification.IMMEDIATE
    )
    upsert(
        [
            CampaignSchedule(
                name=SCHEDULE_NAME,
                frequency=CampaignSchedule.Frequency.WEEKLY,
                opening_weekday=CampaignSchedule.Weekday.MONDAY,
                due_delay_days=sector.DUE_AFTER_OPENING_DAYS,
                lock_delay_days=sector.LOCKS_AFTER_DUE_DAYS,
                collection_days=sector.DUE_AFTER_OPENING_DAYS + sector.LOCKS_AFTER_DUE_DAYS + 1,
                title_pattern="Semaine du {debut}",
                is_active=True,
            )
        ],
        key=("name",),
        fields=(
            "frequency",
            "opening_weekday",
            "due_delay_days",
            "lock_delay_days",
            "collection_days",
            "title_pattern",
            "is_active",
        ),
        existing=CampaignSchedule.objects.filter(name=SCHEDULE_NAME),
    )
    reminded = _seed_reminders(demo)
    return _("Suivi : %(reminded)s entreprises relancées hier pour « %(campaign)s », calendrier « %(schedule)s »") % {
        "reminded": reminded,
        "campaign": demo.demo_campaign.title,
        "schedule": SCHEDULE_NAME,
    }
