"""The member's side: the dashboard and the declaration pages.

Every URL carrying an id answers 404 to a user of another company, as if the object did not
exist; staff are sent to the admin, where they review declarations.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from bulletins.selectors import member_sector_comparison
from measures.forms import DeclarationEntry, VersionForm
from measures.models import Campaign, Declaration
from measures.selectors import (
    company_region_ids,
    declaration_detail_prefetches,
    declaration_events_prefetch,
    declaration_form_choices,
    declaration_previous,
    declarations_for_member,
    member_companies,
    member_dashboard,
    member_declaration_history,
)
from measures.services import (
    DeclarationConflict,
    DeclarationError,
    declaration_edit_refusal,
    declaration_save_draft,
    declaration_start,
    declaration_start_blank,
    declaration_submit,
)
from members.models import Company
from portal.declaration_page import DeclarationPage, live_message_attrs
from portal.form_cache import FORM_BODY_SECONDS, form_body_key
from portal.page_cache import member_page
from portal.page_state import dashboard_state, declaration_state
from public.page_cache import publication_generation


def member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors log in first; staff are not members and go to the admin."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_staff:
            return redirect("admin:index")
        return view(request, *args, **kwargs)

    return wrapped


def _get_company_for_member(request: HttpRequest, raw_company_id: str | None) -> Company:
    companies = member_companies(request.user)
    if not raw_company_id:
        # A form without the field can only mean the user's one company.
        only = list(companies[:2])
        if len(only) != 1:
            raise Http404
        return only[0]
    if not raw_company_id.isdigit():
        raise Http404
    return get_object_or_404(companies, pk=int(raw_company_id))


def _get_declaration_for_member(request: HttpRequest, declaration_id: int, *, details: bool = True) -> Declaration:
    """Without details, the declaration's row and what its page's header shows: the form's
    kept body needs none of its lines or answers (see declaration_detail)."""
    declarations = declarations_for_member(request.user).select_related(
        "submitted_by", "returned_by", "approved_by", "prefilled_from__campaign"
    )
    if details:
        declarations = declarations.prefetch_related(*declaration_detail_prefetches())
    return get_object_or_404(declarations, pk=declaration_id)


@member_required
@member_page(dashboard_state)
def dashboard(request: HttpRequest) -> HttpResponse:
    board = member_dashboard(request.user)
    # Only the user's own companies: their private figures never reach another company's users.
    companies = [entry.company for entry in board.companies]
    # The panel is kept rendered for these companies until the next publication (see the
    # template): the comparison is computed only when it is not.
    comparison = SimpleLazyObject(lambda: member_sector_comparison(companies=companies))
    return render(
        request,
        "portal/dashboard.html",
        {
            "board": board,
            "sector_comparison": comparison,
            "sector_comparison_version": f"{publication_generation()}:{','.join(str(c.pk) for c in companies)}",
        },
    )


# A year of weekly campaigns on two pages.
HISTORY_PAGE_SIZE = 26


@member_required
def declaration_history(request: HttpRequest) -> HttpResponse:
    """Every declaration of the member's companies; the dashboard shows only the last weeks."""
    page = Paginator(member_declaration_history(request.user), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    several = member_companies(request.user)[1:2].exists()
    return render(request, "portal/declaration_history.html", {"page": page, "several_companies": several})


@member_required
@require_POST
def declaration_start_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.exclude(status=Campaign.Status.DRAFT), pk=campaign_id)
    company = _get_company_for_member(request, request.POST.get("company"))
    try:
        declaration = declaration_start(campaign=campaign, company=company, user=request.user)
    except DeclarationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("portal:dashboard")
    return redirect("portal:declaration-detail", declaration_id=declaration.pk)


def _entry_inputs(declaration: Declaration, *, previous: Declaration | None) -> dict:
    regions, measures = declaration_form_choices()
    return {
        "declaration": declaration,
        "regions": regions,
        "measures": measures,
        "site_region_ids": company_region_ids(declaration.company),
        "previous": previous,
    }


