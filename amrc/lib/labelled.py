"""A label and its value on one line: "Production : oui" in French, with the space French puts
before a colon, and "Production: yes" in English or Arabic, as each language's translation of the
one pattern says."""

from django.utils.translation import gettext


def labelled(label: object, value: object) -> str:
    return gettext("%(label)s : %(value)s") % {"label": label, "value": value}
