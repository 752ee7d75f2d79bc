import logging

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as BasePasswordResetForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, get_supported_language_variant
from django.utils.translation import gettext_lazy as _

from accounts.emails import email_send, localized_url
from accounts.models import User
from accounts.selectors import user_get_by_email
from members.models import Company, CompanyMembership, Region

logger = logging.getLogger(__name__)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to its field when the form has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


class LoginForm(AuthenticationForm):
    """Django's login form, telling a registrant whose company awaits approval why they cannot log in."""

    error_messages = {
        **AuthenticationForm.error_messages,
        # Django's message says both fields are case-sensitive; the e-mail address is not.
        "invalid_login": _(
            "Adresse e-mail ou mot de passe incorrect. Attention : le mot de passe distingue majuscules et minuscules."
        ),
        "pending_registration": _(
            "L'inscription de votre entreprise est en attente de validation par l'AMRC. "
            "Vous recevrez un e-mail dès qu'elle sera validée."
        ),
        "inactive": _("Ce compte est désactivé. Contactez l'AMRC pour le réactiver."),
    }

    @property
    def is_pending_registration(self) -> bool:
        """The refusal only says the company awaits approval: information, not a mistake to fix."""
        return any(error.code == "pending_registration" for error in self.non_field_errors().as_data())

    def clean(self):
        try:
            return super().clean()
        except ValidationError as exc:
            if exc.code != "invalid_login":
                raise
            # Django's backend hides inactive accounts behind "invalid login"; once the password
            # is proven right, saying why is no leak and spares a support call.
            user = user_get_by_email(email=self.cleaned_data.get("username") or "")
            if user is None or user.is_active or not user.check_password(self.cleaned_data.get("password") or ""):
                raise
            pending = user.memberships.filter(company__registration_status=Company.RegistrationStatus.PENDING)
            code = "pending_registration" if pending.exists() else "inactive"
            raise ValidationError(self.error_messages[code], code=code) from exc


