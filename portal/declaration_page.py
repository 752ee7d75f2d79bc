"""The declaration form as a guided document: numbered sections, each with a completion mark;
every problem next to what it is about and listed once at the top with a link to it; what must
be confirmed next to its confirmation box.

The rules themselves live in measures.validation and the forms in measures.forms: this module
only places what they say on the page (DeclarationEntry.problems, keyed as in
measures.validation) and says how far each section is filled in.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms import BoundField
from django.utils.functional import Promise
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from measures.forms import DeclarationEntry, MeasureAnswerForm, RegionalLineForm
from measures.models import Measure
from measures.validation import (
    MEASURE_ANSWERS,
    PART_ABOVE_HEADCOUNT,
    PART_LABELS,
    PARTS_MISMATCH,
    REGIONAL_LINES,
    REGIONAL_TOTAL_LABELS,
    REGIONAL_TOTAL_MISMATCH,
    SUBMISSION_REQUIRED_FIELDS,
    measure_answer_key,
    regional_line_key,
)

DONE, TODO, CHECK, OPTIONAL = "done", "todo", "check", "optional"
STATE_LABELS = {
    DONE: gettext_lazy("complète"),
    TODO: gettext_lazy("à compléter"),
    CHECK: gettext_lazy("à vérifier"),
    OPTIONAL: gettext_lazy("facultative"),
}
FIELDS, REGIONS, MEASURES = "fields", "regions", "measures"

MEASURE_HINTS = {
    Measure.Category.SUPPORT: gettext_lazy(
        "Pour chaque aide de l'État, indiquez si vous l'avez obtenue, si votre demande est en cours, "
        "ou si vous ne l'avez pas demandée."
    ),
}
MEASURE_HINT = gettext_lazy(
    "Pour chaque mesure, indiquez si elle est en place, prévue, ou sans objet pour votre entreprise."
)


@dataclass(frozen=True)
class Section:
    slug: str
    title: Promise
    kind: str = FIELDS
    # Rows of declaration fields, for the sections made of plain fields.
    rows: tuple[tuple[str, ...], ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(name for row in self.rows for name in row)


SECTIONS = (
    Section(
        "headcount",
        gettext_lazy("Effectif et répartition"),
        rows=(("headcount",), ("on_site", "telework", "technical_unemployment", "other_absence")),
    ),
    Section("movements", gettext_lazy("Mouvements"), rows=(("hires", "separations", "dismissals"),)),
    Section("regions", gettext_lazy("Répartition régionale"), kind=REGIONS),
    Section(
        "on-site",
        gettext_lazy("Fonctions maintenues sur site"),
        rows=(
            ("keeps_technical_on_site",),
            ("keeps_hr_on_site",),
            ("keeps_support_on_site",),
            ("keeps_production_on_site",),
        ),
    ),
    Section("measures", gettext_lazy("Mesures"), kind=MEASURES),
    Section("export", gettext_lazy("Export et activité"), rows=(("export_revenue", "activity_maintained_pct"),)),
    Section("difficulties", gettext_lazy("Difficultés"), rows=(("difficulties",),)),
)
_COLUMNS = {1: "col-12", 2: "col-sm-6", 3: "col-sm-4", 4: "col-sm-6 col-xl-3"}


@dataclass(frozen=True)
class Issue:
    message: str
    # The id of the element the list at the top links to.
    target: str
    blocking: bool
    # What the message is about, when the message itself does not say it.
    about: str | None = None

    @property
    def text(self) -> str:
        if not self.about:
            return self.message
        return _("%(about)s : %(message)s") % {"about": self.about, "message": self.message}


@dataclass
class FieldView:
    """One input with its label, help, issues and the attributes that tie them together."""

    bound: BoundField
    issues: list[Issue] = field(default_factory=list)
    css: str = "col-12"
    required: bool = False
    label: str | None = None

    @property
    def id(self) -> str:
        return self.bound.auto_id

    @property
    def target(self) -> str:
        """What a link to this input points at: the first choice of a group of radio buttons."""
        return f"{self.id}_0" if isinstance(self.bound.field.widget, forms.RadioSelect) else self.id

    @property
    def issues_id(self) -> str:
        return f"{self.id}-issues"

    @property
    def help_id(self) -> str:
        return f"{self.id}-help"

    @property
    def is_checkbox(self) -> bool:
        return isinstance(self.bound.field.widget, forms.CheckboxInput)

    @property
    def blocking(self) -> bool:
        return any(issue.blocking for issue in self.issues)

    def attrs(self) -> dict[str, Any]:
        described_by = [self.help_id] if self.bound.help_text else []
        attrs: dict[str, Any] = {}
        if self.issues:
            described_by.append(self.issues_id)
        if described_by:
            attrs["aria-describedby"] = " ".join(described_by)
        if self.blocking:
            attrs["aria-invalid"] = "true"
            attrs["class"] = f"{self.bound.field.widget.attrs.get('class', '')} is-invalid".strip()
        if self.required:
            attrs["data-required"] = ""
        return attrs

    @property
    def widget(self) -> SafeString:
        return self.bound.as_widget(attrs=self.attrs())


@dataclass
class LineRow:
    """A regional line; what is wrong with the line as a whole shows under its headcount."""

    form: RegionalLineForm
    region: FieldView
    figures: list[FieldView]

    @property
    def fields(self) -> list[FieldView]:
        return [self.region, *self.figures]


@dataclass
class MeasureRow:
    """A measure's answer; what is wrong with it shows under its employee count, or under the
    answers when the measure asks for no count."""

    form: MeasureAnswerForm
    measure: Measure | None
    name: str
    status: FieldView
    employees: FieldView | None

    @property
    def answered(self) -> bool:
        return bool(self.status.bound.value())


@dataclass
class MeasureGroup:
    slug: str
    title: str
    hint: str
    rows: list[MeasureRow]


@dataclass
class SectionView:
    section: Section
    number: int
    rows: list[list[FieldView]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    line_rows: list[LineRow] = field(default_factory=list)
    measure_groups: list[MeasureGroup] = field(default_factory=list)
    state: str = OPTIONAL
    required: bool = False

    @property
    def slug(self) -> str:
        return self.section.slug

    @property
    def title(self) -> str:
        return str(self.section.title)

    @property
    def kind(self) -> str:
        return self.section.kind

    @property
    def anchor(self) -> str:
        return f"section-{self.slug}"

    @property
    def issues_id(self) -> str:
        return f"{self.anchor}-issues"

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def measures_answered(self) -> int:
        return sum(row.answered for group in self.measure_groups for row in group.rows)

    @property
    def measures_total(self) -> int:
        return sum(len(group.rows) for group in self.measure_groups)

    def all_issues(self) -> Iterator[Issue]:
        """The section's issues in the order of the page."""
        if self.kind == FIELDS:
            for row in self.rows:
                for view in row:
                    yield from view.issues
            yield from self.issues
            return
        yield from self.issues
        for line in self.line_rows:
            for view in line.fields:
                yield from view.issues
        for group in self.measure_groups:
            for measure_row in group.rows:
                yield from measure_row.status.issues
                if measure_row.employees:
                    yield from measure_row.employees.issues


