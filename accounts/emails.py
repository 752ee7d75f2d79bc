"""E-mails rendered from templates/emails/: `<name>_subject.txt` and `<name>.txt`.

Every e-mail is written in its recipient's language (`User.language`; an invitation's own for
someone without an account yet), with links to the pages in that language built from SITE_URL:
services render it with `email_send(language=…)` and build its links with `localized_url`."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from amrc.lib.french_elision import elide_de


class Recipient(Protocol):
    email: str
    language: str


def absolute_url(path: str) -> str:
    """A link usable from an e-mail client; services run outside any request, hence SITE_URL."""
    return f"{settings.SITE_URL}{path}"


def localized_url(viewname: str, *, language: str, args: tuple = ()) -> str:
    """The absolute address of a page in `language`: French unprefixed, /ar/… and /en/… otherwise,
    so that the link opens the page in the language the e-mail is written in."""
    with translation.override(language):
        return absolute_url(reverse(viewname, args=args))


def recipients_by_language(recipients: Iterable[Recipient]) -> dict[str, list[str]]:
    """The recipients' addresses grouped by the language they read their e-mails in: one e-mail
    per language, each with its links."""
    groups: dict[str, list[str]] = defaultdict(list)
    for recipient in recipients:
        groups[recipient.language or settings.LANGUAGE_CODE].append(recipient.email)
    return dict(groups)


def email_render(*, template: str, context: dict, language: str | None = None) -> tuple[str, str]:
    """The subject and body of an e-mail, as its recipient will read them."""
    # The sender's admin language is not the recipients': without their own preference, e-mails go
    # out in the platform's default language (French).
    # E-mails name their company ("la déclaration de {{ company }}"): French elides the "de".
    company = context.get("company")
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = elide_de(render_to_string(f"emails/{template}_subject.txt", context), company)
        body = elide_de(render_to_string(f"emails/{template}.txt", context), company)
    # A header cannot hold a line break: keep the subject on one line whatever the template.
    return " ".join(subject.split()), body


def email_send(
    *,
    to: list[str],
    template: str,
    context: dict,
    language: str | None = None,
    connection: BaseEmailBackend | None = None,
) -> None:
    language = language or settings.LANGUAGE_CODE
    subject, body = email_render(template=template, context=context, language=language)
    # Content-Language (RFC 3282) lets mail clients pick the reading direction, spell checker and
    # translation offer; for Arabic the body is right to left.
    EmailMessage(
        subject=subject, body=body, to=to, connection=connection, headers={"Content-Language": language}
    ).send()
