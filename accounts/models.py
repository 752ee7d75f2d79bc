from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import CompanyMembership


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str) -> "User":
        # E-mail addresses are compared without regard to case: people type them both ways.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address: association staff or a company contact."""

    class Notification(models.TextChoices):
        NONE = "none", _("Jamais")
        IMMEDIATE = "immediate", _("Immédiatement, un e-mail à chaque fois")
        DAILY = "daily", _("Dans un résumé quotidien")

    email = models.EmailField(_("adresse e-mail"), unique=True)
    full_name = models.CharField(_("nom complet"), max_length=150, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    is_staff = models.BooleanField(
        _("membre de l'équipe"),
        default=False,
        help_text=_("Peut se connecter à l'administration (personnel de l'association)."),
    )
    is_active = models.BooleanField(
        _("actif"),
        default=True,
        help_text=_("Décochez plutôt que de supprimer le compte."),
    )
    date_joined = models.DateTimeField(_("date d'inscription"), default=timezone.now)
    language = models.CharField(
        _("langue"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="fr",
        help_text=_("Langue des e-mails que la plateforme vous envoie (rappels, accusés de réception)."),
    )
    # Staff only: what they want to hear about, and how.
    notify_submissions = models.CharField(
        _("déclarations soumises"),
        max_length=10,
        choices=Notification.choices,
        default=Notification.NONE,
        help_text=_("Être prévenu des déclarations soumises par les entreprises."),
    )
    notify_registrations = models.CharField(
        _("inscriptions d'entreprises"),
        max_length=10,
        choices=Notification.choices,
        default=Notification.NONE,
        help_text=_("Être prévenu des entreprises qui s'inscrivent et attendent une validation."),
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(accepted_at=None, revoked_at=None, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A single-use, expiring link that lets a company contact set a password and join the company.

    Only a hash of the token is stored: a leaked database does not leak usable links.
    """

    email = models.EmailField(_("adresse e-mail"))
    company = models.ForeignKey(
        "members.Company", on_delete=models.CASCADE, related_name="invitations", verbose_name=_("entreprise")
    )
    role = models.CharField(
        _("rôle"), max_length=10, choices=CompanyMembership.Role.choices, default=CompanyMembership.Role.DECLARANT
    )
    token_hash = models.CharField(_("empreinte du jeton"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invité par")
    )
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acceptée par"),
    )
    revoked_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    # The invitee has no account yet, so no language of their own: the inviter chooses it.
    language = models.CharField(
        _("langue"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="fr",
        help_text=_(
            "Langue de l'e-mail d'invitation et des e-mails du compte créé. Une personne qui a déjà un compte "
            "reçoit l'invitation dans sa propre langue."
        ),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.company}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()
