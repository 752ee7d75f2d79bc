"""Rows for the models that have no factory in tests/factories.py; only the admin tests need them."""

import datetime
import secrets

from django.utils import timezone

from accounts.models import Invitation
from measures.models import Declaration, DeclarationEvent
from members.models import CompanyMessage
from tests.factories import CompanyFactory


def make_invitation(*, company=None, email: str = "contact@example.ma", **fields) -> Invitation:
    fields.setdefault("expires_at", timezone.now() + datetime.timedelta(days=7))
    return Invitation.objects.create(
        email=email,
        company=company or CompanyFactory(),
        token_hash=secrets.token_hex(32),
        **fields,
    )


def make_message(*, company=None, subject: str = "Rappel", created_by=None) -> CompanyMessage:
    return CompanyMessage.objects.create(
        company=company, subject=subject, body="Merci de déclarer avant vendredi.", created_by=created_by
    )


def make_event(declaration: Declaration, *, actor=None, action: str = DeclarationEvent.Action.SUBMITTED):
    return DeclarationEvent.objects.create(declaration=declaration, action=action, actor=actor)


def admin_form_data(response, **changes) -> dict:
    """The POST an admin change page would send back untouched, with `changes` applied:
    tests then state only what the user edits."""
    data: dict = {}

    def put(form, prefix: str = "") -> None:
        for name in form.fields:
            value = form[name].value()
            key = f"{prefix}{name}"
            if value is None:
                data[key] = ""
            elif value is True:
                data[key] = "on"
            elif value is False:
                continue
            elif isinstance(value, list | tuple):
                data[key] = [str(item) for item in value]
            else:
                data[key] = str(value)

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        put(formset.management_form, f"{formset.prefix}-")
        for form in formset.forms:
            put(form, f"{form.prefix}-")
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
