"""Staff's review of declarations in the admin: approve, or return with a comment, one at a
time from the change page or in bulk from the list. Every path goes through measures.services,
which writes the review trail and e-mails the company."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from measures.forms import DeclarationReturnForm
from measures.models import Declaration
from measures.services import DeclarationError, declaration_approve, declaration_return, declarations_approve

RETURN_TEMPLATE = "admin/action_form.html"


@admin.action(description=gettext_lazy("Valider les déclarations sélectionnées"), permissions=["change"])
def declarations_approve_action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    selected = queryset.count()
    approved = declarations_approve(queryset=queryset, user=request.user)
    if approved:
        modeladmin.message_user(
            request,
            ngettext("%(count)d déclaration validée.", "%(count)d déclarations validées.", approved)
            % {"count": approved},
            messages.SUCCESS,
        )
    if selected > approved:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d déclaration laissée telle quelle : seule une déclaration soumise peut être validée.",
                "%(count)d déclarations laissées telles quelles : seule une déclaration soumise peut être validée.",
                selected - approved,
            )
            % {"count": selected - approved},
            messages.WARNING,
        )


@admin.action(description=gettext_lazy("Renvoyer pour correction"), permissions=["change"])
def declarations_return_action(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> HttpResponse | None:
    declarations = list(queryset.select_related("company", "campaign"))
    applying = "apply" in request.POST
    form = DeclarationReturnForm(request.POST if applying else None)
    if applying and form.is_valid():
        returned, refused = 0, []
        for declaration in declarations:
            try:
                declaration_return(declaration=declaration, user=request.user, comment=form.cleaned_data["comment"])
            except DeclarationError as exc:
                refused.append(f"{declaration} : {' '.join(exc.messages)}")
            else:
                returned += 1
        if returned:
            modeladmin.message_user(
                request,
                ngettext(
                    "%(count)d déclaration renvoyée pour correction ; l'entreprise est prévenue par e-mail.",
                    "%(count)d déclarations renvoyées pour correction ; les entreprises sont prévenues par e-mail.",
                    returned,
                )
                % {"count": returned},
                messages.SUCCESS,
            )
        for problem in refused:
            modeladmin.message_user(request, problem, messages.WARNING)
        return None
    return _render_return_form(
        modeladmin, request, form=form, declarations=declarations, action="declarations_return_action"
    )


def declaration_admin_urls(modeladmin: admin.ModelAdmin) -> list[URLPattern]:
    """URLs to put before the ModelAdmin's own, whose `<object_id>/` would swallow them."""

    def approve(request: HttpRequest, object_id: str) -> HttpResponse:
        return declaration_approve_view(modeladmin, request, object_id)

    def return_(request: HttpRequest, object_id: str) -> HttpResponse:
        return declaration_return_view(modeladmin, request, object_id)

    return [
        path(
            "<path:object_id>/valider/", modeladmin.admin_site.admin_view(approve), name="measures_declaration_approve"
        ),
        path(
            "<path:object_id>/renvoyer/", modeladmin.admin_site.admin_view(return_), name="measures_declaration_return"
        ),
    ]


def declaration_approve_view(modeladmin: admin.ModelAdmin, request: HttpRequest, object_id: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    declaration = _get_declaration_for_review(modeladmin, request, object_id)
    try:
        declaration_approve(declaration=declaration, user=request.user)
    except DeclarationError as exc:
        modeladmin.message_user(request, " ".join(exc.messages), messages.ERROR)
    else:
        modeladmin.message_user(
            request, _("Déclaration validée ; l'entreprise est prévenue par e-mail."), messages.SUCCESS
        )
    return redirect(_change_url(declaration))


def declaration_return_view(modeladmin: admin.ModelAdmin, request: HttpRequest, object_id: str) -> HttpResponse:
    declaration = _get_declaration_for_review(modeladmin, request, object_id)
    form = DeclarationReturnForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            declaration_return(declaration=declaration, user=request.user, comment=form.cleaned_data["comment"])
        except DeclarationError as exc:
            modeladmin.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            modeladmin.message_user(
                request,
                _("Déclaration renvoyée pour correction ; l'entreprise est prévenue par e-mail."),
                messages.SUCCESS,
            )
        return redirect(_change_url(declaration))
    return _render_return_form(modeladmin, request, form=form, declarations=[declaration], action=None)


def _get_declaration_for_review(modeladmin: admin.ModelAdmin, request: HttpRequest, object_id: str) -> Declaration:
    declaration = modeladmin.get_object(request, unquote(object_id))
    if declaration is None:
        raise Http404
    if not modeladmin.has_change_permission(request, declaration):
        raise PermissionDenied
    return declaration


def _change_url(declaration: Declaration) -> str:
    return reverse("admin:measures_declaration_change", args=[declaration.pk])


def _render_return_form(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    form: DeclarationReturnForm,
    declarations: list[Declaration],
    action: str | None,
) -> TemplateResponse:
    return TemplateResponse(
        request,
        RETURN_TEMPLATE,
        {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.model._meta,
            "title": _("Renvoyer pour correction"),
            "intro": ngettext(
                "Cette déclaration sera renvoyée à son entreprise, qui pourra la corriger et la soumettre de nouveau :",
                "Ces déclarations seront renvoyées à leurs entreprises, qui pourront les corriger et les soumettre "
                "de nouveau (celles qui ne sont pas soumises seront laissées telles quelles) :",
                len(declarations),
            ),
            "items": [(d.pk, f"{d} – {d.get_status_display()}") for d in declarations],
            "submit_label": _("Renvoyer pour correction"),
            "apply_field": "apply",
            "form": form,
            "original": declarations[0] if len(declarations) == 1 and action is None else None,
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )
