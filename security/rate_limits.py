"""Rate limits (django-ratelimit) on whatever sends an e-mail or checks a password: the login,
self-registration, password reset, invitation sending and acceptance.

Counted in Django's cache, which is the shared Redis when CACHE_URL is set, so that a limit holds
across app servers. Rates come from settings.RATE_LIMITS, read at each request. Beyond a rate the
request raises Ratelimited, which RatelimitMiddleware answers with security.views.ratelimited (429).
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit import UNSAFE
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

LOGIN = "login"
REGISTRATION = "registration"
PASSWORD_RESET = "password_reset"
INVITATION_SEND = "invitation_send"
INVITATION_ACCEPT = "invitation_accept"


def rate(group: str, request: HttpRequest) -> str:
    return settings.RATE_LIMITS[group]


def email_key(group: str, request: HttpRequest) -> str:
    """The address a form was posted for, as the login compares addresses: many requests for one
    mailbox are limited even when they come from many places."""
    return request.POST.get("email", "").strip().lower()[:254]


def limit_posts(group: str, *keys: str | Callable[[str, HttpRequest], str]) -> Callable:
    """A view decorator: the group's rate applies to the POSTs of each key (by default the client's
    address), each counted on its own."""

    def decorate(view: Callable) -> Callable:
        for key in keys or ("ip",):
            view = ratelimit(group=group, key=key, rate=rate, method=UNSAFE, block=True)(view)
        return view

    return decorate


def ensure_within_limit(request: HttpRequest, group: str, key: str = "user") -> None:
    """The same limit for a path that is not a whole view (an admin action): count this request,
    and raise Ratelimited beyond the group's rate."""
    if is_ratelimited(request, group=group, key=key, rate=rate, method=UNSAFE, increment=True):
        raise Ratelimited()
