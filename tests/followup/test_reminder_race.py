"""Two sendings asked at the same moment cannot both remind a company: the second waits for the
first's reservation, then finds the company already reminded. PostgreSQL only, the database that
has row locks (SQLite runs one writing transaction at a time and has no race to lose)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from followup.models import Reminder, ReminderBatch
from followup.services import reminder_batch_create
from members.models import Company

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_a_sending_waits_for_a_concurrent_one_and_reminds_nobody_twice(
    reference_data, open_campaign, declarant_a, monkeypatch
):
    # The e-mails are beside the point: only the reservations race.
    monkeypatch.setattr("followup.services._enqueue_batch", lambda batch_id: None)
    outcome: dict[str, object] = {}

    def second_sending() -> None:
        try:
            outcome["batch"] = reminder_batch_create(campaign=open_campaign, requested_by=None)
        except ValidationError as exc:
            outcome["refusal"] = exc.code
        finally:
            connections.close_all()

    with transaction.atomic():
        # The first sending holds the company's row, as reminder_batch_create does while it reserves.
        list(Company.objects.select_for_update().filter(pk=declarant_a.memberships.get().company_id))
        second = threading.Thread(target=second_sending)
        second.start()
        second.join(timeout=1)
        assert second.is_alive(), "the second sending should wait for the first's lock"
        first = ReminderBatch.objects.create(campaign=open_campaign, kind=ReminderBatch.Kind.BEFORE_DUE)
        Reminder.objects.create(batch=first, company_id=declarant_a.memberships.get().company_id)
    second.join(timeout=10)

    assert outcome == {"refusal": "nothing_to_send"}
    assert Reminder.objects.count() == 1
