"""Staff running a weekly campaign, in a real headless Chromium: the admin's home shows what waits;
the campaign's follow-up lists who has not declared; staff remind them and watch the sending
progress while the background worker e-mails them.

Each stage is a function taking the page, so that the walk can go on from the home (the review
of a declaration waiting in its queue, for instance) without repeating the first steps."""

import datetime
import io
import signal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from members.models import CompanyMembership
from tests.factories import DEFAULT_PASSWORD, CampaignFactory, CompanyFactory, MembershipFactory, UserFactory
from tests.followup.builders import submitted

# Transactional: the live server's threads see the data.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def database_tasks(settings):
    # The production path: the request stores the sending, the worker runs it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def week(reference_data):
    """This week's campaign: one company has declared, two have not."""
    today = timezone.localdate()
    campaign = CampaignFactory(
        title="Semaine en cours",
        period_start=today - datetime.timedelta(days=9),
        opens_on=today - datetime.timedelta(days=1),
        due_on=today + datetime.timedelta(days=2),
        locks_on=today + datetime.timedelta(days=9),
    )
    submitted(campaign, CompanyFactory(trade_name="Atlas Contact"), at=timezone.now())
    for name, email in (("Bahia Relation Client", "contact@bahia.ma"), ("Cap Appels", "contact@cap.ma")):
        MembershipFactory(
            company=CompanyFactory(trade_name=name),
            user=UserFactory(email=email),
            role=CompanyMembership.Role.ADMIN,
        )
    return campaign


def run_worker() -> None:
    """`manage.py db_worker --batch`; the test runner's signal handlers are put back afterwards."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, stdout=io.StringIO())
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def open_staff_home(page: Page, base: str) -> None:
    page.goto(f"{base}/admin/login/")
    page.get_by_label("Adresse e-mail").fill("staff@amrc.ma")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="À faire")).to_be_visible()


def open_follow_up(page: Page, campaign_title: str) -> None:
    page.locator("#queue-campaigns").get_by_role("link", name=campaign_title).click()
    expect(page.get_by_role("heading", name=f"Suivi : {campaign_title}")).to_be_visible()


def send_reminders(page: Page, count: int) -> None:
    page.get_by_role("link", name="Relancer les non-répondants…").click()
    expect(page.get_by_text("L'e-mail en français")).to_be_visible()
    page.get_by_role("button", name=f"Envoyer {count} rappels").click()
    expect(page.get_by_role("heading", name="Progression")).to_be_visible()


def test_staff_home_then_follow_up_then_reminders_with_their_progress(
    live_server, page, staff_user, week, database_tasks
):
    open_staff_home(page, live_server.url)
    queue = page.locator("#queue-review")
    expect(queue.locator(".queue-count")).to_have_text("1")
    expect(queue.get_by_role("link", name="Atlas Contact")).to_be_visible()
    expect(page.locator("#queue-campaigns")).to_contain_text("1 / 3")

    open_follow_up(page, week.title)
    expect(page.locator('[data-figure="missing"]')).to_have_text("2")
    non_respondents = page.locator("table.non-respondents tbody")
    expect(non_respondents).to_contain_text("Bahia Relation Client")
    expect(non_respondents).to_contain_text("contact@cap.ma")

    send_reminders(page, 2)
    # Stored by the request, not sent yet: the page says so and keeps asking.
    expect(page.locator('[data-count="pending"]')).to_have_text("2")
    expect(page.locator('[data-state="running"]')).to_be_visible()
    assert mail.outbox == []

    run_worker()

    expect(page.locator('[data-state="done"]')).to_be_visible()
    expect(page.locator('[data-count="sent"]')).to_have_text("2")
    expect(page.locator('[data-count="pending"]')).to_have_text("0")
    assert sorted(message.to[0] for message in mail.outbox) == ["contact@bahia.ma", "contact@cap.ma"]

    # The follow-up now shows when each company was last reminded.
    page.get_by_role("link", name="Retour au suivi de la campagne").click()
    expect(page.locator("table.non-respondents tbody")).to_contain_text("Envoyé")
