import copy

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from measures.admin_pagination import LargeListAdminMixin
from measures.admin_review import declaration_admin_urls, declarations_approve_action, declarations_return_action
from measures.models import (
    Campaign,
    Declaration,
    DeclarationEvent,
    DeclarationMeasure,
    DeclarationRegion,
    Measure,
)
from measures.selectors import declaration_with_details
from measures.validation import declaration_figure_errors, measure_answer_errors, regional_line_errors
from members.admin import CachedChoicesMixin
from public.page_cache import PublicContentAdminMixin
from quality.admin_display import FlaggedChangeList, QualityFlagFilter, declaration_review_context, quality_badges
from spreadsheets.admin_mixins import DeclarationExportMixin
from spreadsheets.resources import DeclarationResource


def _passed_submission(declaration: Declaration) -> bool:
    """Submitted and approved declarations passed the submission rules: what the bulletins count
    must keep passing them."""
    return declaration.status in (Declaration.Status.SUBMITTED, Declaration.Status.APPROVED)


def _kept_regional_lines(formset: BaseInlineFormSet) -> list[DeclarationRegion]:
    return [
        form.instance
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.instance.region_id is not None
    ]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "period_start",
        "period_end",
        "due_on",
        "locks_on",
        "status",
        "declarations_draft",
        "declarations_submitted",
        "declarations_returned",
        "declarations_approved",
    )
    list_filter = ("status",)
    search_fields = ("title",)
    date_hierarchy = "period_start"
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("title", "status")}),
        (_("Dates"), {"fields": ("period_start", "period_end", "opens_on", "due_on", "locks_on")}),
        (_("Suivi"), {"fields": ("created_at", "updated_at")}),
    )
    readonly_fields = ("created_at", "updated_at")
    actions: list = []

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # A count per status in its own subquery, read from the (campaign, status) index for the
        # campaigns of the page only, rather than a join of every declaration ever received
        # grouped by campaign; the date hierarchy's queries, which leave these columns out, then
        # no longer touch the declarations at all.
        declarations = Declaration.objects.filter(campaign=OuterRef("pk")).order_by().values("campaign")
        by_status = {
            f"n_{status}": Coalesce(
                Subquery(declarations.filter(status=status).annotate(n=Count("*")).values("n")), Value(0)
            )
            for status in Declaration.Status.values
        }
        return super().get_queryset(request).annotate(**by_status)

    @admin.display(description=_("brouillons"), ordering="n_draft")
    def declarations_draft(self, campaign: Campaign) -> int:
        return campaign.n_draft

    @admin.display(description=_("soumises"), ordering="n_submitted")
    def declarations_submitted(self, campaign: Campaign) -> int:
        return campaign.n_submitted

    @admin.display(description=_("renvoyées"), ordering="n_returned")
    def declarations_returned(self, campaign: Campaign) -> int:
        return campaign.n_returned

    @admin.display(description=_("validées"), ordering="n_approved")
    def declarations_approved(self, campaign: Campaign) -> int:
        return campaign.n_approved


