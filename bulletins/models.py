from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amrc.lib.translated_text import TranslatedText, in_reader_language
from measures.models import Campaign

# A bulletin's editorial is a page or two of Markdown; a correction note, a paragraph.
EDITORIAL_MAX_LENGTH = 20_000
CORRECTION_NOTE_MAX_LENGTH = 2000


class BulletinQuerySet(models.QuerySet):
    def published(self) -> "BulletinQuerySet":
        return self.filter(status=Bulletin.Status.PUBLISHED)

    def with_publication_dates(self) -> "BulletinQuerySet":
        """Annotate first and latest publication and the latest revision number, in the same query."""
        revisions = BulletinRevision.objects.filter(bulletin=OuterRef("pk"))
        return self.annotate(
            first_published_at=Subquery(revisions.order_by("number").values("published_at")[:1]),
            last_published_at=Subquery(revisions.order_by("-number").values("published_at")[:1]),
            latest_revision_number=Subquery(revisions.order_by("-number").values("number")[:1]),
            latest_provisional=Subquery(revisions.order_by("-number").values("provisional")[:1]),
        )

    def in_period_order(self) -> "BulletinQuerySet":
        return self.order_by("-campaign__period_start", "-pk")


class TranslatedTitleAndEditorial(models.Model):
    """The title and editorial in Arabic and in English, beside the French ones (the source). A blank
    translation is no error: readers of that language get the French text, marked as French."""

    title_ar = models.CharField(
        _("titre en arabe"),
        max_length=200,
        blank=True,
        help_text=_("Vide : la page en arabe affiche le titre français."),
    )
    title_en = models.CharField(
        _("titre en anglais"),
        max_length=200,
        blank=True,
        help_text=_("Vide : la page en anglais affiche le titre français."),
    )
    editorial_ar = models.TextField(
        _("éditorial en arabe"),
        blank=True,
        max_length=EDITORIAL_MAX_LENGTH,
        validators=[MaxLengthValidator(EDITORIAL_MAX_LENGTH)],
        help_text=_("En Markdown. Vide : la page en arabe affiche l'éditorial français."),
    )
    editorial_en = models.TextField(
        _("éditorial en anglais"),
        blank=True,
        max_length=EDITORIAL_MAX_LENGTH,
        validators=[MaxLengthValidator(EDITORIAL_MAX_LENGTH)],
        help_text=_("En Markdown. Vide : la page en anglais affiche l'éditorial français."),
    )

    TRANSLATION_FIELDS = ("title_ar", "title_en", "editorial_ar", "editorial_en")

    class Meta:
        abstract = True

    @property
    def reader_title(self) -> TranslatedText:
        return in_reader_language({"fr": self.title, "ar": self.title_ar, "en": self.title_en})

    @property
    def reader_editorial(self) -> TranslatedText:
        return in_reader_language({"fr": self.editorial, "ar": self.editorial_ar, "en": self.editorial_en})

    def texts(self) -> dict[str, dict[str, str]]:
        """The title and editorial in each language, as the JSON file publishes them: blank where
        a translation is not written (its readers get the French text)."""
        return {
            "fr": {"title": self.title, "editorial": self.editorial},
            "ar": {"title": self.title_ar, "editorial": self.editorial_ar},
            "en": {"title": self.title_en, "editorial": self.editorial_en},
        }


class Bulletin(TranslatedTitleAndEditorial):
    """A sector bulletin drawn from one campaign: a working draft (title, editorial) and, once
    published, its frozen revisions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publié")

    campaign = models.OneToOneField(
        Campaign, on_delete=models.PROTECT, related_name="bulletin", verbose_name=_("campagne")
    )
    slug = models.SlugField(
        _("adresse"),
        max_length=120,
        unique=True,
        help_text=_("Partie de l'adresse publique du bulletin ; ne change plus une fois le bulletin publié."),
    )
    title = models.CharField(_("titre"), max_length=200)
    editorial = models.TextField(
        _("éditorial"),
        blank=True,
        max_length=EDITORIAL_MAX_LENGTH,
        validators=[MaxLengthValidator(EDITORIAL_MAX_LENGTH)],
        help_text=_(
            "En Markdown. Le texte est figé dans chaque révision au moment de la publication ; "
            "le modifier ensuite prépare la prochaine correction."
        ),
    )
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("créé par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-campaign__period_start"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("bulletins:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class BulletinRevisionQuerySet(models.QuerySet):
    def published(self) -> "BulletinRevisionQuerySet":
        return self.filter(bulletin__status=Bulletin.Status.PUBLISHED)

    def latest_per_bulletin(self) -> "BulletinRevisionQuerySet":
        """Only the current revision of each bulletin (one SQL statement, no Python loop)."""
        newest = BulletinRevision.objects.filter(bulletin=OuterRef("bulletin")).order_by("-number").values("number")
        return self.filter(number=Subquery(newest[:1]))


class BulletinRevision(TranslatedTitleAndEditorial):
    """A published, frozen state of a bulletin: its public figures (the snapshot), the audit
    record behind them, and the editorial as it read that day. Never changed once stored."""

    bulletin = models.ForeignKey(
        Bulletin, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("bulletin")
    )
    number = models.PositiveIntegerField(_("révision n°"))
    title = models.CharField(_("titre publié"), max_length=200)
    editorial = models.TextField(
        _("éditorial publié"),
        blank=True,
        max_length=EDITORIAL_MAX_LENGTH,
        validators=[MaxLengthValidator(EDITORIAL_MAX_LENGTH)],
    )
    snapshot = models.JSONField(
        _("chiffres publiés"), help_text=_("Document public au schéma amrc-bulletin/1, lu par les pages et fichiers.")
    )
    internal = models.JSONField(
        _("dossier interne"),
        default=dict,
        help_text=_("Règles de confidentialité et déclarations utilisées ; jamais publié."),
    )
    correction_note = models.TextField(
        _("note de correction"),
        blank=True,
        max_length=CORRECTION_NOTE_MAX_LENGTH,
        validators=[MaxLengthValidator(CORRECTION_NOTE_MAX_LENGTH)],
        help_text=_("Ce qui a changé depuis la révision précédente."),
    )
    provisional = models.BooleanField(
        _("provisoire"),
        default=False,
        help_text=_(
            "Publiée alors que la campagne était ouverte ou la réponse sous les seuils, sur confirmation : "
            "les raisons sont dans les chiffres publiés et le dossier interne."
        ),
    )
    published_at = models.DateTimeField(_("publiée le"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("publiée par"),
    )

    objects = BulletinRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("révision publiée")
        verbose_name_plural = _("révisions publiées")
        ordering = ["bulletin", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["bulletin", "number"],
                name="bulletin_revision_number_unique",
                violation_error_message=_("Cette révision du bulletin existe déjà."),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="bulletin_revision_number_positive"),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(correction_note=""),
                name="bulletin_correction_has_note",
                violation_error_message=_("Une correction doit expliquer ce qui a changé."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bulletin} – r{self.number}"

    def save(self, *args, **kwargs) -> None:
        # Published figures are quoted by the press and ministries: a revision is written once,
        # and a correction is a new revision, never an edit.
        if not self._state.adding:
            raise ValueError("A published bulletin revision is immutable; publish a correction instead.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("bulletins:revision", kwargs={"slug": self.bulletin.slug, "number": self.number})

    @property
    def is_correction(self) -> bool:
        return self.number > 1
