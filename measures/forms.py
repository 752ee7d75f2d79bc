"""The member's declaration form: the figures, the regional breakdown and the measures checklist.

Forms only check what a browser can get wrong (types, signs, choices); the figure rules live in
measures.validation and are applied by measures.services, whose errors come back here to be
shown next to the fields. Choices come from lists loaded once by the view, so that a form with
twelve regional lines and the whole catalogue costs no more queries than a small one.
"""

from collections.abc import Sequence
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from measures.models import COMMENT_MAX_LENGTH, Declaration, DeclarationMeasure, Measure
from measures.services import MEMBER_FIELDS, DeclarationError, MeasureAnswerInput, RegionalLineInput
from members.models import Region


def _number_input(**attrs: Any) -> forms.NumberInput:
    return forms.NumberInput(attrs={"min": 0, "inputmode": "numeric", **attrs})


class DeclarationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    confirm_warnings = forms.BooleanField(
        label=_("Je confirme que ces chiffres sont exacts."),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = Declaration
        fields = MEMBER_FIELDS
        widgets = {
            "headcount": _number_input(**{"data-total": "headcount"}),
            "on_site": _number_input(**{"data-part": "on_site"}),
            "telework": _number_input(**{"data-part": "telework"}),
            "technical_unemployment": _number_input(**{"data-part": "technical_unemployment"}),
            "other_absence": _number_input(**{"data-part": "other_absence"}),
            "hires": _number_input(),
            "separations": _number_input(),
            "dismissals": _number_input(),
            "activity_maintained_pct": _number_input(max=100),
            "export_revenue": forms.NumberInput(attrs={"min": 0, "step": "0.01", "inputmode": "decimal"}),
            "difficulties": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        # The page wraps this form and its two formsets in one <form>: one submission, one save.
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("version"),
            Fieldset(
                _("Effectif et répartition"),
                "headcount",
                Row(
                    Column("on_site", css_class="col-sm-6 col-lg-3"),
                    Column("telework", css_class="col-sm-6 col-lg-3"),
                    Column("technical_unemployment", css_class="col-sm-6 col-lg-3"),
                    Column("other_absence", css_class="col-sm-6 col-lg-3"),
                ),
                HTML('<div class="live-check" data-check="split" aria-live="polite"></div>'),
                css_id="section-headcount",
            ),
            Fieldset(
                _("Mouvements"),
                Row(
                    Column("hires", css_class="col-sm-4"),
                    Column("separations", css_class="col-sm-4"),
                    Column("dismissals", css_class="col-sm-4"),
                ),
                css_id="section-movements",
            ),
            Fieldset(
                _("Répartition régionale"),
                HTML('{% include "portal/_regional_formset.html" %}'),
                css_id="section-regions",
            ),
            Fieldset(
                _("Fonctions maintenues sur site"),
                "keeps_technical_on_site",
                "keeps_hr_on_site",
                "keeps_support_on_site",
                "keeps_production_on_site",
                css_id="section-on-site",
            ),
            Fieldset(
                _("Mesures"),
                HTML('{% include "portal/_measure_formset.html" %}'),
                css_id="section-measures",
            ),
            Fieldset(
                _("Export et activité"),
                Row(
                    Column("export_revenue", css_class="col-sm-6"),
                    Column("activity_maintained_pct", css_class="col-sm-6"),
                ),
                css_id="section-export",
            ),
            Fieldset(_("Difficultés"), "difficulties", css_id="section-difficulties"),
        )

    def member_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in MEMBER_FIELDS}


class RegionalLineForm(forms.Form):
    region = forms.TypedChoiceField(
        label=_("Région"),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Cette région n'existe pas.")},
    )
    headcount = forms.IntegerField(
        label=_("Effectif"), min_value=0, required=False, widget=_number_input(**{"data-line": "headcount"})
    )
    on_site = forms.IntegerField(
        label=_("Sur site"), min_value=0, required=False, widget=_number_input(**{"data-line": "on_site"})
    )
    telework = forms.IntegerField(
        label=_("En télétravail"), min_value=0, required=False, widget=_number_input(**{"data-line": "telework"})
    )

    def __init__(self, *args: Any, regions: Sequence[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("— Choisir une région —"))] + [
            (region.pk, region.name) for region in regions
        ]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "region" else "form-control"
            # The table's column headers label the inputs for sighted users; screen readers need this.
            field.widget.attrs["aria-label"] = field.label

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        figures = [cleaned.get(name) for name in ("headcount", "on_site", "telework")]
        if any(value is not None for value in figures):
            if cleaned.get("region") is None and "region" not in self.errors:
                self.add_error("region", _("Choisissez la région de ces salariés."))
            if cleaned.get("headcount") is None and "headcount" not in self.errors:
                self.add_error("headcount", _("Indiquez l'effectif de la région."))
        return cleaned

    def line(self) -> RegionalLineInput | None:
        """The line this row declares, or None for a row left empty (which removes the region)."""
        data = self.cleaned_data
        if data.get("region") is None or data.get("headcount") is None:
            return None
        return RegionalLineInput(
            region_id=data["region"],
            headcount=data["headcount"],
            on_site=data.get("on_site") or 0,
            telework=data.get("telework") or 0,
        )


class _EveryRowFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        # Read every row, even one equal to its initial values: otherwise a management form
        # claiming no initial rows would make unchanged lines vanish from the declaration.
        return {**super().get_form_kwargs(index), "empty_permitted": False, "use_required_attribute": False}


class RegionalLineFormSet(_EveryRowFormSet):
    def lines(self) -> list[RegionalLineInput]:
        return [line for form in self.forms for line in [form.line()] if line]


