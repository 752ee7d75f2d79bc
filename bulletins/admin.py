import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from amrc.lib.admin_translations import TranslationFieldsAdminMixin
from amrc.lib.disclosure import CORRECTION, DOMINANCE, SECONDARY, THRESHOLD
from bulletins.forms import PublishForm
from bulletins.guard import publication_guard
from bulletins.models import Bulletin, BulletinRevision
from bulletins.presentation import provisional_reasons
from bulletins.services import bulletin_create, bulletin_prepare, bulletin_publish, suppression_rows
from measures.models import Campaign
from public.page_cache import public_pages_changed

REASON_LABELS = {
    THRESHOLD: _("seuil : trop peu d'entreprises"),
    DOMINANCE: _("dominance : une ou deux entreprises pèsent trop"),
    SECONDARY: _("complémentaire : protège une autre cellule"),
    CORRECTION: _("correction : la différence avec une révision précédente concerne trop peu d'entreprises"),
}


def _labelled(rows: list[dict]) -> list[dict]:
    return [{**row, "reason_label": REASON_LABELS.get(row.get("reason"), row.get("reason"))} for row in rows]


def _pretty_json(value: dict) -> str:
    return format_html('<pre class="json-document">{}</pre>', json.dumps(value, indent=2))


class BulletinRevisionInline(admin.TabularInline):
    """Published revisions, listed read-only: a correction is a new revision, never an edit."""

    model = BulletinRevision
    fields = ("number", "published_at", "published_by", "correction_note", "public_page")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("number",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).defer("snapshot", "internal").select_related("published_by", "bulletin")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("page publique"))
    def public_page(self, revision: BulletinRevision) -> str:
        return format_html('<a href="{}">{}</a>', revision.get_absolute_url(), revision.get_absolute_url())


