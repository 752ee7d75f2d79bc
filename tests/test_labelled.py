"""A label and its value: French puts a space before the colon, English and Arabic do not."""

import pytest
from django.utils import translation

from amrc.lib.labelled import labelled


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", "Production : oui"), ("en", "Production: oui"), ("ar", "Production: oui")]
)
def test_a_label_and_its_value_follow_the_languages_punctuation(language, expected):
    with translation.override(language):
        assert labelled("Production", "oui") == expected
