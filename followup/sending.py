"""What the background tasks do: e-mail the reminders of a batch, the declarant's acknowledgement,
staff's notifications and their daily digest. Each e-mail is written in its recipient's language,
with links to the pages in that language."""

import datetime
import logging
from collections import defaultdict
from smtplib import SMTPException

from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.emails import email_send, localized_url, recipients_by_language
from accounts.models import User
from followup.models import Reminder, ReminderBatch, StaffDigest
from followup.selectors import declarations_to_review, self_registrations_between
from measures.models import Campaign, Declaration, DeclarationEvent
from members.models import Company, CompanyMembership

logger = logging.getLogger(__name__)

# How many submissions a digest lists one by one; it counts the rest.
DIGEST_LIST_LENGTH = 30


# --- Reminders ---


def reminder_batch_deliver(*, batch_id: int) -> dict[str, int]:
    """E-mail every reminder of the batch still waiting; returns the batch's counts by status.

    Running it again sends only what is still waiting, so a worker stopped halfway can resume."""
    batch = ReminderBatch.objects.select_related("campaign").get(pk=batch_id)
    ReminderBatch.objects.filter(pk=batch.pk, started_at=None).update(started_at=timezone.now())
    waiting = list(batch.reminders.filter(status=Reminder.Status.PENDING).select_related("company").order_by("pk"))
    answered = set(Declaration.objects.for_campaign(batch.campaign).received().values_list("company_id", flat=True))
    contacts: dict[int, list[User]] = defaultdict(list)
    for membership in (
        CompanyMembership.objects.filter(company_id__in=batch.reminders.values("company_id"), user__is_active=True)
        .select_related("user")
        .order_by("user__email")
    ):
        contacts[membership.company_id].append(membership.user)

    # One connection to the mail server for the whole batch, not one per e-mail.
    connection = get_connection()
    try:
        for reminder in waiting:
            if reminder.company_id in answered:
                _reminder_finish(reminder, Reminder.Status.CANCELLED)
            else:
                _reminder_deliver(reminder, batch, contacts[reminder.company_id], connection)
    finally:
        connection.close()
    ReminderBatch.objects.filter(pk=batch.pk).update(finished_at=timezone.now())
    return dict(batch.reminders.order_by().values_list("status").annotate(n=Count("pk")))


def reminder_context(*, company: Company, campaign: Campaign, language: str) -> dict:
    return {"company": company, "campaign": campaign, "url": localized_url("portal:dashboard", language=language)}


def _reminder_deliver(
    reminder: Reminder, batch: ReminderBatch, users: list[User], connection: BaseEmailBackend
) -> None:
    if not users:
        _reminder_finish(reminder, Reminder.Status.FAILED, error=_("Aucun contact actif : invitez-en un."))
        return
    campaign = batch.campaign
    delivered: list[str] = []
    try:
        for language, emails in recipients_by_language(users).items():
            email_send(
                to=emails,
                template=f"reminder_{batch.kind}",
                context=reminder_context(company=reminder.company, campaign=campaign, language=language),
                language=language,
                connection=connection,
            )
            delivered += emails
    except (SMTPException, OSError) as exc:
        logger.warning("Reminder %s to %s failed: %s", reminder.pk, reminder.company_id, exc)
        _reminder_finish(reminder, Reminder.Status.FAILED, recipients=delivered, error=str(exc) or type(exc).__name__)
        return
    _reminder_finish(reminder, Reminder.Status.SENT, recipients=delivered)


def _reminder_finish(reminder: Reminder, status: str, *, recipients: list[str] = (), error: str = "") -> None:
    reminder.status = status
    reminder.recipients = ", ".join(recipients)
    reminder.error = error
    reminder.sent_at = timezone.now() if status == Reminder.Status.SENT else None
    reminder.save(update_fields=["status", "recipients", "error", "sent_at"])


# --- Acknowledgement and staff notifications ---


def _staff_to_notify(field: str, choice: str):
    return User.objects.filter(is_staff=True, is_active=True, **{field: choice}).order_by("email")


def declaration_submitted_deliver(*, declaration_id: int, submitted_by_id: int) -> None:
    """Acknowledge a submission to its declarant, and tell the staff who asked to know at once."""
    declaration = Declaration.objects.select_related("company", "campaign").get(pk=declaration_id)
    declarant = User.objects.get(pk=submitted_by_id)
    context = {"declaration": declaration, "company": declaration.company, "campaign": declaration.campaign}
    email_send(
        to=[declarant.email],
        template="declaration_received",
        context={
            **context,
            "url": localized_url("portal:declaration-detail", language=declarant.language, args=(declaration.pk,)),
        },
        language=declarant.language,
    )
    for staff in _staff_to_notify("notify_submissions", User.Notification.IMMEDIATE):
        email_send(
            to=[staff.email],
            template="staff_declaration_submitted",
            context={
                **context,
                "submitted_by": declarant,
                "url": localized_url(
                    "admin:measures_declaration_change", language=staff.language, args=(declaration.pk,)
                ),
            },
            language=staff.language,
        )


def registration_received_deliver(*, company_id: int) -> None:
    """Tell the staff who asked to know at once that a company registered and awaits them."""
    company = Company.objects.select_related("region").get(pk=company_id)
    for staff in _staff_to_notify("notify_registrations", User.Notification.IMMEDIATE):
        email_send(
            to=[staff.email],
            template="staff_registration_received",
            context={
                "company": company,
                "url": localized_url("admin:members_company_change", language=staff.language, args=(company.pk,)),
            },
            language=staff.language,
        )


# --- Daily digests ---


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def staff_digest_deliver(*, user_id: int, day: datetime.date) -> StaffDigest:
    """The day's submissions and registrations, for a staff member who chose a daily digest.

    Written once per user and day: the row is locked while the e-mail leaves, so running the
    command twice, or two workers at once, never sends a second digest. Nothing to report, no
    e-mail (the row still records that the day was looked at)."""
    user = User.objects.get(pk=user_id)
    start, end = _day_bounds(day)
    with transaction.atomic():
        digest, created = StaffDigest.objects.select_for_update().get_or_create(user=user, day=day)
        if not created:
            return digest
        submissions = []
        if user.notify_submissions == User.Notification.DAILY:
            submissions = list(
                DeclarationEvent.objects.filter(action=DeclarationEvent.Action.SUBMITTED, at__gte=start, at__lt=end)
                .select_related("declaration__company", "declaration__campaign")
                .order_by("at", "pk")
            )
        registrations = []
        if user.notify_registrations == User.Notification.DAILY:
            registrations = list(self_registrations_between(start, end).select_related("region").order_by("created_at"))
        digest.submissions, digest.registrations = len(submissions), len(registrations)
        if submissions or registrations:
            email_send(
                to=[user.email],
                template="staff_digest",
                context={
                    "day": day,
                    "submissions": submissions[:DIGEST_LIST_LENGTH],
                    "more_submissions": max(0, len(submissions) - DIGEST_LIST_LENGTH),
                    "submission_count": len(submissions),
                    "late_count": sum(1 for event in submissions if event.late),
                    "registrations": registrations,
                    "review_count": declarations_to_review().count(),
                    "pending_registrations": Company.objects.filter(
                        registration_status=Company.RegistrationStatus.PENDING
                    ).count(),
                    "url": localized_url("admin:index", language=user.language),
                },
                language=user.language,
            )
            digest.sent_at = timezone.now()
        digest.save()
    return digest
