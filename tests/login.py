"""Logging a test client in, as the personas of tests/conftest.py do."""

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def verify_second_factor(client: Client, user) -> TOTPDevice:
    """Mark the client's session as verified by a (new, confirmed) authenticator application of
    `user`, as the admin's second-factor page does."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Application de test", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def log_in(client: Client, user) -> Client:
    """Log `user` in on `client` (again, after the clock has moved past the session's limits);
    staff with their second factor verified, as the admin requires."""
    client.force_login(user)
    if user.is_staff:
        verify_second_factor(client, user)
    return client


def password_logs_in(email: str, password: str) -> bool:
    """Whether the login form would accept this address and password. django-axes watches every
    authentication by its request, so one stands in for the form's."""
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    return authenticate(request, username=email, password=password) is not None
