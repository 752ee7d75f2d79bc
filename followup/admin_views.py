"""Staff pages of the follow-up, in the admin: a campaign's follow-up (response by group,
non-respondents with their contacts), its exports, the reminder confirmation, and the progress
of a sending. followup.admin wires them into its ModelAdmins."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.emails import email_render
from followup.exports import follow_up_xlsx, non_respondents_csv
from followup.forms import NonRespondentFilterForm
from followup.models import CampaignFollowUp, Reminder, ReminderBatch
from followup.selectors import campaign_response, non_respondent_rows, non_respondents_for_follow_up
from followup.sending import reminder_context
from followup.services import reminder_batch_create, reminder_kind_for, reminder_plan
from members.models import Company

FOLLOW_UP_PAGE_SIZE = 100
# How many of the campaign's latest sendings the follow-up page lists.
RECENT_BATCHES = 5
SEND_PERMISSION = "followup.add_reminderbatch"


def _get_campaign(modeladmin: admin.ModelAdmin, request: HttpRequest, object_id: str) -> CampaignFollowUp:
    campaign = modeladmin.get_object(request, unquote(object_id))
    if campaign is None:
        raise Http404
    if not modeladmin.has_view_permission(request, campaign):
        raise PermissionDenied
    return campaign


def _filtered_companies(filters: NonRespondentFilterForm):
    return filters.filter(Company.objects.all()) if filters.is_valid() else Company.objects.all()


def _reminder_refusal(campaign: CampaignFollowUp) -> str:
    try:
        reminder_kind_for(campaign, timezone.localdate())
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def follow_up_view(modeladmin: admin.ModelAdmin, request: HttpRequest, object_id: str) -> HttpResponse:
    campaign = _get_campaign(modeladmin, request, object_id)
    filters = NonRespondentFilterForm(request.GET)
    queryset = non_respondents_for_follow_up(campaign, _filtered_companies(filters))
    page = Paginator(queryset, FOLLOW_UP_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": _("Suivi : %(campaign)s") % {"campaign": campaign},
        "campaign": campaign,
        "today": timezone.localdate(),
        "response": campaign_response(campaign),
        "filters": filters,
        "query": filters.query_string(),
        "page": page,
        "rows": non_respondent_rows(page.object_list),
        "batches": campaign.reminder_batches.with_counts().select_related("requested_by")[:RECENT_BATCHES],
        "can_send": request.user.has_perm(SEND_PERMISSION),
        "reminder_refusal": _reminder_refusal(campaign),
    }
    return TemplateResponse(request, "admin/followup/campaignfollowup/follow_up.html", context)


def _attachment(content: str | bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export_rows(campaign: CampaignFollowUp, request: HttpRequest):
    filters = NonRespondentFilterForm(request.GET)
    return non_respondent_rows(non_respondents_for_follow_up(campaign, _filtered_companies(filters)))


def export_csv_view(modeladmin: admin.ModelAdmin, request: HttpRequest, object_id: str) -> HttpResponse:
    campaign = _get_campaign(modeladmin, request, object_id)
    return _attachment(
        non_respondents_csv(_export_rows(campaign, request)),
        content_type="text/csv; charset=utf-8",
        filename=f"non-repondants-campagne-{campaign.pk}.csv",
    )


def export_xlsx_view(modeladmin: admin.ModelAdmin, request: HttpRequest, object_id: str) -> HttpResponse:
    campaign = _get_campaign(modeladmin, request, object_id)
    return _attachment(
        follow_up_xlsx(campaign, campaign_response(campaign), _export_rows(campaign, request)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename=f"suivi-campagne-{campaign.pk}.xlsx",
    )


def remind_view(modeladmin: admin.ModelAdmin, request: HttpRequest, object_id: str) -> HttpResponse:
    """GET: what the sending would do, with the e-mail as it reads; POST: reserve and queue it."""
    campaign = _get_campaign(modeladmin, request, object_id)
    if not request.user.has_perm(SEND_PERMISSION):
        raise PermissionDenied
    filters = NonRespondentFilterForm(request.POST if request.method == "POST" else request.GET)
    follow_up_url = reverse("admin:followup_campaignfollowup_change", args=[campaign.pk])
    if not filters.is_valid():
        # A filter that does not hold must not widen the sending to every company.
        return _render_remind(modeladmin, request, campaign, filters, plan=None, refusal="", status=400)
    companies = filters.filter(Company.objects.all())
    try:
        plan = reminder_plan(campaign=campaign, companies=companies)
    except ValidationError as exc:
        return _render_remind(modeladmin, request, campaign, filters, plan=None, refusal=" ".join(exc.messages))
    if request.method != "POST":
        return _render_remind(modeladmin, request, campaign, filters, plan=plan, refusal="")
    try:
        batch = reminder_batch_create(campaign=campaign, requested_by=request.user, companies=companies)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(follow_up_url)
    count = batch.reminders.count()
    messages.success(
        request,
        ngettext(
            "%(count)d rappel en cours d'envoi.",
            "%(count)d rappels en cours d'envoi.",
            count,
        )
        % {"count": count},
    )
    return redirect("admin:followup_reminderbatch_change", batch.pk)


def _render_remind(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    campaign: CampaignFollowUp,
    filters: NonRespondentFilterForm,
    *,
    plan,
    refusal: str,
    status: int = 200,
) -> TemplateResponse:
    preview = None
    if plan is not None and plan.to_remind:
        first = non_respondents_for_follow_up(campaign, filters.filter(Company.objects.all())).first()
        subject, body = email_render(
            template=f"reminder_{plan.kind}",
            context=reminder_context(company=first, campaign=campaign, language="fr"),
            language="fr",
        )
        preview = {"company": first, "subject": subject, "body": body}
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": _("Relancer les non-répondants"),
        "campaign": campaign,
        "filters": filters,
        "plan": plan,
        "kind_label": dict(ReminderBatch.Kind.choices).get(plan.kind) if plan else "",
        "refusal": refusal,
        "preview": preview,
    }
    return TemplateResponse(request, "admin/followup/campaignfollowup/remind.html", context, status=status)


# --- A sending's progress ---


def batch_progress(batch: ReminderBatch) -> dict:
    """The counts staff watch while a sending runs (batch read with ReminderBatch.with_counts)."""
    return {
        "total": batch.n_total,
        "sent": batch.n_sent,
        "failed": batch.n_failed,
        "cancelled": batch.n_cancelled,
        "pending": batch.n_pending,
        "processed": batch.n_total - batch.n_pending,
        "skipped": batch.skipped,
        "done": batch.n_pending == 0,
    }


def _get_batch(modeladmin: admin.ModelAdmin, request: HttpRequest, object_id: str) -> ReminderBatch:
    batch = (
        modeladmin.get_queryset(request)
        .select_related("campaign", "requested_by")
        .filter(pk=unquote(object_id))
        .first()
        if str(object_id).isdigit()
        else None
    )
    if batch is None:
        raise Http404
    if not modeladmin.has_view_permission(request, batch):
        raise PermissionDenied
    return batch


def batch_progress_view(modeladmin: admin.ModelAdmin, request: HttpRequest, object_id: str) -> HttpResponse:
    batch = _get_batch(modeladmin, request, object_id)
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": _("Envoi de rappels : %(campaign)s") % {"campaign": batch.campaign},
        "batch": batch,
        "progress": batch_progress(batch),
        "failures": list(
            batch.reminders.filter(status=Reminder.Status.FAILED)
            .select_related("company")
            .order_by("company__trade_name")
        ),
    }
    return TemplateResponse(request, "admin/followup/reminderbatch/progress.html", context)


def batch_progress_json_view(modeladmin: admin.ModelAdmin, request: HttpRequest, object_id: str) -> JsonResponse:
    return JsonResponse(batch_progress(_get_batch(modeladmin, request, object_id)))
