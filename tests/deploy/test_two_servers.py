"""Two app servers behind one address, sharing one PostgreSQL database and one Redis, as
docs/deploy.md deploys them: what a visitor does on one holds on the other — a login, a logout, a
publication, a lockout.

The servers are two gunicorn instances on loopback with the same configuration; the visitor's
cookies are kept per host name and so presented to both, as behind a load balancer. Redis is the
one of TEST_REDIS_URL (redis://127.0.0.1:6379/0 by default), under a key prefix of this run,
whose keys are deleted afterwards."""

import os
import secrets
from base64 import b32decode
from dataclasses import dataclass

import pytest
import redis
from django.conf import settings
from django_otp.oath import totp

from demo.sector import DEMO_TOTP_KEY
from tests.deploy import databases
from tests.deploy.servers import Browser, Response, Server, production_env, running

pytestmark = [pytest.mark.server, pytest.mark.postgres]

# The demo's accounts (demo/management/commands/seed_demo.py).
PASSWORD = "Secteur-Relation-2020"
MEMBER = "declarant@atlas-demo.ma"
STAFF = "staff@amrc.ma"


@dataclass
class Pair:
    database: str
    a: Server
    b: Server


@pytest.fixture(scope="module")
def shared_cache():
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    prefix = f"amrc-test-{secrets.token_hex(4)}"
    client = redis.Redis.from_url(url)
    client.ping()
    yield url, prefix
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(scope="module")
def pair(database_copy, collected_static, shared_cache, tmp_path_factory) -> Pair:
    name, url = database_copy
    cache_url, prefix = shared_cache
    # One configuration for both, secret key included, as every server of a deployment has.
    env = production_env(static_root=collected_static, database_url=url, CACHE_URL=cache_url, CACHE_KEY_PREFIX=prefix)
    directory = tmp_path_factory.mktemp("pair")
    with running(env, directory / "a.log") as a, running(env, directory / "b.log") as b:
        yield Pair(name, a, b)


def log_in(browser: Browser, server: Server, email: str, password: str) -> Response:
    return browser.submit(f"{server.url}/connexion/", {"username": email, "password": password})


def log_in_to_the_admin(browser: Browser, server: Server, email: str, password: str) -> Response:
    return browser.submit(f"{server.url}/admin/login/", {"username": email, "password": password, "next": "/admin/"})


def give_the_second_factor(browser: Browser, server: Server) -> Response:
    """The admin asks staff for a code of their application: the demo's account has the published key."""
    code = f"{totp(b32decode(DEMO_TOTP_KEY.replace(' ', ''))):06d}"
    return browser.submit(f"{server.url}/admin/deux-facteurs/", {"code": code})


def test_a_login_on_one_server_is_valid_on_the_other(pair):
    member = Browser()

    assert log_in(member, pair.a, MEMBER, PASSWORD).status == 302
    dashboard = member.get(f"{pair.b.url}/espace/")

    assert dashboard.status == 200
    assert "Atlas Relation Client" in dashboard.text


def test_a_visitor_who_has_not_logged_in_is_sent_to_the_login_page(pair):
    response = Browser().get(f"{pair.b.url}/espace/")

    assert response.status == 302
    assert response.headers["Location"].startswith("/connexion/")


def test_a_logout_on_one_server_ends_the_session_on_the_other(pair):
    member = Browser()
    log_in(member, pair.a, MEMBER, PASSWORD)

    logout = member.submit(f"{pair.b.url}/espace/", {}, action=f"{pair.b.url}/deconnexion/")

    assert logout.status == 302
    assert member.get(f"{pair.a.url}/espace/").status == 302


def test_a_correction_published_on_one_server_is_served_by_the_other_at_once(pair):
    [(bulletin_id, slug, latest)] = databases.query(
        pair.database,
        "SELECT b.id, b.slug, max(r.number) FROM bulletins_bulletin b JOIN bulletins_bulletinrevision r"
        " ON r.bulletin_id = b.id GROUP BY b.id ORDER BY max(r.published_at) DESC LIMIT 1",
    )
    reader, staff = Browser(), Browser()
    # The other server has served the bulletin before: nothing it kept may hide the correction.
    assert reader.get(f"{pair.b.url}/bulletins/{slug}/").status == 200
    note = f"Correction publiée depuis le serveur A ({secrets.token_hex(3)})."

    assert log_in_to_the_admin(staff, pair.a, STAFF, PASSWORD).status == 302
    assert give_the_second_factor(staff, pair.a).status == 302
    published = staff.submit(f"{pair.a.url}/admin/bulletins/bulletin/{bulletin_id}/publier/", {"note": note})

    assert published.status == 302
    page = reader.get(f"{pair.b.url}/bulletins/{slug}/")
    assert note in page.text
    document = reader.get(f"{pair.b.url}/bulletins/{slug}/revisions/{latest + 1}/bulletin.json")
    assert document.status == 200
    assert document.json()["bulletin"]["revision"] == latest + 1


@pytest.mark.skipif(
    "axes" not in settings.INSTALLED_APPS, reason="The login lockout (django-axes) is not installed on this branch."
)
def test_a_lockout_reached_on_one_server_holds_on_the_other(pair):
    attacker = Browser()
    # 3 is django-axes' own default.
    for _ in range(getattr(settings, "AXES_FAILURE_LIMIT", 3)):
        log_in(attacker, pair.a, MEMBER, "pas-le-bon-mot-de-passe")

    member = Browser()
    log_in(member, pair.b, MEMBER, PASSWORD)

    assert member.get(f"{pair.b.url}/espace/").status == 302
