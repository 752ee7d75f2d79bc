"""Reads shared by the account views, the admin and the services."""

from django.db.models import QuerySet

from accounts.models import Invitation, User
from accounts.tokens import invitation_token_hash
from members.models import Company, CompanyMembership


def invitation_get_by_token(*, token: str) -> Invitation | None:
    return Invitation.objects.select_related("company").filter(token_hash=invitation_token_hash(token)).first()


def user_get_by_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def membership_get_for_user(*, user: User, company_id: int) -> CompanyMembership | None:
    return CompanyMembership.objects.select_related("company").filter(user=user, company_id=company_id).first()


def company_members(*, company: Company) -> QuerySet[CompanyMembership]:
    return company.memberships.select_related("user").order_by("role", "user__full_name", "user__email")


def company_pending_invitations(*, company: Company) -> QuerySet[Invitation]:
    return company.invitations.pending().select_related("invited_by").order_by("email")


def company_admin_count(*, company: Company) -> int:
    return company.memberships.filter(role=CompanyMembership.Role.ADMIN).count()


def user_is_verified_staff(user) -> bool:
    """Staff who proved their second factor in this session (django-otp's OTPMiddleware): only
    they reach the admin and the unpublished bulletins."""
    # A user loaded outside a request has no is_verified(): not verified.
    is_verified = getattr(user, "is_verified", None)
    return bool(user.is_authenticated and user.is_active and user.is_staff and is_verified and is_verified())
