"""Pages rendered by Django's test client, handed to Chromium with the static files they load.

No live server: the data stay in the test's transaction, and the rows the data migrations loaded
survive for the transactional tests that follow. Each page is rendered first, in the test's thread;
Playwright's route handler, which runs in its own thread, only hands out bytes."""

import datetime
from urllib.parse import urlsplit

from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from members.models import CompanyMembership
from tests.factories import (
    BulletinRevisionFactory,
    CampaignFactory,
    DeclarationFactory,
    MembershipFactory,
    SiteFactory,
    region,
)

SITE = "http://testserver"


def render_pages(client: Client, paths: list[str]) -> dict[str, bytes]:
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        pages[path] = response.content
    return pages


def serve(page, pages: dict[str, bytes]) -> None:
    """Answer the browser's requests to SITE: the rendered pages, the static files, 404 otherwise."""

    def answer(route) -> None:
        requested = urlsplit(route.request.url).path
        found = finders.find(requested.removeprefix("/static/")) if requested.startswith("/static/") else None
        if requested in pages:
            route.fulfill(content_type="text/html; charset=utf-8", body=pages[requested])
        elif found:
            route.fulfill(path=found)
        else:
            route.fulfill(status=404)

    page.route(f"{SITE}/**", answer)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def site_pages(*, company, declarant, company_admin) -> dict[str, tuple[Client, str]]:
    """The pages the browser suites look at, each with the client that may read it (French
    addresses; prefix them with /ar for Arabic): a published bulletin corrected once, an open
    campaign with the declarant's draft, and the company's team."""
    first = BulletinRevisionFactory(bulletin__slug="semaine-du-30-mars-2020")
    BulletinRevisionFactory(bulletin=first.bulletin, number=2)
    today = timezone.localdate()
    campaign = CampaignFactory(
        title="Semaine en cours",
        period_start=today - datetime.timedelta(days=8),
        opens_on=today - datetime.timedelta(days=1),
        due_on=today + datetime.timedelta(days=3),
        locks_on=today + datetime.timedelta(days=10),
    )
    SiteFactory(company=company, name="Plateau Anfa", region=region("MA-06"), workstations=2126)
    declaration = DeclarationFactory(company=company, campaign=campaign)
    colleague = MembershipFactory(company=company, role=CompanyMembership.Role.DECLARANT)
    anonymous, member, admin = Client(), _client(declarant), _client(company_admin)
    team = f"/compte/entreprises/{company.pk}/equipe/"
    return {
        "home": (anonymous, "/"),
        "bulletin list": (anonymous, "/bulletins/"),
        "bulletin": (anonymous, "/bulletins/semaine-du-30-mars-2020/"),
        "revision": (anonymous, "/bulletins/semaine-du-30-mars-2020/revisions/1/"),
        "formats": (anonymous, "/bulletins/documentation/formats/"),
        "help": (anonymous, "/aide/"),
        "contact": (anonymous, "/contact/"),
        "privacy": (anonymous, "/confidentialite/"),
        "login": (anonymous, "/connexion/"),
        "registration": (anonymous, "/compte/inscription/"),
        "dashboard": (member, "/espace/"),
        "declaration form": (member, f"/espace/declarations/{declaration.pk}/"),
        "preferences": (member, "/compte/preferences/"),
        "team": (admin, team),
        "team removal": (admin, f"{team}membres/{colleague.pk}/retirer/"),
    }
