"""django-axes' view of a login attempt: who is trying (the e-mail address as the login form
reads it), and what they see once locked out. Settings: AXES_* in amrc/settings.py."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# A login name is an e-mail address: longer is an attack, and would not fit axes' columns.
USERNAME_MAX_LENGTH = 254


def lockout_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The address as typed, compared without regard to case or spaces, like the login itself:
    "Staff@AMRC.ma " and "staff@amrc.ma" count as the same account."""
    raw = (credentials or {}).get("username") if credentials else request.POST.get("username")
    return str(raw or "").strip().lower()[:USERNAME_MAX_LENGTH]


def lockout_response(request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None):
    """Replaces the login page once the account is locked for this address (429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/lockout.html", {"minutes": minutes}, status=429)
