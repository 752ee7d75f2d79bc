"""A label and its value: French puts a space before the colon, English and Arabic do not."""

import pytest
from django.utils import translation

from amrc.lib.labelled import labelled, listed


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", "Production : oui"), ("en", "Production: oui"), ("ar", "Production: oui")]
)
def test_a_label_and_its_value_follow_the_languages_punctuation(language, expected):
    with translation.override(language):
        assert labelled("Production", "oui") == expected


@pytest.mark.parametrize(("language", "expected"), [("fr", "a ; b"), ("en", "a; b"), ("ar", "a؛ b")])
def test_items_of_a_sentence_are_separated_as_the_language_does(language, expected):
    with translation.override(language):
        assert listed(["a", "b"]) == expected
