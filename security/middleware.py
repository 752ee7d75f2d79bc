"""Response headers that protect readers: what the browser may use (Permissions-Policy), and that
nothing personal is kept in a cache (the Content-Security-Policy comes from django-csp); and the
refusal of addresses no browser sends."""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class PermissionsPolicyMiddleware:
    """Turn off every powerful browser feature the platform never uses (PERMISSIONS_POLICY_DISABLED):
    a script slipped into a page could not reach the camera, the microphone or the position."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DISABLED)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class PrivateNoStoreMiddleware:
    """A response built after reading the session (a member's figures, the admin, a form with a
    token) gets `Cache-Control: private, no-store`: no proxy, and no browser history on a shared
    office computer, keeps it. Unless the view chose its own Cache-Control.

    The rule looks at whether the session was read, never at request.user: reading the user would
    read the session on public pages too, which must stay cacheable and free of cookies.
    Placed right after SessionMiddleware, so that it sees what every other middleware read.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class RejectNulBytesMiddleware:
    """A NUL byte in an address or its query string answers 400. No link carries one, PostgreSQL
    cannot compare text with one (an admin search or filter would fail with a 500), and forms
    already refuse it in what they receive (Django's ProhibitNullCharactersValidator)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise SuspiciousOperation("NUL byte in the address")
        return self.get_response(request)


class RejectFormsetFloodMiddleware:
    """A POST claiming more rows in a formset than FORMSET_MAX_FORMS answers 400 before any form is
    built. Each formset bounds itself too (absolute_max); this refuses at once, whatever the page,
    a 3 KB request that claims 10,000 rows to keep a worker busy."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            for key, value in request.POST.items():
                if key.endswith("TOTAL_FORMS") and value.strip().isdigit() and int(value) > settings.FORMSET_MAX_FORMS:
                    raise SuspiciousOperation(f"{key}={value[:20]} is beyond FORMSET_MAX_FORMS")
        return self.get_response(request)
