"""Writes of the follow-up: reserving reminders and queueing their sending, and running the
campaign schedule. The e-mails themselves leave from background tasks (followup.tasks)."""

import datetime
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from followup import tasks
from followup.models import CampaignSchedule, Occurrence, Reminder, ReminderBatch, ScheduledCampaign
from followup.selectors import non_respondents
from measures.models import Campaign
from members.models import Company

# A company is reminded about a campaign at most once in this interval, whoever asks.
REMINDER_INTERVAL = datetime.timedelta(hours=24)


# --- Reminders ---


def reminder_kind_for(campaign: Campaign, today: datetime.date) -> str:
    """The reminder a campaign calls for today: before its due date, the deadline; after it, the
    lateness. Refused when nobody can declare any more (or yet)."""
    if campaign.status != Campaign.Status.OPEN or today < campaign.opens_on:
        raise ValidationError(
            _("La campagne « %(campaign)s » n'est pas ouverte : il n'y a personne à relancer."),
            code="not_open",
            params={"campaign": campaign},
        )
    if today > campaign.locks_on:
        raise ValidationError(
            _(
                "La campagne « %(campaign)s » est verrouillée depuis le %(date)s : "
                "plus aucune déclaration n'est possible."
            ),
            code="locked",
            params={"campaign": campaign, "date": date_format(campaign.locks_on, "SHORT_DATE_FORMAT")},
        )
    return ReminderBatch.Kind.BEFORE_DUE if today <= campaign.due_on else ReminderBatch.Kind.AFTER_DUE


@dataclass(frozen=True)
class ReminderPlan:
    """What a sending would do now, for staff to confirm: how many companies it reaches, and how
    many it leaves out because they were reminded less than 24 hours ago."""

    kind: str
    to_remind: int
    recently_reminded: int


def _recently_reminded(campaign: Campaign, now: datetime.datetime) -> QuerySet:
    # A failed or cancelled reminder reached nobody: it does not hold back the next one.
    return Reminder.objects.filter(
        batch__campaign=campaign,
        created_at__gt=now - REMINDER_INTERVAL,
        status__in=(Reminder.Status.PENDING, Reminder.Status.SENT),
    ).values("company_id")


def _candidates(campaign: Campaign, companies: QuerySet[Company] | None) -> QuerySet[Company]:
    candidates = non_respondents(campaign)
    return candidates if companies is None else candidates.filter(pk__in=companies.values("pk"))


def reminder_plan(*, campaign: Campaign, companies: QuerySet[Company] | None = None) -> ReminderPlan:
    now = timezone.now()
    kind = reminder_kind_for(campaign, timezone.localdate(now))
    candidates = _candidates(campaign, companies)
    recent = candidates.filter(pk__in=_recently_reminded(campaign, now)).count()
    return ReminderPlan(kind=kind, to_remind=candidates.count() - recent, recently_reminded=recent)


def reminder_batch_create(
    *, campaign: Campaign, requested_by: User | None, companies: QuerySet[Company] | None = None
) -> ReminderBatch:
    """Reserve a reminder for each non-respondent (among `companies` if given) that was not
    reminded about this campaign in the last 24 hours, and queue their sending once committed.
    `requested_by` is None when the scheduler asks."""
    now = timezone.now()
    kind = reminder_kind_for(campaign, timezone.localdate(now))
    with transaction.atomic():
        # The candidates' rows stay locked until the reminders are recorded, always in the same
        # order: a second sending asked at the same moment waits here, then sees these reminders.
        company_ids = list(
            Company.objects.select_for_update()
            .filter(pk__in=_candidates(campaign, companies).values("pk"))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        recent = set(_recently_reminded(campaign, now).values_list("company_id", flat=True))
        to_remind = [pk for pk in company_ids if pk not in recent]
        if not to_remind:
            raise ValidationError(
                _(
                    "Personne à relancer pour « %(campaign)s » : toutes les entreprises concernées ont déclaré "
                    "ou ont été relancées il y a moins de 24 heures."
                ),
                code="nothing_to_send",
                params={"campaign": campaign},
            )
        batch = ReminderBatch(
            campaign=campaign,
            kind=kind,
            requested_by=requested_by,
            created_at=now,
            skipped=len(company_ids) - len(to_remind),
        )
        batch.full_clean()
        batch.save()
        Reminder.objects.bulk_create(
            [Reminder(batch=batch, company_id=pk, created_at=now) for pk in to_remind], batch_size=500
        )
        # Queued once committed: a worker must find the reminders the task is about.
        transaction.on_commit(partial(_enqueue_batch, batch.pk))
    return batch


def _enqueue_batch(batch_id: int) -> None:
    result = tasks.send_reminder_batch.enqueue(batch_id=batch_id)
    ReminderBatch.objects.filter(pk=batch_id).update(task_id=str(result.id))


# --- The campaign schedule ---


@dataclass
class ScheduleRun:
    """What one run of a schedule did."""

    schedule: CampaignSchedule
    opened: list[Campaign] = field(default_factory=list)
    adopted: list[Campaign] = field(default_factory=list)
    closed: list[Campaign] = field(default_factory=list)


def campaign_schedule_run(*, schedule: CampaignSchedule, today: datetime.date) -> ScheduleRun:
    """Open the campaigns the schedule calls for on `today` and close those whose collection is
    over. Safe to run as often as wanted: a period gets one campaign (a database constraint), and
    two runs at once wait for each other on the schedule's row."""
    with transaction.atomic():
        schedule = CampaignSchedule.objects.select_for_update().get(pk=schedule.pk)
        run = ScheduleRun(schedule=schedule)
        occurrence = schedule.current(today) if schedule.is_active else None
        if occurrence and not schedule.campaigns.filter(period_start=occurrence.period_start).exists():
            _schedule_occurrence(schedule, occurrence, run)
        # An inactive schedule opens nothing new, but still closes what it opened.
        to_close = schedule.campaigns.filter(campaign__status=Campaign.Status.OPEN, closes_on__lte=today)
        for link in to_close.select_related("campaign"):
            campaign = link.campaign
            campaign.status = Campaign.Status.CLOSED
            campaign.full_clean()
            campaign.save(update_fields=["status", "updated_at"])
            run.closed.append(campaign)
    return run


def _schedule_occurrence(schedule: CampaignSchedule, occurrence: Occurrence, run: ScheduleRun) -> None:
    # Staff may have created this period's campaign by hand before the schedule existed: it is
    # taken over (and opened if still a draft) rather than doubled.
    campaign = Campaign.objects.filter(
        period_start=occurrence.period_start, period_end=occurrence.period_end, schedule_link__isnull=True
    ).first()
    closes_on = occurrence.closes_on
    if campaign is None:
        campaign = Campaign(
            title=occurrence.title,
            period_start=occurrence.period_start,
            period_end=occurrence.period_end,
            opens_on=occurrence.opens_on,
            due_on=occurrence.due_on,
            locks_on=occurrence.locks_on,
            status=Campaign.Status.OPEN,
        )
        campaign.full_clean()
        campaign.save()
        run.opened.append(campaign)
    else:
        if campaign.status == Campaign.Status.DRAFT:
            campaign.status = Campaign.Status.OPEN
            campaign.full_clean()
            campaign.save(update_fields=["status", "updated_at"])
        # Never closed before its own lock date, whatever the schedule says.
        closes_on = max(closes_on, campaign.locks_on + datetime.timedelta(days=1))
        run.adopted.append(campaign)
    link = ScheduledCampaign(
        schedule=schedule, campaign=campaign, period_start=occurrence.period_start, closes_on=closes_on
    )
    link.full_clean()
    link.save()
