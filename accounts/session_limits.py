"""Sessions end SESSION_COOKIE_AGE after the login at most (12 hours), and sooner after
SESSION_IDLE_TIMEOUT without activity (2 hours): a workstation left open in a call centre's
shared office does not stay logged in overnight.

Django expires a session only some time after its last change, so a session in use would live
forever; the two clocks are kept in the session itself. The check runs when something reads
`request.user`, never before: public pages, which never read the session, stay free of it.
"""

import time
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from security.events import security_event

STARTED_KEY = "_amrc_login_at"
SEEN_KEY = "_amrc_seen_at"
# Recording each request would write the session on every page; a minute's precision is plenty.
SEEN_RESOLUTION_SECONDS = 60


def session_start(request: HttpRequest) -> None:
    """Start both clocks: called on every login."""
    now = time.time()
    request.session[STARTED_KEY] = now
    request.session[SEEN_KEY] = now


def _expiry_reason(session, now: float) -> str | None:
    started = session.get(STARTED_KEY)
    seen = session.get(SEEN_KEY, started)
    if now - started >= settings.SESSION_COOKIE_AGE:
        return "max_age"
    if now - seen >= settings.SESSION_IDLE_TIMEOUT:
        return "idle"
    return None


def _limited_user(request: HttpRequest, user):
    if not user.is_authenticated:
        return user
    session = request.session
    now = time.time()
    if session.get(STARTED_KEY) is None:
        # A session opened before these limits existed: its clocks start now.
        session_start(request)
        return user
    reason = _expiry_reason(session, now)
    if reason is not None:
        security_event("session.expired", request, user_id=user.pk, reason=reason)
        session.flush()
        messages.info(request, _("Votre session a expiré. Connectez-vous de nouveau pour continuer."))
        return AnonymousUser()
    if now - session.get(SEEN_KEY, 0) >= SEEN_RESOLUTION_SECONDS:
        session[SEEN_KEY] = now
    return user


class SessionLimitsMiddleware:
    """Between Django's AuthenticationMiddleware and django-otp's OTPMiddleware."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = SimpleLazyObject(partial(_limited_user, request, request.user))
        return self.get_response(request)
