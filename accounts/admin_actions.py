"""Staff tools on companies that belong to accounts: inviting a contact, and approving or
rejecting a self-registration. members.admin.CompanyAdmin wires them in (actions, get_urls)."""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.forms import InvitationForm, add_service_errors
from accounts.services import company_registration_approve, company_registration_reject, invitation_send
from members.models import Company
from security.rate_limits import INVITATION_SEND, ensure_within_limit

ACTION_FORM_TEMPLATE = "admin/action_form.html"
# Present only when the intermediate page is submitted, not when the changelist first runs the action.
APPLY_FIELD = "apply"


class RegistrationRejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Motif communiqué au contact"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=gettext_lazy("Facultatif. Il figurera dans l'e-mail envoyé au contact de l'entreprise."),
    )


def _render_action_form(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    form: forms.Form,
    companies: QuerySet | list,
    title: str,
    intro: str,
    submit_label: str,
    action: str = "",
    company: Company | None = None,
) -> TemplateResponse:
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": title,
        "intro": intro,
        "submit_label": submit_label,
        "form": form,
        "items": [(item.pk, str(item)) for item in companies],
        "original": company,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "apply_field": APPLY_FIELD,
    }
    return TemplateResponse(request, ACTION_FORM_TEMPLATE, context)


@admin.action(description=gettext_lazy("Inviter un contact…"), permissions=["change"])
def company_invite_contact(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> HttpResponse | None:
    applying = APPLY_FIELD in request.POST
    if applying:
        ensure_within_limit(request, INVITATION_SEND)
    form = InvitationForm(request.POST) if applying else InvitationForm()
    if applying and form.is_valid():
        sent, refused = 0, []
        for company in queryset:
            try:
                invitation_send(company=company, invited_by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                refused.append(f"{company} : {' '.join(exc.messages)}")
            else:
                sent += 1
        if sent:
            modeladmin.message_user(
                request,
                ngettext(
                    "Invitation envoyée à %(email)s pour %(count)d entreprise.",
                    "Invitations envoyées à %(email)s pour %(count)d entreprises.",
                    sent,
                )
                % {"email": form.cleaned_data["email"], "count": sent},
                messages.SUCCESS,
            )
        for problem in refused:
            modeladmin.message_user(request, problem, messages.ERROR)
        return None
    return _render_action_form(
        modeladmin,
        request,
        form=form,
        companies=queryset,
        title=_("Inviter un contact"),
        intro=_("La personne recevra un lien à usage unique pour rejoindre chacune de ces entreprises :"),
        submit_label=_("Envoyer l'invitation"),
        action="company_invite_contact",
    )


def company_invite_view(modeladmin: admin.ModelAdmin, request: HttpRequest, object_id: str) -> HttpResponse:
    """The same invitation form, for one company, reached from its change page."""
    company = modeladmin.get_object(request, unquote(object_id))
    if company is None:
        raise Http404
    if not modeladmin.has_change_permission(request, company):
        raise PermissionDenied
    if request.method == "POST":
        ensure_within_limit(request, INVITATION_SEND)
    form = InvitationForm(request.POST) if request.method == "POST" else InvitationForm()
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_send(company=company, invited_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            modeladmin.message_user(
                request,
                _("Invitation envoyée à %(email)s pour %(company)s.") % {"email": invitation.email, "company": company},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:members_company_change", args=[company.pk]))
    return _render_action_form(
        modeladmin,
        request,
        form=form,
        companies=[company],
        company=company,
        title=_("Inviter un contact"),
        intro=_("La personne recevra un lien à usage unique pour rejoindre cette entreprise :"),
        submit_label=_("Envoyer l'invitation"),
    )


def company_admin_urls(modeladmin: admin.ModelAdmin) -> list[URLPattern]:
    """URLs to put before the ModelAdmin's own, whose `<object_id>/` would swallow them."""

    def invite(request: HttpRequest, object_id: str) -> HttpResponse:
        return company_invite_view(modeladmin, request, object_id)

    return [
        path(
            "<path:object_id>/inviter/",
            modeladmin.admin_site.admin_view(invite),
            name="members_company_invite",
        ),
    ]


def _apply_to_each(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    service: Callable[[Company], Company],
    done_message: Callable[[int], str],
) -> None:
    done, refused = 0, []
    for company in queryset:
        try:
            service(company)
        except ValidationError as exc:
            refused.append(" ".join(exc.messages))
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message(done), messages.SUCCESS)
    for problem in refused:
        modeladmin.message_user(request, problem, messages.WARNING)


@admin.action(
    description=gettext_lazy("Valider les inscriptions sélectionnées (active les comptes, e-mail de bienvenue)"),
    permissions=["change"],
)
def company_registration_approve_action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    _apply_to_each(
        modeladmin,
        request,
        queryset,
        lambda company: company_registration_approve(company=company, user=request.user),
        lambda count: (
            ngettext(
                "%(count)d inscription validée : ses contacts peuvent se connecter.",
                "%(count)d inscriptions validées : leurs contacts peuvent se connecter.",
                count,
            )
            % {"count": count}
        ),
    )


@admin.action(description=gettext_lazy("Refuser les inscriptions sélectionnées…"), permissions=["change"])
def company_registration_reject_action(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> HttpResponse | None:
    applying = APPLY_FIELD in request.POST
    form = RegistrationRejectForm(request.POST) if applying else RegistrationRejectForm()
    if applying and form.is_valid():
        reason = form.cleaned_data["reason"]
        _apply_to_each(
            modeladmin,
            request,
            queryset,
            lambda company: company_registration_reject(company=company, user=request.user, reason=reason),
            lambda count: (
                ngettext(
                    "%(count)d inscription refusée ; le contact en est informé par e-mail.",
                    "%(count)d inscriptions refusées ; les contacts en sont informés par e-mail.",
                    count,
                )
                % {"count": count}
            ),
        )
        return None
    return _render_action_form(
        modeladmin,
        request,
        form=form,
        companies=queryset,
        title=_("Refuser des inscriptions"),
        intro=_("Les inscriptions de ces entreprises seront refusées et leurs contacts prévenus par e-mail :"),
        submit_label=_("Refuser les inscriptions"),
        action="company_registration_reject_action",
    )
