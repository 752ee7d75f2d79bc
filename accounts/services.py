"""Writes with side effects for accounts: invitations, team changes and self-registration."""

import datetime

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.ma import ice as stdnum_ice

from accounts.emails import email_send, localized_url, recipients_by_language
from accounts.models import Invitation, User
from accounts.selectors import user_get_by_email
from accounts.tokens import invitation_token_hash, invitation_token_new
from amrc.lib.french_elision import elide_de
from followup import notifications
from members.models import Company, CompanyMembership, Region

ASK_FOR_A_NEW_INVITATION = _("Demandez une nouvelle invitation à l'administrateur de votre entreprise ou à l'AMRC.")


def invitation_ensure_usable(invitation: Invitation | None) -> None:
    """Raise a ValidationError saying, in plain French, why this link cannot be used."""
    if invitation is None:
        raise ValidationError(
            _("Ce lien d'invitation n'est pas valide : vérifiez qu'il a été copié en entier. %(advice)s"),
            code="invitation_unknown",
            params={"advice": ASK_FOR_A_NEW_INVITATION},
        )
    if invitation.accepted_at is not None:
        raise ValidationError(
            _(
                "Cette invitation a déjà été utilisée. Connectez-vous avec votre adresse e-mail et votre mot de passe, "
                "ou réinitialisez votre mot de passe si vous l'avez oublié."
            ),
            code="invitation_used",
        )
    if invitation.revoked_at is not None:
        raise ValidationError(
            _("Cette invitation a été annulée. %(advice)s"),
            code="invitation_revoked",
            params={"advice": ASK_FOR_A_NEW_INVITATION},
        )
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            _("Cette invitation a expiré : elle n'était valable que %(days)s jours. %(advice)s"),
            code="invitation_expired",
            params={"days": settings.INVITATION_VALIDITY_DAYS, "advice": ASK_FOR_A_NEW_INVITATION},
        )


def invitation_send(
    *, company: Company, email: str, role: str, invited_by: User, language: str | None = None
) -> Invitation:
    """Invite someone to join `company` with `role`, and e-mail them a single-use link.

    The e-mail is written in `language`, which the account created from the invitation keeps;
    someone who already has an account reads it in the language they chose for themselves."""
    email = User.objects.normalize_email(email.strip()).lower()
    if company.registration_status != Company.RegistrationStatus.APPROVED:
        # A self-registered company stays out of reach until staff approve it; an invitation
        # would open a way in around that review.
        raise ValidationError(
            elide_de(
                _("L'inscription de %(company)s n'est pas validée : validez-la avant d'inviter des contacts.")
                % {"company": company},
                company,
            ),
            code="company_not_approved",
        )
    if CompanyMembership.objects.filter(company=company, user__email__iexact=email).exists():
        raise ValidationError(
            {
                "email": ValidationError(
                    elide_de(
                        _("%(email)s fait déjà partie de l'équipe de %(company)s.")
                        % {"email": email, "company": company},
                        company,
                    ),
                    code="already_member",
                )
            }
        )
    token, token_hash = invitation_token_new()
    now = timezone.now()
    invitation = Invitation(
        email=email,
        company=company,
        role=role,
        token_hash=token_hash,
        invited_by=invited_by,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_VALIDITY_DAYS),
        language=language or settings.LANGUAGE_CODE,
    )
    invitation.full_clean()
    invitee = user_get_by_email(email=email)
    reader_language = invitee.language if invitee is not None else invitation.language
    with transaction.atomic():
        # Only the newest link should work: an older one may sit in a forwarded or stale mailbox.
        company.invitations.pending().filter(email__iexact=email).update(revoked_at=now)
        invitation.save()
        # Sent inside the transaction on purpose: if the mail server refuses it, no invitation
        # is recorded that nobody received.
        email_send(
            to=[email],
            template="invitation",
            context={
                "invitation": invitation,
                "company": company,
                # The label itself, not get_role_display(): that would be translated here, in the
                # inviter's language, rather than in the e-mail's.
                "role": CompanyMembership.Role(invitation.role).label,
                "invited_by": invited_by,
                "accept_url": localized_url("accounts:invitation-accept", language=reader_language, args=(token,)),
                "validity_days": settings.INVITATION_VALIDITY_DAYS,
            },
            language=reader_language,
        )
    return invitation