class DeclarationPage:
    """What the declaration template shows, built once from a DeclarationEntry whose problems
    are already collected (DeclarationEntry.add_refusal and .check)."""

    def __init__(self, entry: DeclarationEntry) -> None:
        self.entry = entry
        self._unplaced: dict[str, dict[str, bool]] = {key: dict(messages) for key, messages in entry.problems.items()}
        self.top_issues = self._top_issues()
        self.sections = [self._section(section, number) for number, section in enumerate(SECTIONS, start=1)]
        # Whatever no section claimed (a key no element stands for) still reaches the member.
        for messages in self._unplaced.values():
            self.top_issues.extend(Issue(message, "", blocking) for message, blocking in messages.items())

    # What the top of the page says

    @property
    def issues(self) -> list[Issue]:
        return [*self.top_issues, *(issue for section in self.sections for issue in section.all_issues())]

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.blocking]

    @property
    def to_check(self) -> list[Issue]:
        return [issue for issue in self.issues if not issue.blocking]

    @property
    def warnings(self) -> list[str]:
        return self.entry.warnings

    @property
    def submitting(self) -> bool:
        return self.entry.submitting

    @property
    def required_sections(self) -> list[SectionView]:
        return [section for section in self.sections if section.required]

    @property
    def sections_done(self) -> int:
        return sum(section.state == DONE for section in self.required_sections)

    # Building

    def _take(self, key: str) -> list[tuple[str, bool]]:
        return list(self._unplaced.pop(key, {}).items())

    def _top_issues(self) -> list[Issue]:
        form = self.entry.form
        issues = [Issue(str(message), "", True) for message in form.non_field_errors()]
        if form.errors.get("version"):
            issues.append(Issue(_("Le formulaire est incomplet ou a été altéré : rechargez la page."), "", True))
        issues.extend(Issue(message, "", blocking) for message, blocking in self._take(NON_FIELD_ERRORS))
        return issues

    def _field(
        self, bound: BoundField, *, key: str | None = None, css: str = "col-12", about: str | None = None
    ) -> FieldView:
        """The input, with its own errors and the problems filed under `key`."""
        view = FieldView(bound=bound, css=css, required=key in SUBMISSION_REQUIRED_FIELDS)
        label = about if about is not None else str(bound.label)
        view.issues = [Issue(str(message), view.target, True, label) for message in bound.errors]
        if key is not None:
            view.issues += [Issue(message, view.target, blocking, label) for message, blocking in self._take(key)]
        return view

    def _file_under(self, view: FieldView, key: str | None, messages: Iterable[str], about: str | None) -> None:
        """Put problems about a whole line or answer under one of its inputs."""
        view.issues += [Issue(str(message), view.target, True, about) for message in messages]
        if key is not None:
            view.issues += [Issue(message, view.target, blocking, about) for message, blocking in self._take(key)]

    def _section(self, section: Section, number: int) -> SectionView:
        view = SectionView(section=section, number=number)
        if section.kind == FIELDS:
            form = self.entry.form
            view.rows = [
                [self._field(form[name], key=name, css=_COLUMNS[len(row)]) for name in row] for row in section.rows
            ]
            required = [field for row in view.rows for field in row if field.required]
            view.required = bool(required)
            filled = all(_filled(field.bound.value()) for field in required)
            state_if_clear = (DONE if filled else TODO) if required else OPTIONAL
        elif section.kind == REGIONS:
            self._regions(view)
            view.required = True
            headcount = _as_int(self.entry.form["headcount"].value())
            has_line = any(_filled(line.figures[0].bound.value()) for line in view.line_rows)
            state_if_clear = DONE if has_line or headcount == 0 else TODO
        else:
            self._measures(view)
            state_if_clear = OPTIONAL
        view.state = CHECK if any(True for _issue in view.all_issues()) else state_if_clear
        return view

    def _regions(self, view: SectionView) -> None:
        lines = self.entry.lines
        rows = []
        for form in lines.forms:
            region_id = _as_int(form["region"].value())
            region_name = dict(form.fields["region"].choices).get(region_id) if region_id else None
            about = (
                _("Répartition régionale, %(region)s") % {"region": region_name}
                if region_name
                else str(view.section.title)
            )
            row = self.line_row(form, about=about)
            self._file_under(row.figures[0], regional_line_key(region_id), form.non_field_errors(), about)
            rows.append(row)
        view.line_rows = rows
        target = view.issues_id
        title = str(view.section.title)
        view.issues = [Issue(str(message), target, True, title) for message in lines.non_form_errors()]
        view.issues += [Issue(message, target, blocking, title) for message, blocking in self._take(REGIONAL_LINES)]

    def line_row(self, form: RegionalLineForm, *, about: str | None = None) -> LineRow:
        return LineRow(
            form=form,
            region=self._field(form["region"], about=about),
            figures=[self._field(form[name], about=about) for name in ("headcount", "on_site", "telework")],
        )

    @property
    def empty_line_row(self) -> LineRow:
        """The row the page's script copies to add a region."""
        return self.line_row(self.entry.lines.empty_form)

    def _measures(self, view: SectionView) -> None:
        measures = self.entry.measures
        groups: dict[str, MeasureGroup] = {}
        for form in measures.forms:
            measure = form.catalogue_measure
            name = measure.name if measure else _("Mesure inconnue")
            status = self._field(form["status"], about=name)
            employees = None
            if measure is not None and measure.counts_employees:
                employees = self._field(form["employees_concerned"], about=name)
            row = MeasureRow(form=form, measure=measure, name=name, status=status, employees=employees)
            holder = employees or status
            self._file_under(holder, None, [*form.non_field_errors(), *form["measure"].errors], name)
            if measure is not None:
                # The rules' messages name the measure themselves.
                holder.issues += [
                    Issue(message, holder.target, blocking)
                    for message, blocking in self._take(measure_answer_key(measure.pk))
                ]
            category = measure.category if measure else ""
            if category not in groups:
                groups[category] = MeasureGroup(
                    slug=f"measures-{category or 'unknown'}",
                    title=measure.get_category_display() if measure else _("Mesure inconnue"),
                    hint=str(MEASURE_HINTS.get(category, MEASURE_HINT)),
                    rows=[],
                )
            groups[category].rows.append(row)
        # In the catalogue's order of categories, whatever the order the rows were posted in.
        rank = {category: index for index, category in enumerate(Measure.Category.values)}
        view.measure_groups = [groups[category] for category in sorted(groups, key=lambda c: rank.get(c, len(rank)))]
        title = str(view.section.title)
        view.issues = [Issue(str(message), view.issues_id, True, title) for message in measures.non_form_errors()]
        view.issues += [
            Issue(message, view.issues_id, blocking, title) for message, blocking in self._take(MEASURE_ANSWERS)
        ]