class LatenessFilter(admin.SimpleListFilter):
    title = _("ponctualité")
    parameter_name = "ponctualite"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("late", _("En retard")), ("on_time", _("À l'heure"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "late":
            return queryset.late()
        if self.value() == "on_time":
            return queryset.on_time()
        return queryset


class DeclarationRegionFormSet(BaseInlineFormSet):
    def get_unique_error_message(self, unique_check: tuple[str, ...]) -> str:
        # Django's message names the field ("region"); the portal's message says what is wrong.
        return gettext("Une région apparaît deux fois dans la répartition régionale.")

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        declaration = self.instance
        # A draft (or a declaration returned to its company) may be half-filled or inconsistent;
        # once submitted the breakdown was checked against the totals, and a correction by staff
        # must keep it consistent.
        if not _passed_submission(declaration):
            return
        errors = regional_line_errors(declaration, _kept_regional_lines(self))
        if errors:
            raise ValidationError([message for messages in errors.values() for message in messages])


class DeclarationRegionInline(CachedChoicesMixin, admin.TabularInline):
    model = DeclarationRegion
    formset = DeclarationRegionFormSet
    fields = ("region", "headcount", "on_site", "telework")
    cached_choice_fields = ("region",)
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("region")


class DeclarationEventInline(admin.TabularInline):
    """The review trail is written by the workflow services, never by hand."""

    model = DeclarationEvent
    fields = ("at", "action", "actor", "late", "comment")
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class DeclarationAdminForm(forms.ModelForm):
    # The version the page was loaded with: a save from a stale page must not overwrite the
    # member's (or a colleague's) newer figures.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Declaration
        # The admin passes the fields of its fieldsets.
        fields = ("headcount",)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self) -> dict:
        cleaned_data = super().clean()
        if self.instance.pk is not None:
            self._check_answers_against(cleaned_data.get("headcount"))
            # Locks the row until the admin's transaction ends, so two saves cannot both pass.
            current = (
                Declaration.objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if cleaned_data.get("loaded_version") != current:
                raise ValidationError(
                    _(
                        "Cette déclaration a été modifiée par quelqu'un d'autre depuis l'ouverture de cette page. "
                        "Rechargez-la : vos modifications n'ont pas été enregistrées."
                    ),
                    code="stale",
                )
        return cleaned_data

    def _post_clean(self) -> None:
        super()._post_clean()
        # The instance now holds the submitted figures: check how they fit together.
        if _passed_submission(self.instance):
            for field, messages in declaration_figure_errors(self.instance).items():
                self.add_error(field if field in self.fields else None, messages)

    def _check_answers_against(self, headcount: int | None) -> None:
        """A headcount corrected below the employees an answer concerns would contradict it."""
        corrected = copy.copy(self.instance)
        corrected.headcount = headcount
        for messages in measure_answer_errors(corrected, self.instance.measure_answers.all()).values():
            for message in messages:
                self.add_error("headcount", message)


@admin.register(Declaration)
class DeclarationAdmin(DeclarationExportMixin, LargeListAdminMixin, SimpleHistoryAdmin):
    form = DeclarationAdminForm
    resource_classes = [DeclarationResource]
    list_display = (
        "company",
        "campaign",
        "status",
        quality_badges,
        "segment",
        "headcount",
        "on_site",
        "telework",
        "submitted_at",
        "is_late",
    )
    list_filter = (
        "campaign",
        "status",
        "company__segment",
        "company__formality",
        "company__region",
        LatenessFilter,
        # Last: it computes the flags of whatever the other filters leave.
        QualityFlagFilter,
    )
    search_fields = ("company__trade_name", "company__ice")
    list_select_related = ("company", "campaign")
    list_per_page = 50
    # The order of the (campaign, company) unique index, newest campaigns first: a page of the
    # list is read from the index, where sorting by the campaigns' dates and the companies' names
    # sorted every declaration ever received.
    ordering = ("-campaign_id", "-company_id")
    autocomplete_fields = ("campaign", "company")
    fieldsets = (
        (None, {"fields": ("campaign", "company", "status", "version", "loaded_version")}),
        (
            _("Effectif"),
            {
                "fields": (
                    "headcount",
                    "on_site",
                    "telework",
                    "technical_unemployment",
                    "other_absence",
                    "headcount_change_confirmed",
                )
            },
        ),
        (_("Mouvements"), {"fields": ("hires", "separations", "dismissals")}),
        (
            _("Fonctions maintenues sur site"),
            {
                "fields": (
                    "keeps_technical_on_site",
                    "keeps_hr_on_site",
                    "keeps_support_on_site",
                    "keeps_production_on_site",
                )
            },
        ),
        (_("Activité"), {"fields": ("export_revenue", "activity_maintained_pct", "difficulties")}),
        (
            _("Suivi"),
            {
                "fields": (
                    ("submitted_at", "submitted_by", "is_late"),
                    ("returned_at", "returned_by"),
                    "return_comment",
                    ("approved_at", "approved_by"),
                    ("created_at", "updated_at"),
                )
            },
        ),
    )
    # The status changes only through the review actions, which write the trail and the e-mails.
    readonly_fields = (
        "status",
        "version",
        "submitted_at",
        "submitted_by",
        "is_late",
        "returned_at",
        "returned_by",
        "return_comment",
        "approved_at",
        "approved_by",
        "created_at",
        "updated_at",
    )
    # The measure answers are shown once, as the member sees them (in change_form.html), without a
    # widget each: twenty-two rows of them made most of the page's weight. An answer is the
    # member's statement; staff who disagree return the declaration.
    inlines = [DeclarationRegionInline, DeclarationEventInline]
    actions = [declarations_approve_action, declarations_return_action]
    # Shows the declaration as the member sees it, with the approve / return buttons.
    change_form_template = "admin/measures/declaration/change_form.html"

    class Media:
        css = {"all": ("css/admin-review.css",)}

    def get_urls(self) -> list:
        return [*declaration_admin_urls(self), *super().get_urls()]

    def get_changelist(self, request: HttpRequest, **kwargs) -> type:
        return FlaggedChangeList

    def render_change_form(
        self, request: HttpRequest, context: dict, add: bool = False, change: bool = False, form_url: str = "", obj=None
    ):
        if obj is not None and obj.pk is not None:
            # This week beside the previous declaration, and the quality flags explained.
            context.update(declaration_review_context(obj))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Declaration | None:
        # With what the page shows as the member sees it, and the people named in its trail.
        queryset = declaration_with_details(self.get_queryset(request))
        field = self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (Declaration.DoesNotExist, ValidationError, ValueError):
            return None

    def get_readonly_fields(self, request: HttpRequest, obj: Declaration | None = None) -> tuple[str, ...]:
        # A declaration never moves to another company or campaign: that would be another declaration.
        if obj is not None:
            return ("campaign", "company", *self.readonly_fields)
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Declaration, form: forms.ModelForm, change: bool) -> None:
        if change:
            obj.version = form.cleaned_data["loaded_version"] + 1
        super().save_model(request, obj, form, change)

    @admin.display(description=_("segment"), ordering="company__segment")
    def segment(self, declaration: Declaration) -> str:
        return declaration.company.get_segment_display()


class ReadOnlyAdminMixin:
    """Rows that belong to a declaration are edited on the declaration's page, where the totals
    are checked together; their own pages only list them and show their history."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# The lists of a declaration's rows run into the millions (twenty-two measure answers a
# declaration): each is read in the order of its unique index, latest declarations first.


@admin.register(DeclarationRegion)
class DeclarationRegionAdmin(ReadOnlyAdminMixin, LargeListAdminMixin, SimpleHistoryAdmin):
    list_display = ("declaration", "region", "headcount", "on_site", "telework")
    list_filter = ("declaration__campaign", "region")
    search_fields = ("declaration__company__trade_name", "declaration__company__ice")
    list_select_related = ("declaration__company", "declaration__campaign", "region")
    ordering = ("-declaration_id", "-region_id")
    actions: list = []


@admin.register(DeclarationMeasure)
class DeclarationMeasureAdmin(ReadOnlyAdminMixin, LargeListAdminMixin, SimpleHistoryAdmin):
    list_display = ("declaration", "measure", "status", "employees_concerned")
    list_filter = ("declaration__campaign", "measure__category", "status")
    search_fields = ("declaration__company__trade_name", "declaration__company__ice", "measure__name_fr")
    list_select_related = ("declaration__company", "declaration__campaign", "measure")
    ordering = ("-declaration_id", "-measure_id")
    actions: list = []


@admin.register(DeclarationEvent)
class DeclarationEventAdmin(ReadOnlyAdminMixin, LargeListAdminMixin, admin.ModelAdmin):
    list_display = ("at", "declaration", "action", "actor", "late")
    list_filter = ("action", "late", "declaration__campaign")
    search_fields = ("declaration__company__trade_name", "actor__email", "comment")
    list_select_related = ("declaration__company", "declaration__campaign", "actor")
    # Read from the index on the moment, latest first. No date hierarchy: listing the years it
    # offers reads every step ever recorded; the campaign filter says which week.
    ordering = ("-at", "-pk")
    actions: list = []


@admin.register(Measure)
class MeasureAdmin(PublicContentAdminMixin, admin.ModelAdmin):
    list_display = ("name_fr", "code", "category", "counts_employees", "order", "is_active")
    list_filter = ("category", "is_active", "counts_employees")
    list_editable = ("order", "is_active")
    search_fields = ("code", "name_fr", "name_ar", "name_en")
    ordering = ("category", "order", "code")
    actions: list = []