@admin.register(Bulletin)
class BulletinAdmin(TranslationFieldsAdminMixin, admin.ModelAdmin):
    list_display = ("title", "campaign", "status", "latest_revision_number", "last_published_at")
    list_filter = ("status",)
    search_fields = ("title", "title_ar", "title_en", "slug", "campaign__title")
    list_select_related = ("campaign",)
    inlines = [BulletinRevisionInline]
    change_form_template = "admin/bulletins/bulletin/change_form.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_publication_dates()

    @admin.display(description=_("révision actuelle"), ordering="latest_revision_number")
    def latest_revision_number(self, bulletin: Bulletin) -> int | None:
        return bulletin.latest_revision_number

    @admin.display(description=_("dernière publication"), ordering="last_published_at")
    def last_published_at(self, bulletin: Bulletin):
        return bulletin.last_published_at

    def get_inlines(self, request: HttpRequest, obj: Bulletin | None) -> list:
        # A bulletin being created has no revision yet.
        return self.inlines if obj is not None else []

    def get_fieldsets(self, request: HttpRequest, obj: Bulletin | None = None) -> list:
        # French first (the source, required), then each translation: a blank one shows French.
        languages = [
            (_("En arabe"), {"fields": ("title_ar", "editorial_ar")}),
            (_("En anglais"), {"fields": ("title_en", "editorial_en")}),
        ]
        if obj is None:
            return [(None, {"fields": ("campaign", "title", "editorial")}), *languages]
        return [
            (None, {"fields": ("campaign", "slug", "title", "editorial")}),
            *languages,
            (_("Publication"), {"fields": ("status", "created_by", "created_at", "updated_at")}),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Bulletin | None = None) -> tuple:
        if obj is None:
            return ()
        # The address is printed and quoted once published: it never changes after creation.
        return ("campaign", "slug", "status", "created_by", "created_at", "updated_at")

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "campaign":
            kwargs["queryset"] = Campaign.objects.filter(bulletin__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Bulletin, form, change: bool) -> None:
        if change:
            obj.save()
            # The lists and the series show a published bulletin's current title.
            transaction.on_commit(public_pages_changed)
            return
        created = bulletin_create(
            campaign=obj.campaign,
            user=request.user,
            title=obj.title,
            editorial=obj.editorial,
            **{field: getattr(obj, field) for field in Bulletin.TRANSLATION_FIELDS},
        )
        # The admin goes on with `obj` (log entry, redirect): give it the created row.
        obj.pk = created.pk
        obj.refresh_from_db()

    def has_delete_permission(self, request: HttpRequest, obj: Bulletin | None = None) -> bool:
        # A published bulletin has readers and stable addresses: it can be corrected, not removed.
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def get_urls(self) -> list:
        return [
            path(
                "<int:object_id>/publier/",
                self.admin_site.admin_view(self.publish_view),
                name="bulletins_bulletin_publish",
            ),
            *super().get_urls(),
        ]

    def publish_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        bulletin = get_object_or_404(Bulletin.objects.select_related("campaign"), pk=object_id)
        if not self.has_change_permission(request, bulletin):
            raise PermissionDenied
        is_correction = bulletin.is_published
        guard = publication_guard(campaign=bulletin.campaign)
        reasons = provisional_reasons(list(guard.reasons))
        form = PublishForm(request.POST or None, is_correction=is_correction, provisional_reasons=reasons)
        if request.method == "POST" and form.is_valid():
            try:
                revision = bulletin_publish(
                    bulletin=bulletin,
                    user=request.user,
                    note=form.cleaned_data["note"],
                    confirm_provisional=form.cleaned_data.get("confirm_provisional", False),
                )
            except ValidationError as error:
                # The service's errors go by their field (the note, the confirmation) where it
                # names one; a field this form no longer shows (the response rose meanwhile)
                # goes on top.
                if hasattr(error, "error_dict") and set(error.error_dict) <= set(form.fields):
                    form.add_error(None, error)
                else:
                    form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    _("Révision %(number)s publiée : %(url)s")
                    % {"number": revision.number, "url": request.build_absolute_uri(revision.get_absolute_url())},
                )
                return HttpResponseRedirect(reverse("admin:bulletins_bulletin_change", args=[bulletin.pk]))
        # What publishing would freeze, audited, so that staff see what is protected and why.
        prepared = bulletin_prepare(bulletin=bulletin)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Publier une correction") if is_correction else _("Publier le bulletin"),
            "bulletin": bulletin,
            "form": form,
            "is_correction": is_correction,
            "provisional_reasons": reasons,
            "prepared": prepared,
            "suppressions": _labelled(prepared.suppressions),
            "differences": _labelled(prepared.corrected_differences),
        }
        return TemplateResponse(request, "admin/bulletins/bulletin/publish.html", context)


@admin.register(BulletinRevision)
class BulletinRevisionAdmin(admin.ModelAdmin):
    """Revisions are read-only everywhere: what was published stays as it was published."""

    list_display = ("bulletin", "number", "provisional", "published_at", "published_by")
    list_filter = ("bulletin", "provisional")
    list_select_related = ("bulletin", "published_by")
    fields = (
        "bulletin",
        "number",
        "provisional",
        "title",
        "published_at",
        "published_by",
        "correction_note",
        "editorial",
        "title_ar",
        "editorial_ar",
        "title_en",
        "editorial_en",
        "public_page",
        "protection_table",
        "snapshot_json",
        "internal_json",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            return queryset.defer("snapshot", "internal")
        return queryset

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("page publique"))
    def public_page(self, revision: BulletinRevision) -> str:
        return format_html('<a href="{}">{}</a>', revision.get_absolute_url(), revision.get_absolute_url())

    @admin.display(description=_("cellules masquées (dossier interne, jamais publié)"))
    def protection_table(self, revision: BulletinRevision) -> str:
        internal = revision.internal or {}
        return render_to_string(
            "admin/bulletins/_protection_table.html",
            {
                "suppressions": _labelled(suppression_rows(internal)),
                "rules_version": internal.get("rules_version", 1),
                "held": internal.get("held"),
            },
        )

    @admin.display(description=_("chiffres publiés (JSON)"))
    def snapshot_json(self, revision: BulletinRevision) -> str:
        return _pretty_json(revision.snapshot)

    @admin.display(description=_("dossier interne (JSON, jamais publié)"))
    def internal_json(self, revision: BulletinRevision) -> str:
        return _pretty_json(revision.internal)
