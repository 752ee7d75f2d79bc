from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import views
from accounts.forms import PasswordResetForm
from security.rate_limits import PASSWORD_RESET, email_key, limit_posts

app_name = "accounts"

urlpatterns = [
    path("invitation/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("inscription/", views.company_register, name="register"),
    path("inscription/envoyee/", views.company_register_done, name="register-done"),
    path("preferences/", views.preferences, name="preferences"),
    path("entreprises/<int:company_id>/equipe/", views.team, name="team"),
    path("entreprises/<int:company_id>/equipe/inviter/", views.team_invite, name="team-invite"),
    path(
        "entreprises/<int:company_id>/equipe/membres/<int:membership_id>/retirer/",
        views.membership_remove,
        name="membership-remove",
    ),
    path(
        "entreprises/<int:company_id>/equipe/invitations/<int:invitation_id>/annuler/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    # Django's password views, pointed at this namespace. The change templates are not named
    # registration/password_change_*.html because the admin renders those for its own page.
    path(
        "mot-de-passe/modifier/",
        auth_views.PasswordChangeView.as_view(
            template_name="registration/account_password_change_form.html",
            success_url=reverse_lazy("accounts:password-change-done"),
        ),
        name="password-change",
    ),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/account_password_change_done.html"),
        name="password-change-done",
    ),
    path(
        "mot-de-passe/oublie/",
        # Limited per client and per address posted, whether or not an account has it: the limit
        # tells nothing about which addresses exist.
        limit_posts(PASSWORD_RESET, "ip", email_key)(
            auth_views.PasswordResetView.as_view(
                form_class=PasswordResetForm,
                success_url=reverse_lazy("accounts:password-reset-done"),
            )
        ),
        name="password-reset",
    ),
    path(
        "mot-de-passe/oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("accounts:password-reset-complete")),
        name="password-reset-confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
]
