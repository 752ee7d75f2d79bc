"""The admin site: Django's, with its login under the same rate limit as the member login."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from security.rate_limits import LOGIN, limit_posts


class AmrcAdminSite(admin.AdminSite):
    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        return limit_posts(LOGIN)(super().login)(request, extra_context)
