"""Shared personas: a staff user, a declarant of company A, a declarant of company B (the
outsider), an anonymous visitor. Permission tests become one-liners."""

import importlib
import os
import secrets

import pytest
import redis
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.test import Client, override_settings
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from amrc.lib.cache_url import parse_cache_url, session_engine
from members.models import CompanyMembership
from public.page_cache import forget_local_pages
from tests.factories import CompanyFactory, MembershipFactory, StaffUserFactory, UserFactory
from tests.login import log_in

# Property tests run the same examples on every run, on every machine: CI's clean clone runs what
# the developer ran, and a red build is a change, never a new random draw. Exploring new examples
# is a deliberate act: `HYPOTHESIS_PROFILE=explore` or `pytest --hypothesis-profile=explore`
# (random draws, failures remembered in .hypothesis/ and replayed first next time).
hypothesis_settings.register_profile("repeatable", derandomize=True, database=None, print_blob=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture(scope="session", autouse=True)
def static_files_without_manifest():
    """Django's runner renders pages with DEBUG off, where the production storage links hashed names
    that only collectstatic's manifest knows. The tests render from the source files instead; the
    production storage is tested under gunicorn after a real collectstatic (tests/deploy/)."""
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(autouse=True)
def french_outside_requests():
    """A test client's request to /ar/ or /en/ leaves that language active in the thread
    (LocaleMiddleware activates it and nothing deactivates it): without this, the next test would
    reverse /ar/ addresses and read Arabic messages wherever it expects the French source."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2 is slow on purpose (~0.2 s a user); tests create hundreds of users and need none of its strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    # Background tasks run at once, inside the call that enqueues them: a test sees their effects
    # without a worker. tests/followup/test_database_worker.py runs the real database backend.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def reference_data(transactional_db):
    """The rows the data migrations load (regions, measure catalogue, sector figures), put back
    when a transactional test that ran before emptied them with its closing flush. Unlike
    serialized_rollback, this also holds once a browser test's event loop has given the thread
    another database connection."""
    for module, loader in (
        ("members.migrations.0002_load_regions", "load_regions"),
        ("members.migrations.0003_load_sector_figures", "load_figures"),
        ("members.migrations.0007_translate_sector_figures", "translate_figures"),
        ("measures.migrations.0002_load_measure_catalogue", "load_measures"),
    ):
        getattr(importlib.import_module(module), loader)(apps, None)


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """Every test starts with an empty cache of its own: a page one test cached must not answer
    the next, nor a rate limit one test reached, nor the quality flags' segment references (keyed
    by a campaign's id and last change, which the next test may repeat); and a CACHE_URL in the
    environment is never flushed by tests.

    With TEST_REDIS_URL set, the cache is that Redis, under a key prefix of the test's own whose
    keys are deleted afterwards, and sessions are read from it as in production with a shared
    cache (amrc.lib.cache_url.session_engine): the session and login rules are then tested
    against the engine production runs. Otherwise, the process's memory and database sessions."""
    redis_url = os.environ.get("TEST_REDIS_URL")
    if not redis_url:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "amrc-tests",
                "KEY_PREFIX": "amrc-tests",
            }
        }
        caches["default"].clear()
        forget_local_pages()
        yield
        return
    prefix = f"amrc-tests-{secrets.token_hex(6)}"
    settings.CACHES = parse_cache_url(redis_url, key_prefix=prefix)
    settings.SESSION_ENGINE = session_engine(redis_url)
    forget_local_pages()
    yield
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def staff_user(db):
    return StaffUserFactory(email="staff@amrc.ma", full_name="Équipe AMRC")


@pytest.fixture
def company_a(db):
    return CompanyFactory(trade_name="Atlas Contact")


@pytest.fixture
def company_b(db):
    return CompanyFactory(trade_name="Bahia Relation Client")


@pytest.fixture
def declarant_a(company_a):
    user = UserFactory(email="declarant@atlas.ma", full_name="Amina Declarante")
    MembershipFactory(user=user, company=company_a, role=CompanyMembership.Role.DECLARANT)
    return user


@pytest.fixture
def company_admin_a(company_a):
    user = UserFactory(email="admin@atlas.ma", full_name="Karim Administrateur")
    MembershipFactory(user=user, company=company_a, role=CompanyMembership.Role.ADMIN)
    return user


@pytest.fixture
def declarant_b(company_b):
    user = UserFactory(email="declarant@bahia.ma", full_name="Youssef Outsider")
    MembershipFactory(user=user, company=company_b, role=CompanyMembership.Role.DECLARANT)
    return user


def _client_for(user) -> Client:
    return log_in(Client(), user)


@pytest.fixture
def staff_client(staff_user):
    return _client_for(staff_user)


@pytest.fixture
def declarant_a_client(declarant_a):
    return _client_for(declarant_a)


@pytest.fixture
def company_admin_a_client(company_admin_a):
    return _client_for(company_admin_a)


@pytest.fixture
def declarant_b_client(declarant_b):
    return _client_for(declarant_b)


@pytest.fixture
def anonymous_client():
    return Client()
