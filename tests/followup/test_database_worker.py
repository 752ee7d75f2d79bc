"""The production path of reminders, end to end: the sending is stored by django-tasks' database
backend, the web request returns at once, and `manage.py db_worker` e-mails them.

Transactional, because the worker commits and checks its connection as a real process does."""

import io
import signal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from followup.models import Reminder, ReminderBatch

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_BACKEND


def run_worker() -> str:
    """`manage.py db_worker --batch`: run every queued task, then stop. The worker installs its
    own signal handlers; the test runner's are put back afterwards."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    output = io.StringIO()
    try:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, stdout=output)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    return output.getvalue()


def test_reminders_are_queued_by_the_request_and_sent_by_the_worker(
    reference_data, database_tasks, staff_client, open_campaign, declarant_a, declarant_b, mailoutbox
):
    response = staff_client.post(reverse("admin:followup_campaignfollowup_remind", args=[open_campaign.pk]))

    batch = ReminderBatch.objects.get()
    assert response.status_code == 302
    # Nothing has left yet: the request only stored the reminders and the task.
    assert mailoutbox == []
    assert set(batch.reminders.values_list("status", flat=True)) == {Reminder.Status.PENDING}
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.status, str(task.id)) == ("followup.tasks.send_reminder_batch", "READY", batch.task_id)
    progress = staff_client.get(reverse("admin:followup_reminderbatch_progress", args=[batch.pk])).json()
    assert (progress["pending"], progress["done"]) == (2, False)

    run_worker()

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert sorted(message.to[0] for message in mailoutbox) == ["declarant@atlas.ma", "declarant@bahia.ma"]
    progress = staff_client.get(reverse("admin:followup_reminderbatch_progress", args=[batch.pk])).json()
    assert (progress["sent"], progress["pending"], progress["done"]) == (2, 0, True)
    batch.refresh_from_db()
    assert batch.started_at is not None and batch.finished_at is not None