def _entry(request: HttpRequest, declaration: Declaration, *, previous: Declaration | None) -> DeclarationEntry:
    return DeclarationEntry(
        **_entry_inputs(declaration, previous=previous), data=request.POST if request.method == "POST" else None
    )


def _form_body(entry: DeclarationEntry) -> str:
    """The form's sections, summaries and buttons; the CSRF token stays outside (portal.form_cache)."""
    return render_to_string(
        "portal/_declaration_form_body.html",
        {"declaration": entry.declaration, "entry": entry, "page": DeclarationPage(entry)},
    )


def _blank_form_body(declaration: Declaration) -> str:
    """The unbound form as the declaration stands, rendered only when no copy is kept."""
    inputs = _entry_inputs(declaration, previous=declaration_previous(declaration))
    key = form_body_key(**inputs)
    body = cache.get(key)
    if body is None:
        prefetch_related_objects([declaration], *declaration_detail_prefetches())
        entry = DeclarationEntry(**inputs)
        entry.check()
        body = _form_body(entry)
        cache.set(key, body, FORM_BODY_SECONDS)
    return body


def _form_page(request: HttpRequest, declaration: Declaration, body: str, *, bound: bool) -> HttpResponse:
    return render(
        request,
        "portal/declaration_form.html",
        {
            "declaration": declaration,
            # Rendered by the template above, which escaped what it shows.
            "form_body": mark_safe(body),
            "bound": bound,
            "live_message_attrs": live_message_attrs(),
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
@member_page(declaration_state)
def declaration_detail(request: HttpRequest, declaration_id: int) -> HttpResponse:
    declaration = _get_declaration_for_member(request, declaration_id, details=request.method == "POST")
    refusal = declaration_edit_refusal(declaration)
    if refusal is not None:
        if request.method == "POST":
            # A second click on "Soumettre" reaches a declaration the first click just submitted:
            # the first answer already said so.
            if not _repeats_own_submission(request, declaration):
                messages.error(request, refusal)
            return redirect("portal:declaration-detail", declaration_id=declaration.pk)
        prefetch_related_objects([declaration], *declaration_detail_prefetches())
        return render(
            request,
            "portal/declaration_detail.html",
            {"declaration": declaration, "read_only_reason": _read_only_note(declaration, refusal)},
        )
    if request.method == "GET":
        prefetch_related_objects([declaration], declaration_events_prefetch())
        return _form_page(request, declaration, _blank_form_body(declaration), bound=False)

    entry = _entry(request, declaration, previous=declaration_previous(declaration))
    if entry.is_valid():
        try:
            if entry.submitting:
                saved = declaration_submit(
                    declaration=declaration,
                    user=request.user,
                    confirm_warnings=entry.confirm_warnings,
                    **entry.service_kwargs(),
                )
            else:
                saved = declaration_save_draft(declaration=declaration, user=request.user, **entry.service_kwargs())
        except DeclarationConflict as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("portal:declaration-detail", declaration_id=declaration.pk)
        except DeclarationError as exc:
            entry.add_refusal(exc)
        else:
            messages.success(request, _success_message(saved, submitted=entry.submitting))
            return redirect("portal:declaration-detail", declaration_id=declaration.pk)
    entry.check()
    return _form_page(request, declaration, _form_body(entry), bound=True)


@member_required
@require_POST
def declaration_autosave(request: HttpRequest, declaration_id: int) -> JsonResponse:
    """The page's background save of a draft: the same service as "Enregistrer le brouillon",
    answered in JSON for the page's script. A stale version is refused like any other save."""
    declaration = _get_declaration_for_member(request, declaration_id)
    refusal = declaration_edit_refusal(declaration)
    if refusal is not None:
        return _autosave_refused(_("%(reason)s Rechargez la page.") % {"reason": refusal}, status=409)
    # Nothing to confirm in a draft: the headcount warning, which needs the previous
    # declaration, waits for the page or the submission.
    entry = _entry(request, declaration, previous=None)
    if entry.is_valid():
        try:
            saved = declaration_save_draft(declaration=declaration, user=request.user, **entry.service_kwargs())
        except DeclarationConflict as exc:
            return _autosave_refused(_autosave_conflict_message(exc), status=409)
        except DeclarationError as exc:
            entry.add_refusal(exc)
        else:
            saved_at = date_format(timezone.localtime(saved.updated_at), "TIME_FORMAT")
            return JsonResponse(
                {
                    "saved": True,
                    "version": saved.version,
                    "message": _("Brouillon enregistré automatiquement à %(time)s.") % {"time": saved_at},
                }
            )
    errors = DeclarationPage(entry).errors
    return JsonResponse(
        {
            "saved": False,
            "message": ngettext(
                "Brouillon non enregistré : %(count)s saisie à corriger (%(first)s). Vos saisies restent dans la page.",
                "Brouillon non enregistré : %(count)s saisies à corriger (d'abord %(first)s). Vos saisies restent "
                "dans la page.",
                len(errors),
            )
            % {"count": len(errors), "first": errors[0].text if errors else ""},
            "errors": [{"message": issue.text, "target": issue.target} for issue in errors],
        },
        status=400,
    )


def _autosave_refused(message: str, *, status: int) -> JsonResponse:
    return JsonResponse({"saved": False, "conflict": True, "message": message}, status=status)


def _autosave_conflict_message(exc: DeclarationConflict) -> str:
    if getattr(exc, "code", None) == "stale_version":
        return _(
            "Cette déclaration a été modifiée ailleurs (par un collègue ou dans un autre onglet) : l'enregistrement "
            "automatique est arrêté et vos dernières saisies ne sont pas enregistrées. Rechargez la page pour voir "
            "la version à jour, puis reportez-y vos changements."
        )
    return _("%(reason)s Rechargez la page.") % {"reason": " ".join(exc.messages)}


@member_required
@require_POST
def declaration_start_blank_view(request: HttpRequest, declaration_id: int) -> HttpResponse:
    declaration = _get_declaration_for_member(request, declaration_id)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Le formulaire est incomplet ou a été altéré : rechargez la page."))
        return redirect("portal:declaration-detail", declaration_id=declaration.pk)
    try:
        declaration_start_blank(
            declaration=declaration, user=request.user, expected_version=form.cleaned_data["version"]
        )
    except DeclarationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "Formulaire vidé : saisissez les chiffres de la période. Les chiffres effacés restent dans "
                "l'historique de la déclaration."
            ),
        )
    return redirect("portal:declaration-detail", declaration_id=declaration.pk)


