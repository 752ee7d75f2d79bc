"""The member's declaration form: the figures, the regional breakdown and the measures checklist.

Forms only check what a browser can get wrong (types, signs, choices); the figure rules live in
measures.validation and are applied by measures.services, whose errors come back here to be
shown next to the fields. Choices come from lists loaded once by the view, so that a form with
twelve regional lines and the whole catalogue costs no more queries than a small one.
"""

import copy
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from measures.models import COMMENT_MAX_LENGTH, Declaration, DeclarationMeasure, Measure
from measures.services import (
    MEMBER_FIELDS,
    DeclarationError,
    DeclarationNeedsConfirmation,
    MeasureAnswerInput,
    RegionalLineInput,
)
from measures.validation import (
    REGIONAL_LINES,
    Errors,
    consistency_errors,
    submission_errors,
    submission_warnings,
)
from members.models import Region

# Spaces people type between groups of digits ("1 500", or the no-break spaces of a copied figure).
_DIGIT_GROUPING = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d)")


def _number_input(**attrs: Any) -> forms.TextInput:
    # A text input with a digits keypad: a number input would drop what it cannot parse ("1 500",
    # "12a") and send an empty value, so the member's figure would be lost without a word.
    return forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", **attrs})


class FigureField(forms.IntegerField):
    """A whole number as a member types it, digits grouped or not."""

    widget = forms.TextInput

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "numeric"}

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = _DIGIT_GROUPING.sub("", value.strip())
        return super().to_python(value)


