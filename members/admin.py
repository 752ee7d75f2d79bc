from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Field, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from stdnum.ma import ice as stdnum_ice

from accounts.admin_actions import (
    company_admin_urls,
    company_invite_contact,
    company_registration_approve_action,
    company_registration_reject_action,
)
from amrc.lib.admin_translations import TranslationFieldsAdminMixin
from members.models import Company, CompanyMembership, CompanyMessage, Region, SectorFigure, Site
from members.services import company_verify_formality
from public.page_cache import PublicContentAdminMixin
from spreadsheets.admin_mixins import RegistryImportExportMixin
from spreadsheets.resources import CompanyResource


class CachedChoicesMixin:
    """Give every row of an inline the same list of choices for `cached_choice_fields`.

    A <select> of a foreign key reads its table each time it is rendered, so an inline of
    thirty rows would read the regions thirty times; the list is built once per request.
    """

    cached_choice_fields: tuple[str, ...] = ()

    def formfield_for_foreignkey(self, db_field: Field, request: HttpRequest, **kwargs) -> forms.Field | None:
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and db_field.name in self.cached_choice_fields:
            cache = request.__dict__.setdefault("_admin_choices_cache", {})
            key = (db_field.model._meta.label, db_field.name)
            if key not in cache:
                cache[key] = list(formfield.choices)
            formfield.choices = cache[key]
        return formfield


class CompanyAdminForm(forms.ModelForm):
    # Wider than the model field so that an ICE pasted with spaces reaches clean_ice.
    ice = forms.CharField(
        label=_("ICE"),
        max_length=30,
        required=False,
        help_text=_("Identifiant Commun de l'Entreprise : 15 chiffres."),
    )

    class Meta:
        model = Company
        # The admin passes the fields of its fieldsets.
        fields = ("ice",)

    def clean_ice(self) -> str:
        return stdnum_ice.compact(self.cleaned_data["ice"]) if self.cleaned_data["ice"] else ""


class SiteInline(CachedChoicesMixin, admin.TabularInline):
    model = Site
    fields = ("name", "city", "region", "workstations")
    cached_choice_fields = ("region",)
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("company", "region")


class CompanyMembershipInline(admin.TabularInline):
    """Contacts join a company through an invitation (or the rattachements list, where users can
    be searched); here staff change a role or detach someone."""

    model = CompanyMembership
    fk_name = "company"
    fields = ("user", "role", "created_at")
    readonly_fields = ("user", "created_at")
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("user", "company")


@admin.register(Company)
class CompanyAdmin(RegistryImportExportMixin, SimpleHistoryAdmin):
    form = CompanyAdminForm
    resource_classes = [CompanyResource]
    list_display = (
        "trade_name",
        "ice",
        "segment",
        "formality",
        "region",
        "registered_headcount",
        "registration_status",
        "is_active",
    )
    list_filter = ("segment", "formality", "region", "registration_status", "is_active")
    search_fields = ("trade_name", "legal_name", "ice", "rc_number", "cnss_number")
    list_select_related = ("region",)
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("trade_name", "legal_name", "segment", "registered_headcount", "is_active")}),
        (_("Identifiants"), {"fields": ("ice", "rc_number", "cnss_number")}),
        (_("Siège"), {"fields": ("city", "region")}),
        (_("Formalité"), {"fields": ("formality", "formality_verified_by", "formality_verified_at")}),
        (
            _("Inscription"),
            {"fields": ("registration_status", "registration_approved_by", "registration_approved_at")},
        ),
        (_("Suivi"), {"fields": ("created_at", "updated_at")}),
    )
    readonly_fields = (
        "created_at",
        "updated_at",
        "formality_verified_by",
        "formality_verified_at",
        "registration_approved_by",
        "registration_approved_at",
    )
    inlines = [SiteInline, CompanyMembershipInline]
    actions = [
        "mark_formal",
        "mark_informal",
        company_invite_contact,
        company_registration_approve_action,
        company_registration_reject_action,
    ]

    def get_urls(self) -> list:
        # The invitation page of one company (button on its change page) comes from accounts.
        return [*company_admin_urls(self), *super().get_urls()]

    def save_model(self, request: HttpRequest, obj: Company, form: forms.ModelForm, change: bool) -> None:
        # A formality changed by hand is a verification too: keep who made it and when.
        if "formality" in form.changed_data:
            company_verify_formality(company=obj, user=request.user, formality=obj.formality)
        else:
            super().save_model(request, obj, form, change)

    @admin.action(description=_("Marquer comme formelle (justificatifs vérifiés)"), permissions=["change"])
    def mark_formal(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._verify_formality(request, queryset, Company.Formality.FORMAL)

    @admin.action(description=_("Marquer comme informelle"), permissions=["change"])
    def mark_informal(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._verify_formality(request, queryset, Company.Formality.INFORMAL)

    def _verify_formality(self, request: HttpRequest, queryset: QuerySet, formality: str) -> None:
        done, refused = 0, []
        for company in queryset:
            try:
                company_verify_formality(company=company, user=request.user, formality=formality)
            except ValidationError:
                # An older record may break a rule added since; it is reported, not half-saved.
                refused.append(company.trade_name)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d entreprise mise à jour.",
                    "%(count)d entreprises mises à jour.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                _("Fiche incomplète ou invalide, à corriger d'abord : %(names)s.") % {"names": ", ".join(refused)},
                messages.ERROR,
            )


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """The 12 regions come from a data migration; their codes are referenced everywhere."""

    list_display = ("code", "name_fr", "name_ar")
    search_fields = ("code", "name_fr", "name_ar")
    actions: list = []

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False


@admin.register(Site)
class SiteAdmin(SimpleHistoryAdmin):
    list_display = ("name", "company", "city", "region", "workstations")
    list_filter = ("region",)
    search_fields = ("name", "city", "company__trade_name", "company__ice")
    list_select_related = ("company", "region")
    autocomplete_fields = ("company",)
    actions: list = []


@admin.register(CompanyMembership)
class CompanyMembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "company", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "user__full_name", "company__trade_name", "company__ice")
    list_select_related = ("user", "company")
    autocomplete_fields = ("user", "company")
    readonly_fields = ("created_at",)
    actions: list = []


@admin.register(SectorFigure)
class SectorFigureAdmin(PublicContentAdminMixin, TranslationFieldsAdminMixin, admin.ModelAdmin):
    list_display = ("label", "value", "unit", "year", "source", "order")
    list_editable = ("order",)
    search_fields = ("key", "label", "label_ar", "label_en", "source")
    fieldsets = [
        (None, {"fields": ("key", "label", "value", "is_lower_bound", "unit", "year", "source", "order")}),
        (_("En arabe"), {"fields": ("label_ar", "unit_ar")}),
        (_("En anglais"), {"fields": ("label_en", "unit_en")}),
    ]
    actions: list = []


@admin.register(CompanyMessage)
class CompanyMessageAdmin(admin.ModelAdmin):
    list_display = ("subject", "recipient", "created_by", "created_at")
    list_filter = (("company", admin.EmptyFieldListFilter),)
    search_fields = ("subject", "body", "company__trade_name")
    list_select_related = ("company", "created_by")
    autocomplete_fields = ("company",)
    fields = ("company", "subject", "body", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")
    date_hierarchy = "created_at"
    actions: list = []

    def save_model(self, request: HttpRequest, obj: CompanyMessage, form: forms.ModelForm, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("destinataire"), ordering="company__trade_name")
    def recipient(self, message: CompanyMessage) -> str:
        return message.company.trade_name if message.company else _("Toutes les entreprises")
