"""A member's pages kept rendered, per user, while nothing they show has changed.

A member reloads the dashboard and reopens a draft many times a day; rendering either page costs
several times what serving it from memory costs. So the page is kept in Django's cache under a key
made of everything it is built from, and a request that finds it is answered with three queries
(session, user, and the page's state) instead of rendering it:

- the page's state, read in one query (portal.page_state): a fingerprint of every row it shows;
- the user: the page is kept for this user only, with their name and e-mail in the header, so a
  colleague of the same company never gets it;
- the CSRF secret of the browser (the page's forms carry a token masked from it: a new login makes
  a new secret, hence a new copy), the language, the address, today's date (a collection opens and
  locks on a date), the publication generation (the sector comparison) and the code's version.

Never kept: a page with a message to show once (the message would be shown again), a posted form
(it shows what was typed), a page with query parameters, and any answer but a plain 200. A copy
lasts MEMBER_PAGE_SECONDS at most, which bounds what a change made outside the platform's code
(`QuerySet.update()`, SQL) could leave visible, and what each process's memory holds.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from amrc.lib.source_version import source_version
from public.page_cache import publication_generation

# Also what the sector comparison kept inside the dashboard allows (templates/portal/dashboard.html):
# without a shared cache, a publication reaches another process's copies within that time.
MEMBER_PAGE_SECONDS = 300


def _shown_user(user) -> tuple:
    """What the page's header shows of the user (base.html)."""
    return (user.pk, user.full_name, user.email, user.is_staff)


def _csrf_secret_digest(request: HttpRequest) -> str:
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        # A browser without the cookie yet gets its secret now, as rendering the page's forms would.
        get_token(request)
        secret = request.META["CSRF_COOKIE"]
    return hashlib.sha256(secret.encode()).hexdigest()


def _keepable(request: HttpRequest) -> bool:
    # len() counts the messages waiting without marking them shown.
    return request.method == "GET" and not request.GET and not len(get_messages(request))


def _keepable_answer(request: HttpRequest, response: HttpResponse) -> bool:
    # A message the view itself queued was shown in this page, once.
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not len(get_messages(request))
    )


def member_page(state: Callable[..., tuple | None]) -> Callable:
    """Keep the view's page for each user while `state(user, **kwargs)` reads the same.
    `state` answers None when there is nothing to keep the page for (the view answers)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _keepable(request):
                return view(request, *args, **kwargs)
            page_state = state(request.user, *args, **kwargs)
            if page_state is None:
                return view(request, *args, **kwargs)
            parts = (
                view.__module__,
                view.__qualname__,
                request.path,
                _shown_user(request.user),
                _csrf_secret_digest(request),
                get_language(),
                timezone.localdate().isoformat(),
                publication_generation(),
                source_version(),
                page_state,
            )
            key = "member-page:" + hashlib.sha256(repr(parts).encode()).hexdigest()
            kept = cache.get(key)
            if kept is not None:
                content, content_type = kept
                return HttpResponse(content, content_type=content_type)
            response = view(request, *args, **kwargs)
            if _keepable_answer(request, response):
                cache.set(key, (response.content, response["Content-Type"]), MEMBER_PAGE_SECONDS)
            return response

        return wrapped

    return decorator
