import datetime

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from amrc.lib.revised import Revised
from members.models import Company, Region

# Free texts: a paragraph or two. Forms say so next to the field; the model refuses beyond too.
DIFFICULTIES_MAX_LENGTH = 2000
COMMENT_MAX_LENGTH = 2000

HEADCOUNT_PARTS = ("on_site", "telework", "technical_unemployment", "other_absence")


class CampaignQuerySet(models.QuerySet):
    def open(self) -> "CampaignQuerySet":
        return self.filter(status=Campaign.Status.OPEN)


class Campaign(Revised):
    """One collection round (a week or a month) in which every company declares once."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        OPEN = "open", _("Ouverte")
        CLOSED = "closed", _("Clôturée")

    title = models.CharField(_("titre"), max_length=200)
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    opens_on = models.DateField(_("ouverture de la collecte"))
    due_on = models.DateField(
        _("date limite"), help_text=_("Une déclaration reçue au plus tard ce jour-là est à l'heure.")
    )
    locks_on = models.DateField(
        _("date de verrouillage"),
        help_text=_("Après ce jour, les entreprises ne peuvent plus modifier leur déclaration."),
    )
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campagne de collecte")
        verbose_name_plural = _("campagnes de collecte")
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="campaign_period_ordered",
                violation_error_message=_("La fin de la période précède son début."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("opens_on")) & Q(locks_on__gte=F("due_on")),
                name="campaign_dates_ordered",
                violation_error_message=_("Les dates doivent se suivre : ouverture, date limite, verrouillage."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def accepts_edits(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.OPEN and self.opens_on <= today <= self.locks_on

    def is_late(self, moment: datetime.datetime) -> bool:
        return timezone.localdate(moment) > self.due_on


class DeclarationQuerySet(models.QuerySet):
    def approved(self) -> "DeclarationQuerySet":
        return self.filter(status=Declaration.Status.APPROVED)

    def for_campaign(self, campaign: Campaign) -> "DeclarationQuerySet":
        return self.filter(campaign=campaign)

    def for_company(self, company: Company) -> "DeclarationQuerySet":
        return self.filter(company=company)

    def received(self) -> "DeclarationQuerySet":
        return self.exclude(submitted_at=None)

    def late(self) -> "DeclarationQuerySet":
        return self.filter(is_late=True)

    def on_time(self) -> "DeclarationQuerySet":
        return self.received().filter(is_late=False)


class Declaration(models.Model):
    """A company's figures for one campaign, reviewed by staff before they count."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Soumise")
        RETURNED = "returned", _("Renvoyée pour correction")
        APPROVED = "approved", _("Validée")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="declarations", verbose_name=_("campagne")
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="declarations", verbose_name=_("entreprise")
    )
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Augmente à chaque enregistrement ; protège contre les écrasements.")
    )

    headcount = models.PositiveIntegerField(
        _("effectif total"), null=True, blank=True, help_text=_("Salariés inscrits à la fin de la période.")
    )
    on_site = models.PositiveIntegerField(_("dont sur site"), null=True, blank=True)
    telework = models.PositiveIntegerField(_("dont en télétravail"), null=True, blank=True)
    technical_unemployment = models.PositiveIntegerField(
        _("dont en arrêt technique"),
        null=True,
        blank=True,
        help_text=_("Salariés déclarés à la CNSS pour l'indemnité COVID-19."),
    )
    other_absence = models.PositiveIntegerField(
        _("dont autres absences"), null=True, blank=True, help_text=_("Congés, maladie, autres.")
    )
    hires = models.PositiveIntegerField(_("recrutements"), null=True, blank=True)
    separations = models.PositiveIntegerField(_("départs"), null=True, blank=True)
    dismissals = models.PositiveIntegerField(_("dont licenciements"), null=True, blank=True)

    keeps_technical_on_site = models.BooleanField(_("fonctions techniques maintenues sur site"), default=False)
    keeps_hr_on_site = models.BooleanField(_("fonctions RH maintenues sur site"), default=False)
    keeps_support_on_site = models.BooleanField(_("support et coordination maintenus sur site"), default=False)
    keeps_production_on_site = models.BooleanField(_("production maintenue sur site"), default=False)

    export_revenue = models.DecimalField(
        _("chiffre d'affaires à l'export (MAD)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    activity_maintained_pct = models.PositiveSmallIntegerField(
        _("activité clients maintenue (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Part de l'activité de vos clients maintenue, de 0 à 100 %."),
    )
    difficulties = models.TextField(
        _("difficultés rencontrées"),
        blank=True,
        max_length=DIFFICULTIES_MAX_LENGTH,
        validators=[MaxLengthValidator(DIFFICULTIES_MAX_LENGTH)],
        help_text=_("Confidentiel : jamais publié."),
    )
    prefilled_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pré-remplie à partir de"),
        help_text=_(
            "La déclaration précédente dont les chiffres ont servi de point de départ ; vide quand le "
            "déclarant est parti d'un formulaire vide."
        ),
    )
    headcount_change_confirmed = models.BooleanField(
        _("variation d'effectif confirmée"),
        default=False,
        help_text=_("Le déclarant a confirmé une variation d'effectif de plus de 25 %."),
    )

    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    # Stored when the declaration is submitted rather than worked out from submitted_at: reading
    # it costs nothing, where converting every timestamp to Casablanca's date and comparing it
    # with the campaign's due date made the admin's list and filter scan every declaration.
    is_late = models.BooleanField(
        _("en retard"),
        default=False,
        help_text=_("Reçue après la date limite de la campagne ; fixé à chaque soumission."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("soumise par"),
    )
    returned_at = models.DateTimeField(_("renvoyée le"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("renvoyée par"),
    )
    return_comment = models.TextField(
        _("commentaire de renvoi"),
        blank=True,
        max_length=COMMENT_MAX_LENGTH,
        validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)],
    )
    approved_at = models.DateTimeField(_("validée le"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validée par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = DeclarationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("déclaration")
        verbose_name_plural = _("déclarations")
        ordering = ["-campaign__period_start", "company__trade_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "company"],
                name="declaration_one_per_company_per_campaign",
                violation_error_message=_("Cette entreprise a déjà une déclaration pour cette campagne."),
            ),
            models.CheckConstraint(
                condition=Q(activity_maintained_pct__lte=100) | Q(activity_maintained_pct=None),
                name="declaration_activity_pct_at_most_100",
            ),
            models.CheckConstraint(
                condition=Q(export_revenue__gte=0) | Q(export_revenue=None),
                name="declaration_export_revenue_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status"]),
            # The admin's list of declarations filtered by status, or late, in its order (the
            # unique index's, latest campaign first), and their count.
            models.Index(fields=["status", "campaign", "company"], name="declaration_status_idx"),
            models.Index(fields=["campaign", "company"], condition=Q(is_late=True), name="declaration_late_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.company} – {self.campaign}"

    @property
    def is_editable_by_member(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class DeclarationRegion(models.Model):
    """One region's share of a declaration's workforce."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="regional_lines", verbose_name=_("déclaration")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("région"))
    headcount = models.PositiveIntegerField(_("effectif"))
    on_site = models.PositiveIntegerField(_("sur site"), default=0)
    telework = models.PositiveIntegerField(_("en télétravail"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ligne régionale")
        verbose_name_plural = _("répartition par région")
        ordering = ["region__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "region"],
                name="declaration_region_unique",
                violation_error_message=_("Cette région figure déjà dans la déclaration."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.headcount}"


class Measure(Revised):
    """An entry of the catalogue of measures a company takes or asks for."""

    class Category(models.TextChoices):
        SANITARY = "sanitary", _("Mesures sanitaires")
        TELEWORK = "telework", _("Télétravail")
        EMPLOYMENT = "employment", _("Emploi")
        SUPPORT = "support", _("Soutien demandé")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    category = models.CharField(_("catégorie"), max_length=12, choices=Category.choices)
    name_fr = models.CharField(_("libellé (français)"), max_length=200)
    name_ar = models.CharField(_("libellé (arabe)"), max_length=200, blank=True)
    name_en = models.CharField(_("libellé (anglais)"), max_length=200, blank=True)
    counts_employees = models.BooleanField(
        _("nombre de salariés concernés"),
        default=False,
        help_text=_("Demander combien de salariés la mesure concerne."),
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("mesure")
        verbose_name_plural = _("catalogue des mesures")
        ordering = ["category", "order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = get_language()
        if language == "ar" and self.name_ar:
            return self.name_ar
        if language == "en" and self.name_en:
            return self.name_en
        return self.name_fr

    def answer_choices(self) -> list[tuple[str, str]]:
        """The three answers in the words of the measure's category (the stored values stay the same)."""
        labels = ANSWER_LABELS.get(self.category, ANSWER_LABELS[None])
        return [(status, labels[status]) for status in DeclarationMeasure.Status.values]


class DeclarationMeasure(models.Model):
    class Status(models.TextChoices):
        IN_PLACE = "in_place", _("En place")
        PLANNED = "planned", _("Prévue / demandée")
        NOT_APPLICABLE = "not_applicable", _("Sans objet")

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="measure_answers", verbose_name=_("déclaration")
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="answers", verbose_name=_("mesure"))
    status = models.CharField(_("situation"), max_length=15, choices=Status.choices)
    employees_concerned = models.PositiveIntegerField(_("salariés concernés"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mesure déclarée")
        verbose_name_plural = _("mesures déclarées")
        ordering = ["measure__category", "measure__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "measure"],
                name="declaration_measure_unique",
                violation_error_message=_("Cette mesure figure déjà dans la déclaration."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.status_label}"

    @property
    def status_label(self) -> str:
        """The answer in the words of the measure's category: "Accord obtenu" rather than "En place"
        for a support the company asked for."""
        return dict(self.measure.answer_choices()).get(self.status, self.get_status_display())


# A measure the company takes is in place, planned or irrelevant to it; a support it may ask the
# State for is granted, asked for or not asked for. Same stored values, so that "asked for" (in
# place or planned) means the same in the bulletins' measure tables whatever the category.
ANSWER_LABELS: dict[str | None, dict[str, str]] = {
    None: {
        DeclarationMeasure.Status.IN_PLACE: _("En place"),
        DeclarationMeasure.Status.PLANNED: _("Prévue"),
        DeclarationMeasure.Status.NOT_APPLICABLE: _("Sans objet"),
    },
    Measure.Category.SUPPORT: {
        DeclarationMeasure.Status.IN_PLACE: _("Accord obtenu"),
        DeclarationMeasure.Status.PLANNED: _("Demande en cours"),
        DeclarationMeasure.Status.NOT_APPLICABLE: _("Pas de demande"),
    },
}


class DeclarationEvent(models.Model):
    """A state change of a declaration, with who made it and when: the review trail."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Soumise")
        RETURNED = "returned", _("Renvoyée pour correction")
        APPROVED = "approved", _("Validée")

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="events", verbose_name=_("déclaration")
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("par")
    )
    at = models.DateTimeField(_("le"), default=timezone.now)
    comment = models.TextField(
        _("commentaire"), blank=True, max_length=COMMENT_MAX_LENGTH, validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)]
    )
    late = models.BooleanField(_("en retard"), default=False)

    class Meta:
        verbose_name = _("étape de la déclaration")
        verbose_name_plural = _("historique de la déclaration")
        ordering = ["at", "pk"]
        # The admin's list of steps, latest first, and its date hierarchy's first and last dates.
        indexes = [models.Index(fields=["at"], name="declaration_event_at_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} – {self.at:%Y-%m-%d %H:%M}"
