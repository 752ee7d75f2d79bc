from django import forms
from django.utils.translation import gettext_lazy as _

from amrc.lib.labelled import listed
from bulletins.models import CORRECTION_NOTE_MAX_LENGTH


class PublishForm(forms.Form):
    """Confirms a publication; a correction must say what changed, a provisional bulletin must be
    confirmed as such (both checked by the service too)."""

    note = forms.CharField(
        label=_("Note de correction"),
        required=False,
        max_length=CORRECTION_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Publiée avec la révision et datée : ce qui a changé depuis la révision précédente, et pourquoi."),
    )

    confirm_provisional = forms.BooleanField(
        label=_("Publier comme bulletin provisoire"),
        required=False,
        help_text=_("Le bulletin public, ses fichiers et le flux diront « provisoire », avec les raisons ci-dessus."),
    )

    def __init__(self, *args, is_correction: bool, provisional_reasons: list[str] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = is_correction
        self.provisional_reasons = list(provisional_reasons)
        if not self.provisional_reasons:
            # Nothing to confirm: the service publishes a final revision.
            del self.fields["confirm_provisional"]

    def clean_confirm_provisional(self) -> bool:
        confirmed = self.cleaned_data["confirm_provisional"]
        if not confirmed:
            raise forms.ValidationError(
                _("Ce bulletin serait provisoire (%(reasons)s) : cochez la case pour le publier comme tel."),
                code="provisional",
                params={"reasons": listed(self.provisional_reasons)},
            )
        return confirmed
