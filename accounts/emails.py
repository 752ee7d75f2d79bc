"""E-mails rendered from templates/emails/: `<name>_subject.txt` and `<name>.txt`."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path: str) -> str:
    """A link usable from an e-mail client; services run outside any request, hence SITE_URL."""
    return f"{settings.SITE_URL}{path}"


def email_send(*, to: list[str], template: str, context: dict) -> None:
    # Recipients have no language preference on record, and the sender's admin language is
    # not theirs: e-mails go out in the platform's default language (French).
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        body = render_to_string(f"emails/{template}.txt", context)
    # A header cannot hold a line break: keep the subject on one line whatever the template.
    subject = " ".join(subject.split())
    EmailMessage(subject=subject, body=body, to=to).send()
