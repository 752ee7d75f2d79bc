from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Comptes")

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth import signals

        from accounts import auth_events

        signals.user_logged_in.connect(auth_events.on_user_logged_in, dispatch_uid="accounts.login")
        signals.user_login_failed.connect(auth_events.on_user_login_failed, dispatch_uid="accounts.login_failed")
        signals.user_logged_out.connect(auth_events.on_user_logged_out, dispatch_uid="accounts.logout")
        user_locked_out.connect(auth_events.on_user_locked_out, dispatch_uid="accounts.locked_out")
