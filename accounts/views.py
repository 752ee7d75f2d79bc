from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, translate_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.forms import (
    CompanyRegistrationForm,
    InvitationExistingAccountForm,
    InvitationForm,
    InvitationLoggedInForm,
    InvitationNewAccountForm,
    PreferencesForm,
    add_service_errors,
)
from accounts.models import Invitation
from amrc.lib.french_elision import elide_de
from members.models import CompanyMembership
from security.rate_limits import INVITATION_ACCEPT, INVITATION_SEND, REGISTRATION, limit_posts

# --- Access helpers: another company's ids answer 404, as if they did not exist. ---


def _get_membership_for_member(request: HttpRequest, company_id: int) -> CompanyMembership:
    membership = selectors.membership_get_for_user(user=request.user, company_id=company_id)
    if membership is None:
        raise Http404
    return membership


def _get_membership_for_company_admin(request: HttpRequest, company_id: int) -> CompanyMembership:
    membership = _get_membership_for_member(request, company_id)
    if membership.role != CompanyMembership.Role.ADMIN:
        raise PermissionDenied(_("Seul un administrateur de l'entreprise peut inviter ou retirer des collègues."))
    return membership


# --- Invitations ---


# The form checks an existing account's password: limited like a login.
@limit_posts(INVITATION_ACCEPT)
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_get_by_token(token=token)
    try:
        services.invitation_ensure_usable(invitation)
    except ValidationError as exc:
        return render(
            request,
            "accounts/invitation_unusable.html",
            {"problem": exc.messages[0]},
            status=404 if invitation is None else 410,
        )

    existing_user = selectors.user_get_by_email(email=invitation.email)
    if existing_user is None:
        form_class = InvitationNewAccountForm
    elif request.user.is_authenticated and request.user.pk == existing_user.pk:
        form_class = InvitationLoggedInForm
    else:
        form_class = InvitationExistingAccountForm

    form = form_class(request.POST) if request.method == "POST" else form_class()
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                password=form.cleaned_data.get("password", ""),
                full_name=form.cleaned_data.get("full_name", ""),
                authenticated_user=request.user if request.user.is_authenticated else None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                elide_de(
                    _("Bienvenue ! Vous faites maintenant partie de l'équipe de %s.") % invitation.company,
                    invitation.company,
                ),
            )
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form, "existing_user": existing_user},
    )


# --- The company's team, for its members ---


@login_required
def team(request: HttpRequest, company_id: int) -> HttpResponse:
    membership = _get_membership_for_member(request, company_id)
    company = membership.company
    is_company_admin = membership.role == CompanyMembership.Role.ADMIN
    return render(
        request,
        "accounts/team.html",
        {
            "company": company,
            "membership": membership,
            "is_company_admin": is_company_admin,
            "members": selectors.company_members(company=company),
            "invitations": selectors.company_pending_invitations(company=company) if is_company_admin else [],
        },
    )


@login_required
@limit_posts(INVITATION_SEND, "user")
def team_invite(request: HttpRequest, company_id: int) -> HttpResponse:
    company = _get_membership_for_company_admin(request, company_id).company
    form = InvitationForm(request.POST) if request.method == "POST" else InvitationForm()
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_send(company=company, invited_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Invitation envoyée à %s.") % invitation.email)
            return redirect("accounts:team", company_id=company.pk)
    return render(
        request,
        "accounts/team_invite.html",
        {"company": company, "form": form, "validity_days": settings.INVITATION_VALIDITY_DAYS},
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, company_id: int, invitation_id: int) -> HttpResponse:
    company = _get_membership_for_company_admin(request, company_id).company
    invitation = get_object_or_404(Invitation, pk=invitation_id, company=company)
    try:
        services.invitation_revoke(invitation=invitation)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, elide_de(_("L'invitation de %s est annulée.") % invitation.email, invitation.email))
    return redirect("accounts:team", company_id=company.pk)


@login_required
@require_http_methods(["GET", "POST"])
def membership_remove(request: HttpRequest, company_id: int, membership_id: int) -> HttpResponse:
    """GET asks to confirm (a page, so that it works without JavaScript); POST removes."""
    company = _get_membership_for_company_admin(request, company_id).company
    membership = get_object_or_404(CompanyMembership.objects.select_related("user"), pk=membership_id, company=company)
    if request.method == "GET":
        return render(
            request,
            "accounts/membership_remove_confirm.html",
            {"company": company, "membership": membership, "is_self": membership.user_id == request.user.pk},
        )
    try:
        services.membership_remove(membership=membership)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("accounts:team", company_id=company.pk)
    if membership.user_id == request.user.pk:
        messages.success(request, elide_de(_("Vous ne faites plus partie de l'équipe de %s.") % company, company))
        return redirect(settings.LOGIN_REDIRECT_URL)
    messages.success(request, _("%(user)s ne fait plus partie de l'équipe.") % {"user": membership.user})
    return redirect("accounts:team", company_id=company.pk)


# --- The user's own preferences ---


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_preferences_update(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Vos préférences sont enregistrées."))
            # The page follows the language just chosen; its address carries it.
            return redirect(translate_url(reverse("accounts:preferences"), user.language))
    return render(request, "accounts/preferences.html", {"form": form})


# --- Self-registration ---


@limit_posts(REGISTRATION)
def company_register(request: HttpRequest) -> HttpResponse:
    form = CompanyRegistrationForm(request.POST) if request.method == "POST" else CompanyRegistrationForm()
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "password_confirmation"}
        try:
            # The registrant's e-mails follow the language they registered in.
            services.company_register(**data, language=request.LANGUAGE_CODE)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("accounts:register-done")
    return render(request, "accounts/register.html", {"form": form})


def company_register_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/register_done.html")
