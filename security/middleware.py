"""Response headers that protect readers: what the browser may use (Permissions-Policy), and that
nothing personal is kept in a cache. The Content-Security-Policy comes from django-csp."""

from django.conf import settings
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
