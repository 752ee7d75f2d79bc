"""Shared personas: a staff user, a declarant of company A, a declarant of company B (the
outsider), an anonymous visitor. Permission tests become one-liners."""

import pytest
from django.core.cache import caches
from django.test import Client

from members.models import CompanyMembership
from public.page_cache import forget_local_pages
from tests.factories import CompanyFactory, MembershipFactory, StaffUserFactory, UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2 is slow on purpose (~0.2 s a user); tests create hundreds of users and need none of its strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """Every test starts with an empty cache of its own process's memory: a page one test cached
    must not answer the next, and a CACHE_URL in the environment must never be flushed by tests."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "amrc-tests",
            "KEY_PREFIX": "amrc-tests",
        }
    }
    caches["default"].clear()
    forget_local_pages()


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
    client = Client()
    client.force_login(user)
    return client


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