def _filled(value: Any) -> bool:
    return value not in (None, "")


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def live_messages() -> dict[str, str]:
    """The messages the page's live checks write while the member types, in the words the server
    uses (measures.validation), with %(name)s placeholders."""
    return {
        "part-above": str(PART_ABOVE_HEADCOUNT),
        "parts-mismatch": str(PARTS_MISMATCH),
        "parts-ok": _("La répartition correspond à l'effectif."),
        "regions-mismatch": str(REGIONAL_TOTAL_MISMATCH),
        "regions-ok": _("La répartition régionale correspond aux totaux."),
        **{f"label-part-{name}": str(label) for name, label in PART_LABELS.items()},
        **{f"label-total-{name}": str(label) for name, label in REGIONAL_TOTAL_LABELS.items()},
        **{f"state-{state}": str(label) for state, label in STATE_LABELS.items()},
        "autosave-saving": _("Enregistrement du brouillon…"),
        "autosave-offline": _(
            "Enregistrement automatique impossible pour l'instant (connexion ?) : vos saisies restent dans la "
            "page, un nouvel essai suivra votre prochaine modification."
        ),
        "autosave-session": _(
            "Enregistrement automatique impossible : votre session a expiré. Copiez vos dernières saisies si "
            "besoin, puis rechargez la page pour vous reconnecter."
        ),
        "reload": _("Recharger la page"),
    }


def live_message_attrs() -> SafeString:
    return format_html_join(" ", 'data-msg-{}="{}"', live_messages().items())
