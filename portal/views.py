"""The member's side: the dashboard and the declaration pages.

Every URL carrying an id answers 404 to a user of another company, as if the object did not
exist; staff are sent to the admin, where they review declarations.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bulletins.selectors import member_sector_comparison
from measures.forms import DeclarationEntry
from measures.models import Campaign, Declaration
from measures.selectors import (
    company_region_ids,
    declaration_form_choices,
    declaration_with_details,
    declarations_for_member,
    member_companies,
    member_dashboard,
)
from measures.services import (
    DeclarationConflict,
    DeclarationError,
    DeclarationNeedsConfirmation,
    declaration_edit_refusal,
    declaration_save_draft,
    declaration_start,
    declaration_submit,
)
from members.models import Company
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


def _get_declaration_for_member(request: HttpRequest, declaration_id: int) -> Declaration:
    return get_object_or_404(declaration_with_details(declarations_for_member(request.user)), pk=declaration_id)


@member_required
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


@member_required
@require_http_methods(["GET", "POST"])
def declaration_detail(request: HttpRequest, declaration_id: int) -> HttpResponse:
    declaration = _get_declaration_for_member(request, declaration_id)
    refusal = declaration_edit_refusal(declaration)
    if refusal is not None:
        if request.method == "POST":
            messages.error(request, refusal)
            return redirect("portal:declaration-detail", declaration_id=declaration.pk)
        return render(
            request, "portal/declaration_detail.html", {"declaration": declaration, "read_only_reason": refusal}
        )

    def build_entry() -> DeclarationEntry:
        regions, measures = declaration_form_choices()
        return DeclarationEntry(
            declaration=declaration,
            regions=regions,
            measures=measures,
            site_region_ids=company_region_ids(declaration.company),
            data=request.POST if request.method == "POST" else None,
        )

    # A blank form (GET) is kept rendered for this version of the declaration (see the template):
    # the form and its choices are built only when it is not.
    entry = SimpleLazyObject(build_entry) if request.method == "GET" else build_entry()
    warnings: list[str] = []
    if request.method == "POST":
        submitting = request.POST.get("action") == "submit"
        if entry.is_valid():
            try:
                if submitting:
                    saved = declaration_submit(
                        declaration=declaration,
                        user=request.user,
                        confirm_warnings=entry.confirm_warnings,
                        **entry.service_kwargs(),
                    )
                else:
                    saved = declaration_save_draft(declaration=declaration, user=request.user, **entry.service_kwargs())
            except DeclarationNeedsConfirmation as exc:
                warnings = exc.warnings
            except DeclarationConflict as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("portal:declaration-detail", declaration_id=declaration.pk)
            except DeclarationError as exc:
                entry.add_errors(exc)
            else:
                messages.success(request, _success_message(saved, submitted=submitting))
                return redirect("portal:declaration-detail", declaration_id=declaration.pk)
        if warnings:
            messages.warning(request, _("Vérifiez les points signalés et confirmez-les pour soumettre."))
        else:
            messages.error(request, _("Rien n'a été enregistré : corrigez les erreurs signalées ci-dessous."))
    return render(
        request,
        "portal/declaration_form.html",
        {
            "declaration": declaration,
            "entry": entry,
            "is_bound": request.method == "POST",
            "warnings": warnings,
            # The catalogue's names and the publication generation move together (staff edits).
            "form_version": f"{declaration.pk}:{declaration.version}:{publication_generation()}",
        },
    )


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