class AmountField(forms.DecimalField):
    """An amount in dirhams as a member types it: digits grouped by spaces or not, and a decimal
    point or, where the language writes one, a decimal comma. A point grouping thousands
    ("150.000") has three decimals and is refused rather than read as 150."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(localize=True, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = _DIGIT_GROUPING.sub("", value.strip())
            if formats.get_format("DECIMAL_SEPARATOR") == ",":
                value = value.replace(",", ".")
        return super().to_python(value)


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
        field_classes = {
            **dict.fromkeys(
                (
                    "headcount",
                    "on_site",
                    "telework",
                    "technical_unemployment",
                    "other_absence",
                    "hires",
                    "separations",
                    "dismissals",
                    "activity_maintained_pct",
                ),
                FigureField,
            ),
            "export_revenue": AmountField,
        }
        widgets = {
            "headcount": _number_input(**{"data-total": "headcount"}),
            "on_site": _number_input(**{"data-part": "on_site"}),
            "telework": _number_input(**{"data-part": "telework"}),
            "technical_unemployment": _number_input(**{"data-part": "technical_unemployment"}),
            "other_absence": _number_input(**{"data-part": "other_absence"}),
            "hires": _number_input(),
            "separations": _number_input(),
            "dismissals": _number_input(),
            "activity_maintained_pct": _number_input(),
            "export_revenue": forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            "difficulties": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in MEMBER_FIELDS:
            widget = self.fields[name].widget
            widget.attrs["class"] = "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control"

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
    headcount = FigureField(
        label=_("Effectif"), min_value=0, required=False, widget=_number_input(**{"data-line": "headcount"})
    )
    on_site = FigureField(
        label=_("Sur site"), min_value=0, required=False, widget=_number_input(**{"data-line": "on_site"})
    )
    telework = FigureField(
        label=_("En télétravail"), min_value=0, required=False, widget=_number_input(**{"data-line": "telework"})
    )

    def __init__(self, *args: Any, regions: Sequence[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("— Choisir une région —"))] + [
            (region.pk, region.name) for region in regions
        ]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "region" else "form-control"

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
    employees_concerned = FigureField(
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
        if self.catalogue_measure is not None:
            # "Accord obtenu" for a support the company asked for, "En place" for a measure it takes.
            self.fields["status"].choices = [("", _("Non renseignée")), *self.catalogue_measure.answer_choices()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("employees_concerned") is not None and not cleaned.get("status"):
            self.add_error("status", _("Choisissez une réponse pour cette mesure : le nombre de salariés en dépend."))
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
    """The declaration form and its two formsets, bound or not, validated and saved together;
    and the problems the page shows, each once: what a service refused, and what the figure
    rules say about the values on the page (as typed, or as stored when the page opens)."""

    def __init__(
        self,
        *,
        declaration: Declaration,
        regions: Sequence[Region],
        measures: Sequence[Measure],
        site_region_ids: Sequence[int],
        previous: Declaration | None = None,
        data: Any = None,
    ) -> None:
        self.declaration = declaration
        self.previous = previous
        self.submitting = data is not None and data.get("action") == "submit"
        # key (as in measures.validation) -> message -> whether it blocks what the member asked
        # for; a message already reported as blocking stays so.
        self.problems: dict[str, dict[str, bool]] = {}
        self.warnings: list[str] = []
        self.form = DeclarationForm(data, instance=declaration, initial={"version": declaration.version})
        self.lines = _regional_formset_class(regions)(
            data,
            prefix="lines",
            initial=self._line_initial(declaration, regions, site_region_ids),
            form_kwargs={"regions": regions},
        )
        self.measures_by_id = {measure.pk: measure for measure in measures}
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
            form_kwargs={"measures_by_id": self.measures_by_id},
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

    @property
    def is_bound(self) -> bool:
        return self.form.is_bound

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

    def add_refusal(self, error: DeclarationError) -> None:
        """A service refused the member's input: its messages block what they asked for."""
        messages = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
        if not isinstance(error, DeclarationNeedsConfirmation):
            self._add_problems(messages, blocking=True)
        self._add_warnings(error.warnings)

    def check(self) -> None:
        """Apply the figure rules to the values on the page: every rule when submitting (each
        broken one blocks the submission), otherwise how the filled-in figures fit together
        (points to check, the draft is kept). Values the forms refused are left to their own
        message, so that nothing is said twice."""
        declaration, lines, answers, refused = self._values()
        problems = (
            submission_errors(declaration, lines, answers)
            if self.submitting
            else consistency_errors(declaration, lines, answers)
        )
        self._add_problems(
            {key: messages for key, messages in problems.items() if key not in refused}, blocking=self.submitting
        )
        self._add_warnings(submission_warnings(declaration, self.previous))

    def _values(self) -> tuple[Declaration, list[Any], list[DeclarationMeasure], set[str]]:
        """The declaration, lines and answers on the page, and the keys whose input was refused."""
        if not self.is_bound:
            declaration = self.declaration
            return declaration, list(declaration.regional_lines.all()), list(declaration.measure_answers.all()), set()
        self.is_valid()
        refused = set(self.form.errors)
        declaration = copy.copy(self.declaration)
        for name in MEMBER_FIELDS:
            setattr(declaration, name, self.form.cleaned_data.get(name))
        if self.lines.total_error_count():
            # Totals over the lines that could be read would point at the wrong problem.
            refused.add(REGIONAL_LINES)
        lines = [line for form in self.lines.forms if not form.errors for line in [form.line()] if line]
        answers = [
            DeclarationMeasure(
                measure=measure,
                status=answer.status,
                employees_concerned=answer.employees_concerned if measure.counts_employees else None,
            )
            for form in self.measures.forms
            if not form.errors
            for answer in [form.answer()]
            if answer
            for measure in [self.measures_by_id[answer.measure_id]]
        ]
        return declaration, lines, answers, refused

    def _add_problems(self, problems: Errors, *, blocking: bool) -> None:
        for key, messages in problems.items():
            bucket = self.problems.setdefault(key, {})
            for message in map(str, messages):
                bucket[message] = bucket.get(message, False) or blocking

    def _add_warnings(self, warnings: Sequence[str]) -> None:
        self.warnings.extend(str(warning) for warning in warnings if str(warning) not in self.warnings)


class VersionForm(forms.Form):
    """An action on a declaration that needs nothing but the version the page was loaded with."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DeclarationReturnForm(forms.Form):
    """Staff's reason for sending declarations back: the company reads it in the e-mail."""

    comment = forms.CharField(
        label=_("Commentaire pour l'entreprise"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=_("Dites précisément quoi corriger : l'entreprise reçoit ce texte par e-mail."),
    )
