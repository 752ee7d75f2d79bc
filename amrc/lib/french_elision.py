"""French elides "de" before a vowel or a mute h: "l'équipe d'Atlas", never "l'équipe de Atlas".

Messages name companies and people through a placeholder ("l'équipe de %(company)s"), so the
elision can only be made once the name is in. It is made on the finished French sentence, which
keeps one message per sentence for the translators: Arabic and English are left untouched."""

import re
import unicodedata

from django.utils.translation import get_language

VOWELS = set("aeiouy")


def elides(name: str) -> bool:
    """Whether "de" elides before `name`: an initial vowel (accents aside) or h, as in "d'Hay
    Hassani"; "y" only when a consonant follows, as in "d'Yves" but "de Yasmine"."""
    letters = unicodedata.normalize("NFD", name.strip().lower())
    letters = "".join(char for char in letters if not unicodedata.combining(char))
    if not letters:
        return False
    first, following = letters[0], letters[1:2]
    if first == "y":
        return bool(following) and following not in VOWELS
    return first in VOWELS or first == "h"


def elide_de(text: str, *names: object) -> str:
    """`text` with "de <name>" turned into "d'<name>" for each name that elides, in French only."""
    if not (get_language() or "fr").startswith("fr"):
        return text
    for name in {str(name) for name in names if name}:
        if elides(name):
            text = re.sub(rf"\b([dD])e ({re.escape(name)})(?!\w)", r"\1'\2", text)
    return text