def invitation_accept(
    *, token: str, password: str = "", full_name: str = "", authenticated_user: User | None = None
) -> User:
    """Use an invitation: create the account (or reuse an existing one) and join the company.

    A new account takes `password` (checked by AUTH_PASSWORD_VALIDATORS) and `full_name`. An
    existing account proves it is its owner with its current `password`, unless that owner is
    already logged in (`authenticated_user`).
    """
    with transaction.atomic():
        # Locked so that a double click, or two tabs, cannot use the same link twice.
        invitation = Invitation.objects.select_for_update().filter(token_hash=invitation_token_hash(token)).first()
        invitation_ensure_usable(invitation)
        user = user_get_by_email(email=invitation.email)
        if user is None:
            user = _user_create_from_invitation(invitation=invitation, password=password, full_name=full_name)
        else:
            _user_ensure_can_accept(user=user, password=password, authenticated_user=authenticated_user)

        membership = CompanyMembership.objects.filter(user=user, company_id=invitation.company_id).first()
        if membership is None:
            membership = CompanyMembership(user=user, company_id=invitation.company_id, role=invitation.role)
            membership.full_clean()
            membership.save()
        elif invitation.role == CompanyMembership.Role.ADMIN and membership.role != CompanyMembership.Role.ADMIN:
            # An invitation can promote a member, never demote one: demotion is a deliberate act.
            membership.role = CompanyMembership.Role.ADMIN
            membership.save(update_fields=["role"])

        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


def _user_create_from_invitation(*, invitation: Invitation, password: str, full_name: str) -> User:
    user = User(email=invitation.email, full_name=full_name.strip(), language=invitation.language)
    errors: dict[str, list[ValidationError]] = {}
    if not user.full_name:
        errors["full_name"] = [ValidationError(_("Indiquez votre nom complet."), code="required")]
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.error_list
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def _user_ensure_can_accept(*, user: User, password: str, authenticated_user: User | None) -> None:
    if not user.is_active:
        raise ValidationError(
            _("Le compte %(email)s est désactivé. Contactez l'AMRC pour le réactiver."),
            code="inactive_account",
            params={"email": user.email},
        )
    if authenticated_user is not None and authenticated_user.pk == user.pk:
        return
    if not user.check_password(password):
        raise ValidationError(
            {
                "password": ValidationError(
                    _(
                        "Mot de passe incorrect. Saisissez le mot de passe de votre compte existant, "
                        "ou réinitialisez-le depuis la page de connexion."
                    ),
                    code="wrong_password",
                )
            }
        )


def invitation_revoke(*, invitation: Invitation) -> Invitation:
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise ValidationError(
            elide_de(
                _("L'invitation de %(email)s n'est plus en attente : elle a déjà été acceptée ou annulée.")
                % {"email": invitation.email},
                invitation.email,
            ),
            code="not_pending",
        )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


def membership_remove(*, membership: CompanyMembership) -> None:
    """Take a user out of a company's team; the account itself stays (it may serve other companies)."""
    with transaction.atomic():
        # Locked so that two administrators removing each other at once cannot leave none.
        admin_ids = list(
            CompanyMembership.objects.select_for_update()
            .filter(company_id=membership.company_id, role=CompanyMembership.Role.ADMIN)
            .values_list("pk", flat=True)
        )
        if admin_ids == [membership.pk]:
            raise ValidationError(
                _(
                    "Impossible de retirer le dernier administrateur de l'entreprise : "
                    "invitez d'abord un autre administrateur."
                ),
                code="last_admin",
            )
        membership.delete()


def company_register(
    *,
    trade_name: str,
    legal_name: str,
    ice: str,
    rc_number: str,
    cnss_number: str,
    city: str,
    region: Region,
    headcount: int,
    full_name: str,
    email: str,
    phone: str,
    password: str,
    language: str | None = None,
) -> Company:
    """Record an operator's own registration: a pending company and its inactive administrator.

    Nothing is reachable until staff approve it (`company_registration_approve`). The
    administrator's e-mails are written in `language`, the one they registered in.
    """
    company = Company(
        trade_name=trade_name.strip(),
        legal_name=legal_name.strip(),
        # Compacted first: the field's length check runs on the value as typed, spaces included.
        ice=stdnum_ice.compact(ice),
        rc_number=rc_number.strip(),
        cnss_number=cnss_number.strip(),
        city=city.strip(),
        region=region,
        registered_headcount=headcount,
        segment=Company.Segment.SMALL,
        formality=Company.Formality.UNVERIFIED,
        registration_status=Company.RegistrationStatus.PENDING,
    )
    user = User(
        email=User.objects.normalize_email(email.strip()).lower(),
        full_name=full_name.strip(),
        phone=phone.strip(),
        is_active=False,
        language=language or settings.LANGUAGE_CODE,
    )
    errors: dict[str, list[ValidationError]] = {}
    _collect_errors(errors, _company_registration_errors(company))
    _collect_errors(errors, _registrant_errors(user, password))
    if errors:
        raise ValidationError(errors)

    try:
        with transaction.atomic():
            company.save()
            user.save()
            CompanyMembership.objects.create(user=user, company=company, role=CompanyMembership.Role.ADMIN)
    except IntegrityError as exc:
        # Only a registration racing this one for the same ICE or e-mail can get here.
        raise ValidationError(
            _("Cette entreprise ou cette adresse e-mail vient d'être enregistrée. Vérifiez l'ICE et l'adresse e-mail."),
            code="duplicate",
        ) from exc
    email_send(
        to=[user.email],
        template="registration_received",
        context={"company": company, "user": user, "home_url": localized_url("public:home", language=user.language)},
        language=user.language,
    )
    notifications.registration_received(company_id=company.pk)
    return company


