from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Invitation, User
from members.models import CompanyMembership
from security.events import security_event


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        # The unique index is case-sensitive on some databases; logins are not.
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Un compte utilise déjà cette adresse e-mail."), code="unique")
        return email


class UserChangeForm(DjangoUserChangeForm):
    class Meta:
        model = User
        # The admin passes the fields of its fieldsets.
        fields = ("email", "password")
        field_classes: dict = {}


class MembershipInline(admin.TabularInline):
    """The user's companies. A company is attached through an invitation or from the
    rattachements list, where the company can be searched; here staff change a role or detach."""

    model = CompanyMembership
    fk_name = "user"
    fields = ("company", "role", "created_at")
    readonly_fields = ("company", "created_at")
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("user", "company")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    # Django's add template asks for a "nom d'utilisateur"; these users have none.
    add_form_template = None
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("full_name", "phone", "language")}),
        (_("Notifications (personnel)"), {"fields": ("notify_submissions", "notify_registrations")}),
        (_("Droits"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)
    list_display = ("email", "full_name", "companies", "is_staff", "is_active", "last_login")
    list_filter = ("is_staff", "is_active", "is_superuser")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")
    inlines = [MembershipInline]
    actions: list = []

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("memberships__company")

    def get_inlines(self, request: HttpRequest, obj: User | None) -> list:
        # A user being created has no companies yet: the add form stays e-mail and password.
        return self.inlines if obj is not None else []

    @admin.display(description=_("entreprises"))
    def companies(self, user: User) -> str:
        return ", ".join(membership.company.trade_name for membership in user.memberships.all())


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are created and revoked by the accounts services; here staff follow them.

    The token hash is never shown: it is not a field of the form, nor of the list.
    """

    list_display = (
        "email",
        "company",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
        "usable",
    )
    list_filter = ("role", ("accepted_at", admin.EmptyFieldListFilter), ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("email", "company__trade_name", "company__ice")
    list_select_related = ("company", "invited_by")
    fields = (
        "email",
        "company",
        "role",
        "language",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    )
    date_hierarchy = "created_at"
    actions: list = []

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Invitation | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Invitation | None = None) -> bool:
        return False

    @admin.display(description=_("utilisable"), boolean=True)
    def usable(self, invitation: Invitation) -> bool:
        return invitation.is_usable


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    """Failed logins, per address and IP (django-axes). A pair is locked once its failures reach
    the limit; unlocking removes its record, so the count starts again from zero."""

    actions = ["unlock"]

    @admin.action(description=_("Débloquer les connexions sélectionnées"), permissions=["delete"])
    def unlock(self, request: HttpRequest, queryset: QuerySet) -> None:
        attempts = list(queryset.values_list("username", "ip_address"))
        # One by one, so that axes hears of each deletion and forgets its cached lock too.
        for attempt in queryset:
            attempt.delete()
        for username, ip_address in attempts:
            security_event(
                "login.unlocked", request, by_user_id=request.user.pk, username=username, unlocked_ip=ip_address
            )
        self.message_user(
            request,
            ngettext(
                "%(count)d connexion débloquée : la personne peut se connecter de nouveau.",
                "%(count)d connexions débloquées : ces personnes peuvent se connecter de nouveau.",
                len(attempts),
            )
            % {"count": len(attempts)},
            messages.SUCCESS,
        )
