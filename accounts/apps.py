from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Comptes")
    # This module holds the admin's configuration too: "accounts" alone means this one.
    default = True

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth import signals

        from accounts import auth_events

        signals.user_logged_in.connect(auth_events.on_user_logged_in, dispatch_uid="accounts.login")
        signals.user_login_failed.connect(auth_events.on_user_login_failed, dispatch_uid="accounts.login_failed")
        signals.user_logged_out.connect(auth_events.on_user_logged_out, dispatch_uid="accounts.logout")
        user_locked_out.connect(auth_events.on_user_locked_out, dispatch_uid="accounts.locked_out")


class AmrcAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the platform's site as `admin.site` (INSTALLED_APPS names it)."""

    default = False
    default_site = "accounts.admin_site.AmrcAdminSite"
