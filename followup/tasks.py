"""Background tasks (django-tasks): the database backend stores them, `manage.py db_worker` runs
them. Arguments are ids and ISO dates, which survive the trip through the database."""

import datetime

from django_tasks import task

from followup import sending


@task()
def send_reminder_batch(batch_id: int) -> dict[str, int]:
    return sending.reminder_batch_deliver(batch_id=batch_id)


@task()
def notify_declaration_submitted(declaration_id: int, submitted_by_id: int) -> None:
    sending.declaration_submitted_deliver(declaration_id=declaration_id, submitted_by_id=submitted_by_id)


@task()
def notify_registration_received(company_id: int) -> None:
    sending.registration_received_deliver(company_id=company_id)


@task()
def send_staff_digest(user_id: int, day: str) -> bool:
    """Returns whether an e-mail left (a day with nothing to report sends none)."""
    digest = sending.staff_digest_deliver(user_id=user_id, day=datetime.date.fromisoformat(day))
    return digest.sent_at is not None
