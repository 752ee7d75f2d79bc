"""Logging a test client in, as the personas of tests/conftest.py do."""

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.test import Client


def log_in(client: Client, user) -> Client:
    """Log `user` in on `client` (again, after the clock has moved past the session's limits)."""
    client.force_login(user)
    return client


def password_logs_in(email: str, password: str) -> bool:
    """Whether the login form would accept this address and password. django-axes watches every
    authentication by its request, so one stands in for the form's."""
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    return authenticate(request, username=email, password=password) is not None