def _collect_errors(errors: dict[str, list[ValidationError]], found: ValidationError | None) -> None:
    if found is not None:
        for field, field_errors in found.error_dict.items():
            errors.setdefault(field, []).extend(field_errors)


def _company_registration_errors(company: Company) -> ValidationError | None:
    errors: dict[str, list[ValidationError]] = {}
    if not company.ice:
        errors["ice"] = [ValidationError(_("L'ICE est obligatoire pour inscrire une entreprise."), code="required")]
    try:
        # The ICE's uniqueness is checked below, with a message that tells the registrant what to do.
        company.full_clean(validate_constraints=False)
    except ValidationError as exc:
        _collect_errors(errors, exc)
    if "ice" not in errors and Company.objects.filter(ice=company.ice).exists():
        errors["ice"] = [
            ValidationError(
                _(
                    "Une entreprise portant cet ICE est déjà enregistrée. Si vous y travaillez, demandez une "
                    "invitation à son administrateur ou à l'AMRC plutôt que de l'inscrire une seconde fois."
                ),
                code="duplicate_ice",
            )
        ]
    return ValidationError(errors) if errors else None


def _registrant_errors(user: User, password: str) -> ValidationError | None:
    errors: dict[str, list[ValidationError]] = {}
    if User.objects.filter(email__iexact=user.email).exists():
        errors["email"] = [
            ValidationError(
                _(
                    "Un compte existe déjà avec cette adresse e-mail. Connectez-vous, ou réinitialisez votre mot "
                    "de passe si vous l'avez oublié."
                ),
                code="duplicate_email",
            )
        ]
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.error_list
    user.set_password(password)
    try:
        user.full_clean(exclude=["email"] if "email" in errors else None)
    except ValidationError as exc:
        _collect_errors(errors, exc)
    return ValidationError(errors) if errors else None


def company_registration_approve(*, company: Company, user: User) -> Company:
    """Approve a self-registered company, activate its contacts and welcome them."""
    _company_ensure_pending(company)
    with transaction.atomic():
        company.registration_status = Company.RegistrationStatus.APPROVED
        company.registration_approved_by = user
        company.registration_approved_at = timezone.now()
        company._history_user = user
        company.full_clean(validate_constraints=False)
        company.save()
        contacts = list(User.objects.filter(memberships__company=company))
        User.objects.filter(pk__in=[contact.pk for contact in contacts], is_active=False).update(is_active=True)
        for language, emails in recipients_by_language(contacts).items():
            email_send(
                to=emails,
                template="registration_approved",
                context={"company": company, "login_url": localized_url("login", language=language)},
                language=language,
            )
    return company


def company_registration_reject(*, company: Company, user: User, reason: str = "") -> Company:
    """Refuse a self-registration; its contacts stay inactive and are told so."""
    _company_ensure_pending(company)
    with transaction.atomic():
        company.registration_status = Company.RegistrationStatus.REJECTED
        company._history_user = user
        company.save(update_fields=["registration_status", "updated_at"])
        contacts = User.objects.filter(memberships__company=company).order_by("email")
        for language, emails in recipients_by_language(contacts).items():
            email_send(
                to=emails,
                template="registration_rejected",
                context={"company": company, "reason": reason.strip()},
                language=language,
            )
    return company


def _company_ensure_pending(company: Company) -> None:
    if company.registration_status != Company.RegistrationStatus.PENDING:
        raise ValidationError(
            elide_de(
                _("L'inscription de %(company)s n'est pas en attente de validation (statut : %(status)s).")
                % {"company": company, "status": company.get_registration_status_display()},
                company,
            ),
            code="not_pending",
        )


def user_preferences_update(
    *,
    user: User,
    full_name: str,
    phone: str,
    language: str,
    notify_submissions: str | None = None,
    notify_registrations: str | None = None,
) -> User:
    """Save what a user sets for themselves. Only staff hear about submissions and registrations:
    a member's notification settings stay as they are."""
    user.full_name = full_name.strip()
    user.phone = phone.strip()
    user.language = language
    fields = ["full_name", "phone", "language"]
    if user.is_staff:
        if notify_submissions is not None:
            user.notify_submissions = notify_submissions
        if notify_registrations is not None:
            user.notify_registrations = notify_registrations
        fields += ["notify_submissions", "notify_registrations"]
    user.full_clean()
    user.save(update_fields=fields)
    return user
