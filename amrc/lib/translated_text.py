"""Text that staff write in several languages (a bulletin's title and editorial, the labels of the
sector's reference figures): the reader gets their own language when it was written, French
otherwise, and the page is told which language it got so that it can mark the block (`lang`,
`dir`): a French paragraph on an Arabic page must read left to right, its punctuation in place."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language, get_language_info


@dataclass(frozen=True)
class TranslatedText:
    text: str
    language: str

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text.strip())

    @property
    def direction(self) -> str:
        return "rtl" if get_language_info(self.language)["bidi"] else "ltr"


def reader_language() -> str:
    """The language of the page being built: one of settings.LANGUAGES, French outside a request."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def in_reader_language(texts: Mapping[str, str], *, language: str | None = None) -> TranslatedText:
    """`texts` maps language codes to what staff wrote; French, the source language, is always
    there. A blank translation falls back to French rather than showing nothing."""
    language = language or reader_language()
    text = texts.get(language) or ""
    if text.strip():
        return TranslatedText(text=text, language=language)
    return TranslatedText(text=texts.get(settings.LANGUAGE_CODE) or "", language=settings.LANGUAGE_CODE)
