"""Staff's weekly routine in one walk, in a real headless Chromium, on one data set (issue 10):
the admin's home shows what waits, flagged declarations included; the campaign's follow-up lists
who has not declared; staff remind them and watch the sending progress while the background
worker (run here by the test) e-mails them; back home, they open the flagged declaration, read
this week's figures beside last week's with the flag explained, and approve it."""

import datetime
import io
import signal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from measures.models import Campaign, Declaration
from members.models import Company, CompanyMembership
from tests.factories import DEFAULT_PASSWORD, CampaignFactory, CompanyFactory, MembershipFactory, UserFactory
from tests.quality.builders import QUIET_TELEWORK, declare

# Transactional: the live server's threads see the data.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def database_tasks(settings):
    # The production path: the request stores the sending, the worker runs it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def this_week(reference_data) -> Campaign:
    """Eight closed weeks, then this week's open campaign: Atlas's telework jumps from 52 to 94,
    Bahia declares as usual, Cap and Dakhla have not declared."""
    today = timezone.localdate()
    period_start = today - datetime.timedelta(days=9)
    past = [
        CampaignFactory(
            title=f"Semaine {week + 1}",
            period_start=period_start - datetime.timedelta(weeks=8 - week),
            status=Campaign.Status.CLOSED,
        )
        for week in range(8)
    ]
    campaign = CampaignFactory(
        title="Semaine en cours",
        period_start=period_start,
        opens_on=today - datetime.timedelta(days=1),
        due_on=today + datetime.timedelta(days=2),
        locks_on=today + datetime.timedelta(days=9),
    )
    for name, this_week_telework in (("Atlas Contact", 94), ("Bahia Calme", 53)):
        company = CompanyFactory(trade_name=name, segment=Company.Segment.MEMBER)
        for week, telework in zip(past, QUIET_TELEWORK, strict=True):
            declare(company, week, telework=telework)
        declare(
            company,
            campaign,
            telework=this_week_telework,
            status=Declaration.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
    for name, email in (("Cap Appels", "contact@cap.ma"), ("Dakhla Centre", "contact@dakhla.ma")):
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


def open_staff_home(page: Page, base: str, staff_user) -> None:
    """Password, then the code of the staff member's authenticator application, as the admin asks."""
    device = TOTPDevice.objects.create(user=staff_user, name="Téléphone", confirmed=True)
    page.goto(f"{base}/admin/login/")
    page.get_by_label("Adresse e-mail").fill("staff@amrc.ma")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.get_by_label("Code").fill(f"{TOTP(device.bin_key).token():06d}")
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("heading", name="À faire")).to_be_visible()


def test_staff_home_then_follow_up_then_reminders_then_a_flagged_review_approved(
    live_server, page, staff_user, this_week, database_tasks
):
    # The home: two declarations to review, one of them flagged; this week's response so far.
    open_staff_home(page, live_server.url, staff_user)
    queue = page.locator("#queue-review")
    expect(queue.locator("h3 .queue-count")).to_have_text("2")
    atlas = queue.locator("tr", has=page.get_by_role("link", name="Atlas Contact"))
    expect(atlas.locator(".quality-badge")).to_contain_text(["Part en télétravail : Saut de répartition"])
    expect(
        queue.locator("tr", has=page.get_by_role("link", name="Bahia Calme")).locator(".quality-badge")
    ).to_have_count(0)
    expect(queue.locator(".queue-flagged")).to_contain_text("1 signalée par les contrôles de qualité")
    expect(page.locator("#queue-campaigns")).to_contain_text("2 / 4")

    # The follow-up: who has not declared, with their contacts.
    page.locator("#queue-campaigns").get_by_role("link", name=this_week.title).click()
    expect(page.get_by_role("heading", name=f"Suivi : {this_week.title}")).to_be_visible()
    expect(page.locator('[data-figure="missing"]')).to_have_text("2")
    non_respondents = page.locator("table.non-respondents tbody")
    expect(non_respondents).to_contain_text("Cap Appels")
    expect(non_respondents).to_contain_text("contact@dakhla.ma")

    # The reminders: previewed, stored by the request, sent by the worker while the page follows.
    page.get_by_role("link", name="Relancer les non-répondants…").click()
    expect(page.get_by_text("L'e-mail en français")).to_be_visible()
    page.get_by_role("button", name="Envoyer 2 rappels").click()
    expect(page.get_by_role("heading", name="Progression")).to_be_visible()
    expect(page.locator('[data-count="pending"]')).to_have_text("2")
    expect(page.locator('[data-state="running"]')).to_be_visible()
    assert mail.outbox == []

    run_worker()

    expect(page.locator('[data-state="done"]')).to_be_visible()
    expect(page.locator('[data-count="sent"]')).to_have_text("2")
    expect(page.locator('[data-count="pending"]')).to_have_text("0")
    assert sorted(message.to[0] for message in mail.outbox) == ["contact@cap.ma", "contact@dakhla.ma"]

    # Back home, the flagged declarations, then the one to look at.
    page.get_by_role("link", name="Accueil").first.click()
    page.locator("#queue-review .queue-flagged").get_by_role("link").click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Part en télétravail : Saut de répartition")
    rows.first.get_by_role("link", name="Atlas Contact").click()

    # This week beside last week, the flag explained; then approved.
    review = page.locator("#quality-review")
    expect(review.locator("caption")).to_have_text("Semaine en cours comparée à Semaine 8")
    telework = review.locator("tr", has=page.get_by_role("rowheader", name="dont en télétravail", exact=True))
    expect(telework.locator("td")).to_have_text(["94", "52", "+42", "+81 %"])
    expect(review.locator(".quality-flags")).to_contain_text(
        "Part en télétravail : +42 points en une semaine ; l'entreprise varie habituellement de"
    )
    page.get_by_role("button", name="Valider").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Déclaration validée")
    assert Declaration.objects.get(company__trade_name="Atlas Contact", campaign=this_week).status == (
        Declaration.Status.APPROVED
    )

    # The home now waits only for Bahia's, which nothing flags.
    page.get_by_role("link", name="Accueil").first.click()
    expect(page.locator("#queue-review h3 .queue-count")).to_have_text("1")
    expect(page.locator("#queue-review .queue-flagged")).to_have_text(
        "Aucune n'est signalée par les contrôles de qualité."
    )
