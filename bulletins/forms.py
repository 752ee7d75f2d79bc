from django import forms
from django.utils.translation import gettext_lazy as _

from bulletins.models import CORRECTION_NOTE_MAX_LENGTH


class PublishForm(forms.Form):
    """Confirms a publication; a correction must say what changed (checked by the service too)."""

    note = forms.CharField(
        label=_("Note de correction"),
        required=False,
        max_length=CORRECTION_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Publiée avec la révision et datée : ce qui a changé depuis la révision précédente, et pourquoi."),
    )

    def __init__(self, *args, is_correction: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = is_correction
