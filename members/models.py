from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from stdnum.ma import ice as stdnum_ice

from amrc.lib.revised import Revised
from amrc.lib.translated_text import TranslatedText, in_reader_language
from members.validators import validate_ice


class Region(Revised):
    """One of the 12 regions of Morocco (2015 division), loaded by a data migration."""

    code = models.CharField(_("code"), max_length=5, unique=True, help_text=_("Code ISO 3166-2, p. ex. MA-06."))
    name_fr = models.CharField(_("nom (français)"), max_length=80)
    name_ar = models.CharField(_("nom (arabe)"), max_length=80)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_ar if get_language() == "ar" else self.name_fr


class CompanyQuerySet(models.QuerySet):
    def active(self) -> "CompanyQuerySet":
        """Companies expected to declare: approved in the registry and still active."""
        return self.filter(is_active=True, registration_status=Company.RegistrationStatus.APPROVED)

    def for_user(self, user) -> "CompanyQuerySet":
        return self.filter(memberships__user=user)


class Company(Revised):
    class Segment(models.TextChoices):
        MEMBER = "member", _("Membre AMRC")
        SMALL = "small", _("Petit opérateur")

    class Formality(models.TextChoices):
        FORMAL = "formal", _("Formelle (vérifiée)")
        UNVERIFIED = "unverified", _("Non vérifiée")
        INFORMAL = "informal", _("Informelle")

    class RegistrationStatus(models.TextChoices):
        PENDING = "pending", _("En attente de validation")
        APPROVED = "approved", _("Validée")
        REJECTED = "rejected", _("Refusée")

    trade_name = models.CharField(_("nom commercial"), max_length=200)
    legal_name = models.CharField(_("raison sociale"), max_length=200, blank=True)
    ice = models.CharField(
        _("ICE"),
        max_length=15,
        blank=True,
        validators=[validate_ice],
        help_text=_("Identifiant Commun de l'Entreprise : 15 chiffres."),
    )
    rc_number = models.CharField(_("numéro RC"), max_length=30, blank=True, help_text=_("Registre du commerce."))
    cnss_number = models.CharField(_("numéro d'affiliation CNSS"), max_length=30, blank=True)
    city = models.CharField(_("ville du siège"), max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="companies", verbose_name=_("région du siège")
    )
    segment = models.CharField(_("segment"), max_length=10, choices=Segment.choices, default=Segment.SMALL)
    formality = models.CharField(_("formalité"), max_length=10, choices=Formality.choices, default=Formality.UNVERIFIED)
    formality_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("formalité vérifiée par"),
    )
    formality_verified_at = models.DateTimeField(_("formalité vérifiée le"), null=True, blank=True)
    registered_headcount = models.PositiveIntegerField(
        _("effectif enregistré"),
        default=0,
        help_text=_("Effectif connu du registre ; sert de base aux taux de couverture et aux estimations."),
    )
    registration_status = models.CharField(
        _("inscription"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.APPROVED,
        help_text=_("Une entreprise inscrite par elle-même attend la validation de l'association."),
    )
    registration_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inscription validée par"),
    )
    registration_approved_at = models.DateTimeField(_("inscription validée le"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = CompanyQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["revision"])

    class Meta:
        verbose_name = _("entreprise")
        verbose_name_plural = _("entreprises")
        ordering = ["trade_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ice"],
                condition=~Q(ice=""),
                name="company_ice_unique_when_present",
                violation_error_message=_("Une entreprise portant cet ICE est déjà enregistrée."),
            ),
        ]
        indexes = [models.Index(fields=["segment", "formality"])]

    def __str__(self) -> str:
        return self.trade_name

    def clean(self) -> None:
        super().clean()
        if self.ice:
            self.ice = stdnum_ice.compact(self.ice)

    @property
    def is_member(self) -> bool:
        return self.segment == self.Segment.MEMBER


class Site(Revised):
    """A production site (call centre) of a company."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="sites", verbose_name=_("entreprise"))
    name = models.CharField(_("nom du site"), max_length=150)
    city = models.CharField(_("ville"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="sites", verbose_name=_("région"))
    workstations = models.PositiveIntegerField(_("postes de travail"), default=0)

    history = HistoricalRecords(excluded_fields=["revision"])

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["company", "name"]

    def __str__(self) -> str:
        return f"{self.company} – {self.name}"


class CompanyMembership(models.Model):
    """Links a user to a company they may declare for."""

    class Role(models.TextChoices):
        DECLARANT = "declarant", _("Déclarant")
        ADMIN = "admin", _("Administrateur de l'entreprise")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("utilisateur")
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("entreprise")
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.DECLARANT)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rattachement à une entreprise")
        verbose_name_plural = _("rattachements aux entreprises")
        constraints = [models.UniqueConstraint(fields=["user", "company"], name="membership_unique_user_company")]

    def __str__(self) -> str:
        return f"{self.user} – {self.company} ({self.get_role_display()})"


class SectorFigure(models.Model):
    """A published reference figure about the sector, always quoted with its source and year."""

    key = models.SlugField(_("clé"), max_length=50, unique=True, help_text=_("Identifiant stable, p. ex. jobs."))
    label = models.CharField(_("libellé"), max_length=200)
    label_ar = models.CharField(
        _("libellé en arabe"),
        max_length=200,
        blank=True,
        help_text=_("Vide : la page en arabe affiche le libellé français."),
    )
    label_en = models.CharField(
        _("libellé en anglais"),
        max_length=200,
        blank=True,
        help_text=_("Vide : la page en anglais affiche le libellé français."),
    )
    value = models.DecimalField(_("valeur"), max_digits=18, decimal_places=2)
    is_lower_bound = models.BooleanField(
        _("valeur minimale"),
        default=False,
        help_text=_("Le chiffre est un minimum : il s'affiche « plus de 500 entreprises »."),
    )
    unit = models.CharField(_("unité"), max_length=30, blank=True)
    unit_ar = models.CharField(_("unité en arabe"), max_length=30, blank=True)
    unit_en = models.CharField(_("unité en anglais"), max_length=30, blank=True)
    year = models.CharField(_("année"), max_length=20, help_text=_("Année ou période, p. ex. 2019 ou 2014-2018."))
    source = models.CharField(_("source"), max_length=300)
    order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        verbose_name = _("chiffre de référence du secteur")
        verbose_name_plural = _("chiffres de référence du secteur")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return f"{self.label} ({self.year})"

    @property
    def reader_label(self) -> TranslatedText:
        return in_reader_language({"fr": self.label, "ar": self.label_ar, "en": self.label_en})

    @property
    def reader_unit(self) -> TranslatedText:
        return in_reader_language({"fr": self.unit, "ar": self.unit_ar, "en": self.unit_en})


# A message on the companies' dashboards: a few paragraphs at most.
MESSAGE_MAX_LENGTH = 5000


class CompanyMessage(Revised):
    """A message from association staff, shown on the dashboards of one company or of all."""

    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("entreprise"),
        help_text=_("Laissez vide pour adresser le message à toutes les entreprises."),
    )
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(
        _("message"), max_length=MESSAGE_MAX_LENGTH, validators=[MaxLengthValidator(MESSAGE_MAX_LENGTH)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("auteur")
    )
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("message aux entreprises")
        verbose_name_plural = _("messages aux entreprises")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject
