"""Logging a test client in, as the personas of tests/conftest.py do."""

from django.test import Client


def log_in(client: Client, user) -> Client:
    """Log `user` in on `client` (again, after the clock has moved past the session's limits)."""
    client.force_login(user)
    return client
