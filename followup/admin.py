from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from followup import admin_views
from followup.models import CampaignFollowUp, CampaignSchedule, Reminder, ReminderBatch, ScheduledCampaign, StaffDigest
from followup.selectors import campaigns_awaiting_bulletin, campaigns_with_response, expected_companies
from followup.services import reminder_batch_create

ACTION_FORM_TEMPLATE = "admin/action_form.html"


class BulletinStateFilter(admin.SimpleListFilter):
    title = _("bulletin")
    parameter_name = "bulletin"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("a_publier", _("À rédiger ou à publier")), ("publie", _("Publié"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "a_publier":
            return campaigns_awaiting_bulletin(queryset)
        if self.value() == "publie":
            return queryset.filter(bulletin__status="published")
        return queryset


class _NoConfirmationForm(forms.Form):
    """The reminder action asks for nothing but a confirmation."""


@admin.action(description=_("Relancer les non-répondants des campagnes sélectionnées…"), permissions=["send"])
def remind_non_respondents(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> HttpResponse | None:
    campaigns = list(queryset.order_by("due_on", "pk"))
    if "apply" not in request.POST:
        return TemplateResponse(
            request,
            ACTION_FORM_TEMPLATE,
            {
                **modeladmin.admin_site.each_context(request),
                "opts": modeladmin.model._meta,
                "title": _("Relancer les non-répondants"),
                "intro": _(
                    "Chaque entreprise qui n'a pas encore déclaré recevra un rappel (sauf si elle a été relancée "
                    "il y a moins de 24 heures), dans la langue de chacun de ses contacts :"
                ),
                "items": [(campaign.pk, str(campaign)) for campaign in campaigns],
                "submit_label": _("Envoyer les rappels"),
                "form": _NoConfirmationForm(),
                "action": "remind_non_respondents",
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "apply_field": "apply",
            },
        )
    batches = []
    for campaign in campaigns:
        try:
            batches.append(reminder_batch_create(campaign=campaign, requested_by=request.user))
        except ValidationError as exc:
            modeladmin.message_user(request, " ".join(exc.messages), messages.WARNING)
    if not batches:
        return None
    modeladmin.message_user(
        request,
        ngettext(
            "Envoi de rappels lancé pour %(count)d campagne.",
            "Envois de rappels lancés pour %(count)d campagnes.",
            len(batches),
        )
        % {"count": len(batches)},
        messages.SUCCESS,
    )
    if len(batches) == 1:
        return HttpResponseRedirect(reverse("admin:followup_reminderbatch_change", args=[batches[0].pk]))
    return HttpResponseRedirect(reverse("admin:followup_reminderbatch_changelist"))


@admin.register(CampaignFollowUp)
class CampaignFollowUpAdmin(admin.ModelAdmin):
    """The campaigns with their response; a campaign's page is its follow-up."""

    list_display = ("title", "status", "period_start", "due_on", "locks_on", "response", "approved", "late", "reminded")
    list_display_links = ("title",)
    list_filter = ("status", BulletinStateFilter)
    search_fields = ("title",)
    date_hierarchy = "period_start"
    actions = [remind_non_respondents]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # A subquery, not a join: joined batches would multiply the declarations counted.
        last_batch = ReminderBatch.objects.filter(campaign=OuterRef("pk")).order_by("-created_at")
        return campaigns_with_response(super().get_queryset(request)).annotate(
            n_expected=expected_companies(), last_reminded_at=Subquery(last_batch.values("created_at")[:1])
        )

    def get_urls(self) -> list[URLPattern]:
        def wrap(view):
            def bound(request: HttpRequest, object_id: str) -> HttpResponse:
                return view(self, request, object_id)

            return self.admin_site.admin_view(bound)

        return [
            path(
                "<path:object_id>/non-repondants.csv",
                wrap(admin_views.export_csv_view),
                name="followup_campaignfollowup_csv",
            ),
            path(
                "<path:object_id>/suivi.xlsx", wrap(admin_views.export_xlsx_view), name="followup_campaignfollowup_xlsx"
            ),
            path("<path:object_id>/relancer/", wrap(admin_views.remind_view), name="followup_campaignfollowup_remind"),
            *super().get_urls(),
        ]

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None) -> HttpResponse:
        return admin_views.follow_up_view(self, request, object_id)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_send_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(admin_views.SEND_PERMISSION)

    @admin.display(description=_("réponses"), ordering="n_received")
    def response(self, campaign: CampaignFollowUp) -> str:
        rate = f" ({campaign.n_received / campaign.n_expected:.0%})" if campaign.n_expected else ""
        return f"{campaign.n_received} / {campaign.n_expected}{rate}"

    @admin.display(description=_("validées"), ordering="n_approved")
    def approved(self, campaign: CampaignFollowUp) -> int:
        return campaign.n_approved

    @admin.display(description=_("en retard"), ordering="n_late")
    def late(self, campaign: CampaignFollowUp) -> int:
        return campaign.n_late

    @admin.display(description=_("dernière relance"), ordering="last_reminded_at")
    def reminded(self, campaign: CampaignFollowUp) -> str:
        if campaign.last_reminded_at is None:
            return "—"
        return date_format(timezone.localtime(campaign.last_reminded_at), "SHORT_DATETIME_FORMAT")


class ReminderInline(admin.TabularInline):
    model = Reminder
    fields = ("company", "status", "recipients", "sent_at", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ReminderBatch)
class ReminderBatchAdmin(admin.ModelAdmin):
    """Each sending of reminders; its page shows the progress while the e-mails leave."""

    list_display = ("created_at", "campaign", "kind", "sender", "total", "sent", "failed", "pending", "skipped")
    list_filter = ("kind", "campaign")
    list_select_related = ("campaign", "requested_by")
    date_hierarchy = "created_at"
    actions: list = []

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_counts()

    def get_urls(self) -> list[URLPattern]:
        def progress(request: HttpRequest, object_id: str) -> HttpResponse:
            return admin_views.batch_progress_json_view(self, request, object_id)

        return [
            path(
                "<path:object_id>/progression/",
                self.admin_site.admin_view(progress),
                name="followup_reminderbatch_progress",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None) -> HttpResponse:
        return admin_views.batch_progress_view(self, request, object_id)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A sending starts from a campaign's follow-up, where staff see whom it reaches.
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("envoyé par"), ordering="requested_by__email")
    def sender(self, batch: ReminderBatch) -> str:
        return str(batch.requested_by) if batch.requested_by else _("Tâche planifiée")

    @admin.display(description=_("rappels"), ordering="n_total")
    def total(self, batch: ReminderBatch) -> int:
        return batch.n_total

    @admin.display(description=_("envoyés"), ordering="n_sent")
    def sent(self, batch: ReminderBatch) -> int:
        return batch.n_sent

    @admin.display(description=_("échecs"), ordering="n_failed")
    def failed(self, batch: ReminderBatch) -> int:
        return batch.n_failed

    @admin.display(description=_("en attente"), ordering="n_pending")
    def pending(self, batch: ReminderBatch) -> int:
        return batch.n_pending


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The reminder log: who was reminded about which campaign, by whom, when, and how it went."""

    list_display = ("created_at", "company", "campaign", "kind", "sender", "status", "recipients", "sent_at")
    list_filter = ("status", "batch__kind", "batch__campaign")
    search_fields = ("company__trade_name", "company__ice", "recipients")
    list_select_related = ("company", "batch__campaign", "batch__requested_by")
    date_hierarchy = "created_at"
    fields = ("batch", "company", "status", "recipients", "created_at", "sent_at", "error")
    readonly_fields = fields
    actions: list = []

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("campagne"), ordering="batch__campaign__period_start")
    def campaign(self, reminder: Reminder) -> str:
        return str(reminder.batch.campaign)

    @admin.display(description=_("modèle"), ordering="batch__kind")
    def kind(self, reminder: Reminder) -> str:
        return reminder.batch.get_kind_display()

    @admin.display(description=_("envoyé par"))
    def sender(self, reminder: Reminder) -> str:
        return str(reminder.batch.requested_by) if reminder.batch.requested_by else _("Tâche planifiée")


class ScheduledCampaignInline(admin.TabularInline):
    model = ScheduledCampaign
    fields = ("campaign", "period_start", "closes_on")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("campaign")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(CampaignSchedule)
class CampaignScheduleAdmin(admin.ModelAdmin):
    list_display = ("name", "frequency", "opening", "due_delay_days", "lock_delay_days", "collection_days", "is_active")
    list_filter = ("frequency", "is_active")
    fieldsets = (
        (None, {"fields": ("name", "is_active", "frequency", "opening_weekday", "opening_day", "title_pattern")}),
        (_("Délais"), {"fields": ("due_delay_days", "lock_delay_days", "collection_days")}),
        (_("Aperçu"), {"fields": ("upcoming",)}),
    )
    readonly_fields = ("upcoming",)
    inlines = [ScheduledCampaignInline]
    actions: list = []

    @admin.display(description=_("ouverture"))
    def opening(self, schedule: CampaignSchedule) -> str:
        if schedule.frequency == CampaignSchedule.Frequency.WEEKLY:
            return schedule.get_opening_weekday_display()
        return _("le %(day)s du mois") % {"day": schedule.opening_day}

    @admin.display(description=_("prochaines campagnes"))
    def upcoming(self, schedule: CampaignSchedule) -> str:
        if schedule.pk is None:
            return _("Enregistrez le calendrier pour voir ses prochaines campagnes.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} : {} – {} ; {} {}, {} {}, {} {}</li>",
                (
                    (
                        occurrence.title,
                        date_format(occurrence.period_start, "SHORT_DATE_FORMAT"),
                        date_format(occurrence.period_end, "SHORT_DATE_FORMAT"),
                        _("ouverture le"),
                        date_format(occurrence.opens_on, "SHORT_DATE_FORMAT"),
                        _("date limite le"),
                        date_format(occurrence.due_on, "SHORT_DATE_FORMAT"),
                        _("clôture le"),
                        date_format(occurrence.closes_on, "SHORT_DATE_FORMAT"),
                    )
                    for occurrence in schedule.upcoming(timezone.localdate())
                ),
            ),
        )


@admin.register(StaffDigest)
class StaffDigestAdmin(admin.ModelAdmin):
    list_display = ("day", "user", "submissions", "registrations", "sent_at")
    list_filter = ("day",)
    list_select_related = ("user",)
    fields = list_display
    readonly_fields = list_display
    actions: list = []

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