class PasswordResetForm(BasePasswordResetForm):
    """Django's reset request, with the e-mail written in the account's language and its link to
    the page in that language, on SITE_URL (not on whatever host the request named)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict,
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context["user"]
        reset_url = localized_url(
            "accounts:password-reset-confirm", language=user.language, args=(context["uid"], context["token"])
        )
        try:
            email_send(
                to=[to_email],
                template="password_reset",
                context={**context, "reset_url": reset_url},
                language=user.language,
            )
        except Exception:
            # As Django does: the page must answer the same whether the address exists or not.
            logger.exception("Failed to send password reset email to %s", user.pk)


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("Les 6 chiffres affichés par votre application d'authentification, ou un code de secours."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"), max_length=254)
    role = forms.ChoiceField(
        label=_("Rôle"),
        choices=CompanyMembership.Role.choices,
        initial=CompanyMembership.Role.DECLARANT,
        help_text=_("Un administrateur peut aussi inviter et retirer des collègues."),
    )
    language = forms.ChoiceField(
        label=_("Langue de l'invitation"),
        choices=settings.LANGUAGES,
        # Left out, it is the language the inviter is working in (the field's initial value).
        required=False,
        help_text=_(
            "L'e-mail d'invitation et ceux du compte créé seront écrits dans cette langue. Une personne qui a déjà "
            "un compte reçoit l'invitation dans sa propre langue."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The language the inviter is working in: most often their colleague's too.
        self.fields["language"].initial = get_supported_language_variant(get_language() or settings.LANGUAGE_CODE)

    def clean_language(self) -> str:
        return self.cleaned_data["language"] or self.fields["language"].initial


def _new_password_field() -> forms.CharField:
    return forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )


def _password_confirmation_field() -> forms.CharField:
    return forms.CharField(
        label=_("Confirmation du mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class _PasswordTwiceMixin:
    @property
    def passwords_cleared(self) -> bool:
        """The form comes back with errors after the user typed a password. Django's PasswordInput
        does not write it back into the page (render_value=False), and we keep it so: a password
        sent back in the HTML travels the network once more, stays in the browser's cache and page
        history, and shows in any copy of the page. The page says so instead of emptying the
        fields without a word."""
        return (
            self.is_bound
            and bool(self.errors)
            and bool(self.data.get("password") or self.data.get("password_confirmation"))
        )

    def clean(self) -> dict:
        cleaned_data = super().clean()
        password = cleaned_data.get("password")
        confirmation = cleaned_data.get("password_confirmation")
        if password and confirmation and password != confirmation:
            self.add_error("password_confirmation", _("Les deux mots de passe ne correspondent pas."))
        return cleaned_data


class InvitationNewAccountForm(_PasswordTwiceMixin, forms.Form):
    """The invitee has no account yet: they choose a name and a password (checked by the service)."""

    full_name = forms.CharField(label=_("Nom complet"), max_length=150)
    password = _new_password_field()
    password_confirmation = _password_confirmation_field()


class InvitationExistingAccountForm(forms.Form):
    """The invitee already has an account: their current password proves it is theirs."""

    password = forms.CharField(
        label=_("Mot de passe de votre compte"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class InvitationLoggedInForm(forms.Form):
    """The invitee is logged in with the invited address: accepting is one click."""


class CompanyRegistrationForm(_PasswordTwiceMixin, forms.Form):
    trade_name = forms.CharField(label=_("Nom commercial"), max_length=200)
    legal_name = forms.CharField(label=_("Raison sociale"), max_length=200, required=False)
    ice = forms.CharField(
        label=_("ICE"),
        max_length=20,
        help_text=_("Identifiant Commun de l'Entreprise : 15 chiffres."),
    )
    rc_number = forms.CharField(label=_("Numéro RC"), max_length=30, required=False)
    cnss_number = forms.CharField(label=_("Numéro d'affiliation CNSS"), max_length=30, required=False)
    city = forms.CharField(label=_("Ville du siège"), max_length=100)
    region = forms.ModelChoiceField(label=_("Région du siège"), queryset=Region.objects.all())
    headcount = forms.IntegerField(
        label=_("Effectif"),
        min_value=1,
        max_value=100_000,
        help_text=_("Nombre de salariés inscrits à la paie."),
    )
    full_name = forms.CharField(label=_("Nom complet du contact"), max_length=150)
    email = forms.EmailField(
        label=_("Adresse e-mail du contact"), max_length=254, help_text=_("Elle servira à vous connecter.")
    )
    phone = forms.CharField(label=_("Téléphone du contact"), max_length=30)
    password = _new_password_field()
    password_confirmation = _password_confirmation_field()


class PreferencesForm(forms.Form):
    """What a user sets for themselves: how they are named and reached, and in which language.
    Staff also choose which events they hear about, and how."""

    full_name = forms.CharField(label=_("Nom complet"), max_length=150)
    phone = forms.CharField(
        label=_("Téléphone"),
        max_length=30,
        required=False,
        help_text=_("L'AMRC peut vous appeler au sujet des déclarations de votre entreprise."),
    )
    language = forms.ChoiceField(
        label=_("Langue des e-mails"),
        choices=settings.LANGUAGES,
        help_text=_("Rappels, accusés de réception et notifications vous parviennent dans cette langue."),
    )
    notify_submissions = forms.ChoiceField(
        label=_("Déclarations soumises"),
        choices=User.Notification.choices,
        help_text=_("Être prévenu quand une entreprise soumet une déclaration."),
    )
    notify_registrations = forms.ChoiceField(
        label=_("Inscriptions d'entreprises"),
        choices=User.Notification.choices,
        help_text=_("Être prévenu quand une entreprise s'inscrit et attend votre validation."),
    )

    STAFF_FIELDS = ("notify_submissions", "notify_registrations")

    def __init__(self, *args, user: User, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {name: getattr(user, name) for name in ("full_name", "phone", "language", *self.STAFF_FIELDS)},
        )
        super().__init__(*args, **kwargs)
        if not user.is_staff:
            for name in self.STAFF_FIELDS:
                del self.fields[name]
