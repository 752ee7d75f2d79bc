"""A label and its value on one line ("Production : oui" in French, with the space French puts
before a colon; "Production: yes" in English or Arabic), and the items of one sentence ("a ; b"),
each as the language's translation of the one pattern says."""

from django.utils.translation import gettext


def labelled(label: object, value: object) -> str:
    return gettext("%(label)s : %(value)s") % {"label": label, "value": value}


def listed(parts: list[str]) -> str:
    """Items of one sentence, separated as the language separates them ("a ; b" in French)."""
    # Translators: the separator between items of a list in one sentence; French puts a space before it.
    return gettext(" ; ").join(parts)
