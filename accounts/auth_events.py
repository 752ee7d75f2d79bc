"""Django's and django-axes' authentication signals, turned into security events; a login also
starts the session's clocks (accounts.session_limits). Connected in AccountsConfig.ready."""

import logging

from django.http import HttpRequest

from accounts.session_limits import session_start
from security.events import security_event


def on_user_logged_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if request is None:
        return
    session_start(request)
    security_event("login.succeeded", request, user_id=user.pk, email=user.email)


def on_user_login_failed(sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
    # Django has already masked the password in `credentials`; only the name typed is kept.
    username = credentials.get("username") or credentials.get("email") or ""
    security_event(
        "login.failed",
        request,
        level=logging.WARNING,
        username=str(username),
        locked_out=bool(getattr(request, "axes_locked_out", False)),
    )


def on_user_logged_out(sender, request: HttpRequest | None, user, **kwargs) -> None:
    security_event("logout", request, user_id=getattr(user, "pk", None))


def on_user_locked_out(sender, request: HttpRequest | None, username: str, ip_address: str, **kwargs) -> None:
    security_event("login.locked_out", request, level=logging.WARNING, username=str(username or ""))
