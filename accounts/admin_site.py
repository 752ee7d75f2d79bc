"""The admin site: Django's, for staff who proved a second factor in this session.

A staff member logs in with a password (rate-limited like the member login), then enters a code
from an authenticator application or a backup code; on the first visit they set the application
up (QR code and secret) and receive their backup codes. Until then no admin page opens, and
draft bulletins stay hidden (accounts.selectors.user_is_verified_staff).
"""

import logging
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import login as otp_login

from accounts import two_factor
from accounts.forms import TwoFactorCodeForm, add_service_errors
from accounts.selectors import user_is_verified_staff
from security.admin_guard import AdminInputGuardMixin
from security.events import security_event
from security.rate_limits import LOGIN, limit_posts


def _is_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


class AmrcAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options) -> None:
        """Every ModelAdmin, ours or a library's, gets the admin's input guard."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AdminInputGuardMixin):
            names = {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__}
            admin_class = type(admin_class.__name__, (AdminInputGuardMixin, admin_class), names)
        super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and user_is_verified_staff(request.user)

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        if request.method == "GET" and _is_staff(request.user) and not self.has_permission(request):
            return self._second_factor_redirect(request)
        response = limit_posts(LOGIN)(super().login)(request, extra_context)
        # A right password is half the way in: the second factor comes next.
        if request.method == "POST" and _is_staff(request.user) and not user_is_verified_staff(request.user):
            return self._second_factor_redirect(request)
        return response

    def get_urls(self) -> list[URLPattern]:
        return [
            path("deux-facteurs/", self._staff_only(self.two_factor_verify), name="two-factor"),
            path("deux-facteurs/activer/", self._staff_only(self.two_factor_setup), name="two-factor-setup"),
            path(
                "deux-facteurs/codes-de-secours/",
                self._staff_only(self.two_factor_backup_codes),
                name="two-factor-backup-codes",
            ),
            *super().get_urls(),
        ]

    # --- The second factor ---

    def two_factor_verify(self, request: HttpRequest) -> HttpResponse:
        """Enter a code from the application, or a backup code."""
        if not two_factor.user_has_two_factor(request.user):
            return redirect(self._with_next(request, "admin:two-factor-setup"))
        form = TwoFactorCodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            device = two_factor.two_factor_verify(user=request.user, code=form.cleaned_data["code"])
            if device is not None:
                self._verified(request, device, event="two_factor.verified")
                return HttpResponseRedirect(self._next_url(request))
            security_event("two_factor.failed", request, level=logging.WARNING, user_id=request.user.pk)
            form.add_error("code", two_factor.WRONG_CODE)
        return self._render(
            request,
            "admin/two_factor/verify.html",
            {"title": _("Vérification en deux étapes"), "form": form, "next": self._next_url(request)},
        )

    def two_factor_setup(self, request: HttpRequest) -> HttpResponse:
        """Set up an authenticator application: first time, or to replace one (once verified)."""
        if not self.has_permission(request) and two_factor.user_has_two_factor(request.user):
            # A password alone must not be enough to attach another device to the account.
            return redirect(self._with_next(request, "admin:two-factor"))
        device = two_factor.totp_device_pending(user=request.user)
        form = TwoFactorCodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                codes = two_factor.totp_device_confirm(device=device, code=form.cleaned_data["code"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                self._verified(request, device, event="two_factor.enrolled")
                return self._render_backup_codes(request, codes)
        return self._render(
            request,
            "admin/two_factor/setup.html",
            {
                "title": _("Activer la vérification en deux étapes"),
                "form": form,
                "qr_svg": two_factor.totp_qr_svg(device),
                "secret": two_factor.totp_secret(device),
                "next": self._next_url(request),
            },
        )

    def two_factor_backup_codes(self, request: HttpRequest) -> HttpResponse:
        """How many backup codes are left, and a new set on demand (the old ones stop working)."""
        if not self.has_permission(request):
            return redirect(self._with_next(request, "admin:two-factor"))
        if request.method == "POST":
            codes = two_factor.backup_codes_renew(user=request.user)
            security_event("two_factor.backup_codes_renewed", request, user_id=request.user.pk)
            return self._render_backup_codes(request, codes)
        return self._render(
            request,
            "admin/two_factor/backup_codes.html",
            {
                "title": _("Codes de secours"),
                "remaining": two_factor.backup_codes_remaining(user=request.user),
            },
        )

    # --- Helpers ---

    def _staff_only(self, view: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
        """Like admin_view, for staff who have given their password but maybe not the second factor."""

        @wraps(view)
        def wrapped(request: HttpRequest) -> HttpResponse:
            if not _is_staff(request.user):
                return redirect(f"{reverse('admin:login', current_app=self.name)}?{urlencode({'next': request.path})}")
            request.current_app = self.name
            return view(request)

        return never_cache(csrf_protect(wrapped))

    def _verified(self, request: HttpRequest, device, *, event: str) -> None:
        otp_login(request, device)
        # A new level of access gets a new session key, as a login does.
        request.session.cycle_key()
        security_event(event, request, user_id=request.user.pk, device=device.persistent_id)

    def _second_factor_redirect(self, request: HttpRequest) -> HttpResponse:
        target = "admin:two-factor" if two_factor.user_has_two_factor(request.user) else "admin:two-factor-setup"
        return redirect(self._with_next(request, target))

    def _next_url(self, request: HttpRequest) -> str:
        candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
        return reverse("admin:index", current_app=self.name)

    def _with_next(self, request: HttpRequest, url_name: str) -> str:
        return f"{reverse(url_name, current_app=self.name)}?{urlencode({'next': self._next_url(request)})}"

    def _render(self, request: HttpRequest, template: str, context: dict) -> TemplateResponse:
        return TemplateResponse(request, template, {**self.each_context(request), **context})

    def _render_backup_codes(self, request: HttpRequest, codes: list[str]) -> TemplateResponse:
        return self._render(
            request,
            "admin/two_factor/backup_codes_new.html",
            {"title": _("Vos codes de secours"), "codes": codes, "next": self._next_url(request)},
        )