class MeasureAnswerForm(forms.Form):
    measure = forms.TypedChoiceField(
        coerce=int,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Cette mesure ne fait pas partie du catalogue.")},
    )
    status = forms.ChoiceField(
        label=_("Situation"),
        choices=[("", _("Non renseignée")), *DeclarationMeasure.Status.choices],
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    employees_concerned = forms.IntegerField(
        label=_("Salariés concernés"), min_value=0, required=False, widget=_number_input(**{"class": "form-control"})
    )

    def __init__(self, *args: Any, measures_by_id: dict[int, Measure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [(pk, pk) for pk in measures_by_id]
        raw = self.data.get(self.add_prefix("measure")) if self.is_bound else self.initial.get("measure")
        try:
            self.catalogue_measure = measures_by_id.get(int(raw))
        except (TypeError, ValueError):
            self.catalogue_measure = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("employees_concerned") is not None and not cleaned.get("status"):
            self.add_error("status", _("Indiquez si cette mesure est en place ou prévue."))
        return cleaned

    def answer(self) -> MeasureAnswerInput | None:
        data = self.cleaned_data
        if not data.get("status"):
            return None
        return MeasureAnswerInput(
            measure_id=data["measure"], status=data["status"], employees_concerned=data.get("employees_concerned")
        )


class MeasureAnswerFormSet(_EveryRowFormSet):
    def answers(self) -> list[MeasureAnswerInput]:
        return [answer for form in self.forms for answer in [form.answer()] if answer]


def _regional_formset_class(regions: Sequence[Region]) -> type[RegionalLineFormSet]:
    return forms.formset_factory(
        RegionalLineForm,
        formset=RegionalLineFormSet,
        extra=1,
        max_num=len(regions),
        validate_max=True,
        # Never build more rows than there are regions, whatever count the POST claims.
        absolute_max=len(regions),
    )


def _measure_formset_class(measures: Sequence[Measure]) -> type[MeasureAnswerFormSet]:
    return forms.formset_factory(
        MeasureAnswerForm,
        formset=MeasureAnswerFormSet,
        extra=0,
        max_num=len(measures),
        validate_max=True,
        absolute_max=len(measures),
    )


class DeclarationEntry:
    """The declaration form and its two formsets, bound or not, validated and saved together."""

    def __init__(
        self,
        *,
        declaration: Declaration,
        regions: Sequence[Region],
        measures: Sequence[Measure],
        site_region_ids: Sequence[int],
        data: Any = None,
    ) -> None:
        self.declaration = declaration
        self.form = DeclarationForm(data, instance=declaration, initial={"version": declaration.version})
        self.lines = _regional_formset_class(regions)(
            data,
            prefix="lines",
            initial=self._line_initial(declaration, regions, site_region_ids),
            form_kwargs={"regions": regions},
        )
        measures_by_id = {measure.pk: measure for measure in measures}
        answers = {answer.measure_id: answer for answer in declaration.measure_answers.all()}
        self.measures = _measure_formset_class(measures)(
            data,
            prefix="measures",
            initial=[
                {
                    "measure": measure.pk,
                    "status": answers[measure.pk].status if measure.pk in answers else "",
                    "employees_concerned": answers[measure.pk].employees_concerned if measure.pk in answers else None,
                }
                for measure in measures
            ],
            form_kwargs={"measures_by_id": measures_by_id},
        )

    @staticmethod
    def _line_initial(
        declaration: Declaration, regions: Sequence[Region], site_region_ids: Sequence[int]
    ) -> list[dict[str, Any]]:
        """The declaration's lines, then an empty line for each region where the company has a
        site but declared nobody yet (its head-office region when it has neither)."""
        lines = {line.region_id: line for line in declaration.regional_lines.all()}
        wanted = set(lines) | set(site_region_ids)
        if not wanted:
            wanted = {declaration.company.region_id}
        initial = []
        for region in regions:
            if region.pk not in wanted:
                continue
            line = lines.get(region.pk)
            initial.append(
                {
                    "region": region.pk,
                    "headcount": line.headcount if line else None,
                    "on_site": line.on_site if line else None,
                    "telework": line.telework if line else None,
                }
            )
        return initial

    def is_valid(self) -> bool:
        # Validate all three, so that every mistake shows at once.
        results = [self.form.is_valid(), self.lines.is_valid(), self.measures.is_valid()]
        return all(results)

    @property
    def confirm_warnings(self) -> bool:
        return bool(self.form.cleaned_data.get("confirm_warnings"))

    def service_kwargs(self) -> dict[str, Any]:
        return {
            "data": self.form.member_data(),
            "lines": self.lines.lines(),
            "answers": self.measures.answers(),
            "expected_version": self.form.cleaned_data["version"],
        }

    def add_errors(self, error: DeclarationError) -> None:
        """Show the service's messages next to what they are about."""
        if not hasattr(error, "error_dict"):
            self.form.add_error(None, error.messages)
            return
        for key, messages in error.message_dict.items():
            if key == "regional_lines":
                self.lines.non_form_errors().extend(messages)
            elif key == "measure_answers":
                self.measures.non_form_errors().extend(messages)
            elif key in self.form.fields and key != NON_FIELD_ERRORS:
                self.form.add_error(key, messages)
            else:
                self.form.add_error(None, messages)


class DeclarationReturnForm(forms.Form):
    """Staff's reason for sending declarations back: the company reads it in the e-mail."""

    comment = forms.CharField(
        label=_("Commentaire pour l'entreprise"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=_("Dites précisément quoi corriger : l'entreprise reçoit ce texte par e-mail."),
    )