def _repeats_own_submission(request: HttpRequest, declaration: Declaration) -> bool:
    return (
        request.POST.get("action") == "submit"
        and declaration.status == Declaration.Status.SUBMITTED
        and declaration.submitted_by_id == request.user.pk
        and request.POST.get("version") == str(declaration.version - 1)
    )


def _read_only_note(declaration: Declaration, refusal: str) -> str:
    """Why the page is read-only, said as a state rather than as a refusal when the member
    just submitted."""
    if declaration.status == Declaration.Status.SUBMITTED and declaration.submitted_at:
        return _(
            "Soumise le %(date)s : l'association la vérifie. Elle n'est plus modifiable, sauf si l'association "
            "vous la renvoie pour correction."
        ) % {"date": date_format(timezone.localtime(declaration.submitted_at), "DATETIME_FORMAT")}
    return refusal


def _success_message(declaration: Declaration, *, submitted: bool) -> str:
    if not submitted:
        return _("Brouillon enregistré. Vous pourrez le compléter jusqu'au %(date)s.") % {
            "date": date_format(declaration.campaign.locks_on, "SHORT_DATE_FORMAT")
        }
    if declaration.is_late:
        return _(
            "Déclaration soumise, après la date limite : elle est enregistrée comme reçue en retard. "
            "L'association va la vérifier."
        )
    return _("Déclaration soumise. Merci ! L'association va la vérifier.")
