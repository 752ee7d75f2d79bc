"""Writes to the registry that record who did what (see measures and accounts for the others)."""

from django.utils import timezone

from accounts.models import User
from members.models import Company


def company_verify_formality(*, company: Company, user: User, formality: str) -> Company:
    """Set a company's formality as checked by a staff member, keeping who checked and when.

    Every later aggregate splits formal from informal operators, so the verification must
    be traceable: the company's history also records the user as the author of the change.
    """
    company.formality = formality
    company.formality_verified_by = user
    company.formality_verified_at = timezone.now()
    company.full_clean()
    # Outside a request (a command, a test) simple_history would not know who made the change.
    company._history_user = user
    company.save()
    return company
