"""Tags of the site's frame, shared by every page."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info

from amrc.lib.french_elision import elide_de as french_elide_de
from amrc.lib.translated_text import TranslatedText, reader_language

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    is_current: bool


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[LanguageLink]:
    """This page's address in each language. The language lives in the URL, so switching is a plain
    link: no form, no token, no cookie, and a public page stays the same for every reader."""
    request: HttpRequest | None = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    current = get_language()
    return [
        LanguageLink(
            code=code,
            name=capfirst(get_language_info(code)["name_local"]),
            url=translate_url(path, code),
            is_current=code == current,
        )
        for code, _name in settings.LANGUAGES
    ]


@register.simple_tag
def lang_attributes(text: TranslatedText) -> SafeString | str:
    """` lang="fr" dir="ltr"` for an element whose text is not in the page's language (its translation
    is not written yet), so that it is read, hyphenated and laid out as the language it is in."""
    if not isinstance(text, TranslatedText) or text.language == reader_language():
        return ""
    return format_html(' lang="{}" dir="{}"', text.language, text.direction)


@register.filter
def elide_de(text: str, name: object) -> str:
    """`{% blocktranslate asvar title %}Équipe de {{ company }}{% endblocktranslate %}{{ title|elide_de:company }}`
    reads "Équipe d'Atlas" in French."""
    return french_elide_de(text, name)
