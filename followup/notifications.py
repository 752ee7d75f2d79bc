"""Hooks the workflow services call when something staff or the declarant must hear about has
happened. Each queues a background task once the change is committed: an e-mail about a change
that was rolled back would be a lie, and the web request does not wait for the mail server."""

import datetime

from django.db import transaction
from django.db.models import Q

from accounts.models import User
from followup import tasks

# Callbacks are named functions, not partials: Django names a failing robust callback in its log.


def declaration_submitted(*, declaration_id: int, submitted_by_id: int) -> None:
    """The declarant's acknowledgement, and the notices of staff who want them at once."""

    def enqueue_acknowledgement() -> None:
        tasks.notify_declaration_submitted.enqueue(declaration_id=declaration_id, submitted_by_id=submitted_by_id)

    # The submission stays saved whatever happens to its e-mails (robust: the error is logged).
    transaction.on_commit(enqueue_acknowledgement, robust=True)


def registration_received(*, company_id: int) -> None:
    """The notices of staff who want to hear of a self-registration at once."""

    def enqueue_notices() -> None:
        tasks.notify_registration_received.enqueue(company_id=company_id)

    transaction.on_commit(enqueue_notices, robust=True)


def staff_digests_enqueue(*, day: datetime.date) -> int:
    """Queue the digest of `day` for every active staff member who chose one; returns how many."""
    daily = User.Notification.DAILY
    recipients = list(
        User.objects.filter(is_staff=True, is_active=True)
        .filter(Q(notify_submissions=daily) | Q(notify_registrations=daily))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for user_id in recipients:
        tasks.send_staff_digest.enqueue(user_id=user_id, day=day.isoformat())
    return len(recipients)
