"""Running the collection: reminders to the companies that have not declared, staff digests, and
the schedule that opens and closes the campaigns."""

import calendar
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from measures.models import Campaign
from members.models import Company


class CampaignFollowUp(Campaign):
    """A campaign seen from its follow-up: who was expected, who answered, who to remind. A proxy,
    so that the follow-up has its own place (and permissions) in the admin beside the campaigns."""

    class Meta:
        proxy = True
        verbose_name = _("suivi de campagne")
        verbose_name_plural = _("suivi des campagnes")


class ReminderBatchQuerySet(models.QuerySet):
    def with_counts(self) -> "ReminderBatchQuerySet":
        """Each batch's reminders by status, in the same query: the progress staff watch."""
        by_status = {
            f"n_{status}": Count("reminders", filter=Q(reminders__status=status)) for status in Reminder.Status.values
        }
        return self.annotate(n_total=Count("reminders"), **by_status)


class ReminderBatch(models.Model):
    """One sending of reminders for a campaign, asked by a staff member or by the scheduler. Its
    reminders are reserved when it is created and e-mailed by a background task."""

    class Kind(models.TextChoices):
        BEFORE_DUE = "before_due", _("Avant la date limite")
        AFTER_DUE = "after_due", _("Après la date limite")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="reminder_batches", verbose_name=_("campagne")
    )
    kind = models.CharField(
        _("modèle"),
        max_length=12,
        choices=Kind.choices,
        help_text=_("Le rappel avant la date limite annonce l'échéance ; après, il signale le retard."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("envoyé par"),
        help_text=_("Vide : envoyé par la tâche planifiée (manage.py send_reminders)."),
    )
    created_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    skipped = models.PositiveIntegerField(
        _("déjà relancées"),
        default=0,
        help_text=_("Entreprises relancées depuis moins de 24 h pour cette campagne, laissées de côté."),
    )
    task_id = models.CharField(_("tâche d'envoi"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("envoi commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("envoi terminé le"), null=True, blank=True)

    objects = ReminderBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("envoi de rappels")
        verbose_name_plural = _("envois de rappels")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.campaign} – {self.get_kind_display()} – {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"


class Reminder(models.Model):
    """One company reminded about one campaign: who received it, when, and how it went.

    At most one reminder per company and campaign is sent in 24 hours: reminder_batch_create
    checks it with the companies' rows locked, so two staff members clicking at once cannot both
    reserve one."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec")
        CANCELLED = "cancelled", _("Annulé : déclaration reçue entre-temps")

    batch = models.ForeignKey(
        ReminderBatch, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("envoi")
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("entreprise")
    )
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.PENDING)
    recipients = models.TextField(_("destinataires"), blank=True, help_text=_("Adresses auxquelles il est parti."))
    created_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    error = models.TextField(_("erreur"), blank=True)

    class Meta:
        verbose_name = _("rappel")
        verbose_name_plural = _("rappels")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "company"], name="reminder_once_per_batch_and_company"),
        ]
        indexes = [models.Index(fields=["company", "created_at"])]

    def __str__(self) -> str:
        return f"{self.company} – {self.batch.campaign}"


class StaffDigest(models.Model):
    """The daily summary one staff member received for one day: written once, so the command that
    sends digests can run again without sending a second one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("destinataire")
    )
    day = models.DateField(_("journée résumée"))
    submissions = models.PositiveIntegerField(_("déclarations soumises"), default=0)
    registrations = models.PositiveIntegerField(_("inscriptions"), default=0)
    sent_at = models.DateTimeField(
        _("envoyé le"), null=True, blank=True, help_text=_("Vide : rien à signaler ce jour-là, aucun e-mail.")
    )

    class Meta:
        verbose_name = _("résumé quotidien")
        verbose_name_plural = _("résumés quotidiens")
        ordering = ["-day", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="staff_digest_once_per_user_and_day")]

    def __str__(self) -> str:
        return f"{self.user} – {self.day:%d/%m/%Y}"


# --- The campaign schedule ---

TITLE_FIELDS = ("debut", "fin", "mois", "annee", "semaine")


def _french_day(day: datetime.date) -> str:
    with translation.override("fr"):
        month = str(MONTHS[day.month])
    return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"


@dataclass(frozen=True)
class Occurrence:
    """One campaign a schedule calls for: its period, its dates, its title."""

    period_start: datetime.date
    period_end: datetime.date
    opens_on: datetime.date
    due_on: datetime.date
    locks_on: datetime.date
    closes_on: datetime.date
    title: str


class CampaignSchedule(models.Model):
    """A recurring collection: `manage.py run_campaign_schedule` opens each campaign on its day and
    closes it once its collection is over."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Hebdomadaire")
        MONTHLY = "monthly", _("Mensuelle")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Lundi")
        TUESDAY = 1, _("Mardi")
        WEDNESDAY = 2, _("Mercredi")
        THURSDAY = 3, _("Jeudi")
        FRIDAY = 4, _("Vendredi")
        SATURDAY = 5, _("Samedi")
        SUNDAY = 6, _("Dimanche")

    name = models.CharField(_("nom"), max_length=100)
    frequency = models.CharField(
        _("fréquence"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.WEEKLY,
        help_text=_(
            "Hebdomadaire : chaque campagne porte sur une semaine du lundi au dimanche. Mensuelle : sur un mois civil."
        ),
    )
    opening_weekday = models.PositiveSmallIntegerField(
        _("jour d'ouverture (hebdomadaire)"),
        choices=Weekday.choices,
        default=Weekday.MONDAY,
        help_text=_("La collecte ouvre ce jour-là, pour la semaine achevée avant lui."),
    )
    opening_day = models.PositiveSmallIntegerField(
        _("jour d'ouverture (mensuelle)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("Jour du mois (1 à 28) où la collecte du mois précédent ouvre."),
    )
    due_delay_days = models.PositiveSmallIntegerField(
        _("délai de réponse (jours)"),
        default=3,
        help_text=_("Jours entre l'ouverture et la date limite ; une déclaration reçue ce jour-là est à l'heure."),
    )
    lock_delay_days = models.PositiveSmallIntegerField(
        _("délai de verrouillage (jours)"),
        default=7,
        help_text=_(
            "Jours entre la date limite et le verrouillage ; une déclaration en retard reste possible jusque-là."
        ),
    )
    collection_days = models.PositiveSmallIntegerField(
        _("durée de la collecte (jours)"),
        default=11,
        help_text=_(
            "Jours entre l'ouverture et la clôture de la campagne ; elle doit rester ouverte au-delà du verrouillage."
        ),
    )
    title_pattern = models.CharField(
        _("modèle de titre"),
        max_length=200,
        default="Semaine du {debut}",
        help_text=_(
            "Champs disponibles : {debut} et {fin} (dates de la période), {mois}, {annee}, {semaine} (numéro ISO)."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("calendrier de campagnes")
        verbose_name_plural = _("calendriers de campagnes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(collection_days__gt=F("due_delay_days") + F("lock_delay_days")),
                name="schedule_closes_after_lock",
                violation_error_message=_(
                    "La durée de la collecte doit dépasser le délai de réponse et le délai de verrouillage réunis : "
                    "une campagne n'est clôturée qu'après son verrouillage."
                ),
            ),
            models.CheckConstraint(
                condition=Q(opening_day__gte=1, opening_day__lte=28), name="schedule_opening_day_in_every_month"
            ),
            models.CheckConstraint(condition=Q(opening_weekday__lte=6), name="schedule_opening_weekday_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        sample = {"debut": "1er juin 2024", "fin": "7 juin 2024", "mois": "juin", "annee": 2024, "semaine": 22}
        try:
            self.title_pattern.format(**sample)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValidationError(
                {
                    "title_pattern": _("Modèle de titre invalide : utilisez seulement %(fields)s.")
                    % {"fields": ", ".join(f"{{{name}}}" for name in TITLE_FIELDS)}
                }
            ) from exc

    # Openings: the days a campaign of this schedule opens.

    def latest_opening(self, day: datetime.date) -> datetime.date:
        """The last opening day on or before `day`."""
        if self.frequency == self.Frequency.WEEKLY:
            return day - datetime.timedelta(days=(day.weekday() - self.opening_weekday) % 7)
        if day.day >= self.opening_day:
            return day.replace(day=self.opening_day)
        return _month_before(day).replace(day=self.opening_day)

    def next_opening(self, opens_on: datetime.date) -> datetime.date:
        if self.frequency == self.Frequency.WEEKLY:
            return opens_on + datetime.timedelta(weeks=1)
        year, month = (opens_on.year + 1, 1) if opens_on.month == 12 else (opens_on.year, opens_on.month + 1)
        return datetime.date(year, month, self.opening_day)

    def occurrence(self, opens_on: datetime.date) -> Occurrence:
        """The campaign that opens on `opens_on`: the week (Monday to Sunday) or the month that
        ended before it."""
        if self.frequency == self.Frequency.WEEKLY:
            period_end = opens_on - datetime.timedelta(days=(opens_on.weekday() + 1) % 7 or 7)
            period_start = period_end - datetime.timedelta(days=6)
        else:
            period_start = _month_before(opens_on).replace(day=1)
            period_end = period_start.replace(day=calendar.monthrange(period_start.year, period_start.month)[1])
        due_on = opens_on + datetime.timedelta(days=self.due_delay_days)
        with translation.override("fr"):
            month = str(MONTHS[period_start.month])
        title = self.title_pattern.format(
            debut=_french_day(period_start),
            fin=_french_day(period_end),
            mois=month,
            annee=period_start.year,
            semaine=period_start.isocalendar().week,
        )
        return Occurrence(
            period_start=period_start,
            period_end=period_end,
            opens_on=opens_on,
            due_on=due_on,
            locks_on=due_on + datetime.timedelta(days=self.lock_delay_days),
            closes_on=opens_on + datetime.timedelta(days=self.collection_days),
            title=title[: Campaign._meta.get_field("title").max_length],
        )

    def current(self, day: datetime.date) -> Occurrence | None:
        """The campaign of the latest opening on or before `day`, while its collection runs.
        Only that one: an earlier campaign missed while the scheduler was stopped is not opened
        after the fact, once its due date has gone by."""
        occurrence = self.occurrence(self.latest_opening(day))
        return occurrence if day < occurrence.closes_on else None

    def upcoming(self, day: datetime.date, count: int = 3) -> list[Occurrence]:
        """The next `count` campaigns to open after `day`, for staff to check the settings."""
        occurrences = []
        opens_on = self.latest_opening(day)
        for _index in range(count):
            opens_on = self.next_opening(opens_on)
            occurrences.append(self.occurrence(opens_on))
        return occurrences


def _month_before(day: datetime.date) -> datetime.date:
    """The first day of the month before `day`'s."""
    return (day.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


class ScheduledCampaign(models.Model):
    """A campaign a schedule opened (or found already there for its period) and will close."""

    schedule = models.ForeignKey(
        CampaignSchedule, on_delete=models.CASCADE, related_name="campaigns", verbose_name=_("calendrier")
    )
    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, related_name="schedule_link", verbose_name=_("campagne")
    )
    period_start = models.DateField(_("début de la période"))
    closes_on = models.DateField(_("clôture prévue le"))

    class Meta:
        verbose_name = _("campagne planifiée")
        verbose_name_plural = _("campagnes planifiées")
        ordering = ["-period_start"]
        constraints = [
            # The database, not only the command, guarantees one campaign per period and schedule.
            models.UniqueConstraint(fields=["schedule", "period_start"], name="scheduled_campaign_once_per_period"),
        ]

    def __str__(self) -> str:
        return str(self.campaign)
