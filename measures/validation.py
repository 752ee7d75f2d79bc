"""The rules a declaration's figures obey to be submitted, in one place, with messages a declarant
understands.

A draft may break any of them: it keeps what the member typed, and the page shows the problems
as points to check. Submission refuses a declaration that breaks one, and reports every broken
rule at once, each once. Warnings (a large headcount change) may be true: the declarant confirms
them. What holds for any saved state (no negative number, a share of at most 100 %) is the model
fields' job, not this module's.

Functions take unsaved objects so that a form can be checked before anything is written. Errors
are keyed by form field, by REGIONAL_LINES or MEASURE_ANSWERS for the two lists as a whole, and
by regional_line_key()/measure_answer_key() for one line or one answer.
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from measures.models import HEADCOUNT_PARTS, Declaration, DeclarationMeasure

Errors = dict[str, list[str]]

REGIONAL_LINES = "regional_lines"
MEASURE_ANSWERS = "measure_answers"

SUBMISSION_REQUIRED_FIELDS = (
    "headcount",
    *HEADCOUNT_PARTS,
    "hires",
    "separations",
    "dismissals",
    "export_revenue",
    "activity_maintained_pct",
)

# Messages the page's live checks repeat while the member types (static/js/declaration-form.js
# fills in the %(name)s placeholders): one wording, whether the server or the browser says it.
PART_ABOVE_HEADCOUNT = gettext_lazy(
    "Vous déclarez %(value)s salariés %(label)s pour un effectif de %(headcount)s : c'est impossible."
)
PARTS_MISMATCH = gettext_lazy(
    "Sur site, télétravail, arrêt technique et autres absences doivent totaliser l'effectif : "
    "ils font %(total)s pour un effectif de %(headcount)s."
)
REGIONAL_TOTAL_MISMATCH = gettext_lazy(
    "La répartition régionale (%(label)s) totalise %(regional)s au lieu de %(total)s."
)
LINE_ABOVE_HEADCOUNT = gettext_lazy(
    "Dans une région, les salariés sur site et en télétravail ne peuvent dépasser l'effectif."
)
PART_LABELS = {
    "on_site": gettext_lazy("sur site"),
    "telework": gettext_lazy("en télétravail"),
    "technical_unemployment": gettext_lazy("en arrêt technique"),
    "other_absence": gettext_lazy("en autre absence"),
}
REGIONAL_TOTAL_LABELS = {
    "headcount": gettext_lazy("l'effectif"),
    "on_site": gettext_lazy("sur site"),
    "telework": gettext_lazy("en télétravail"),
}


class RegionalLine(Protocol):
    region_id: int | None
    headcount: int | None
    on_site: int | None
    telework: int | None


def regional_line_key(region_id: int | None) -> str:
    return f"{REGIONAL_LINES}.{region_id}"


def measure_answer_key(measure_id: int | None) -> str:
    return f"{MEASURE_ANSWERS}.{measure_id}"


def _add(errors: Errors, field: str, message: str) -> None:
    bucket = errors.setdefault(field, [])
    if message not in bucket:
        bucket.append(message)


def errors_merge(errors: Errors, more: Errors) -> Errors:
    """Add `more` to `errors`, each message once per key."""
    for key, messages in more.items():
        for message in messages:
            _add(errors, key, str(message))
    return errors


def declaration_figure_errors(declaration: Declaration) -> Errors:
    """How the declaration's own figures fit together: the parts within and adding up to the
    headcount, dismissals within separations, a plausible export revenue."""
    errors: Errors = {}
    d = declaration

    if d.headcount is not None:
        for field, label in PART_LABELS.items():
            value = getattr(d, field)
            if value is not None and value > d.headcount:
                _add(errors, field, PART_ABOVE_HEADCOUNT % {"value": value, "label": label, "headcount": d.headcount})
        parts = [getattr(d, field) for field in HEADCOUNT_PARTS]
        # A part above the headcount already says what is wrong; the sum would say it again.
        part_above = any(field in errors for field in HEADCOUNT_PARTS)
        if not part_above and None not in parts and sum(parts) != d.headcount:
            _add(errors, "headcount", PARTS_MISMATCH % {"total": sum(parts), "headcount": d.headcount})

    if d.dismissals is not None and d.separations is not None and d.dismissals > d.separations:
        _add(
            errors,
            "dismissals",
            _("Les licenciements font partie des départs : ils ne peuvent pas être plus nombreux."),
        )

    if d.export_revenue is not None and d.export_revenue >= 0:
        if d.export_revenue > Decimal(settings.EXPORT_REVENUE_MAX_MAD):
            _add(
                errors,
                "export_revenue",
                _("Ce montant dépasse les exportations de tout le secteur : vérifiez l'unité (MAD)."),
            )
        elif d.headcount is not None and d.campaign_id is not None:
            days = (d.campaign.period_end - d.campaign.period_start).days + 1
            ceiling = Decimal(max(d.headcount, 1) * days * settings.EXPORT_REVENUE_MAX_PER_EMPLOYEE_DAY_MAD)
            if d.export_revenue > ceiling:
                _add(
                    errors,
                    "export_revenue",
                    _(
                        "Ce montant est invraisemblable pour %(headcount)s salariés sur %(days)s jours : "
                        "vérifiez l'unité (MAD)."
                    )
                    % {"headcount": d.headcount, "days": days},
                )
    return errors


def regional_line_errors(declaration: Declaration, lines: Sequence[RegionalLine]) -> Errors:
    """The regional breakdown must name each region once, keep each region's on-site and
    telework staff within its headcount, and add up to the declaration's totals."""
    errors: Errors = {}
    seen: set[int | None] = set()
    for line in lines:
        if line.region_id in seen:
            _add(errors, REGIONAL_LINES, _("Une région apparaît deux fois dans la répartition régionale."))
        seen.add(line.region_id)
        if (line.on_site or 0) + (line.telework or 0) > (line.headcount or 0):
            _add(errors, regional_line_key(line.region_id), str(LINE_ABOVE_HEADCOUNT))
    for field, label in REGIONAL_TOTAL_LABELS.items():
        total = getattr(declaration, field)
        if total is None:
            continue
        regional_total = sum(getattr(line, field) or 0 for line in lines)
        if regional_total != total:
            _add(
                errors,
                REGIONAL_LINES,
                REGIONAL_TOTAL_MISMATCH % {"label": label, "regional": regional_total, "total": total},
            )
    return errors


def measure_answer_errors(declaration: Declaration, answers: Iterable[DeclarationMeasure]) -> Errors:
    errors: Errors = {}
    for answer in answers:
        if (
            answer.employees_concerned is not None
            and declaration.headcount is not None
            and answer.employees_concerned > declaration.headcount
        ):
            _add(
                errors,
                measure_answer_key(answer.measure_id),
                _("« %(measure)s » : %(count)s salariés concernés, plus que l'effectif (%(headcount)s).")
                % {
                    "measure": answer.measure.name,
                    "count": answer.employees_concerned,
                    "headcount": declaration.headcount,
                },
            )
    return errors


def consistency_errors(
    declaration: Declaration,
    lines: Sequence[RegionalLine],
    answers: Iterable[DeclarationMeasure] = (),
) -> Errors:
    """How what is filled in fits together, leaving aside what is still missing: the points a
    draft shows to check before submitting."""
    errors = declaration_figure_errors(declaration)
    if lines:
        errors_merge(errors, regional_line_errors(declaration, lines))
    errors_merge(errors, measure_answer_errors(declaration, answers))
    return errors


def submission_errors(
    declaration: Declaration,
    lines: Sequence[RegionalLine],
    answers: Iterable[DeclarationMeasure] = (),
) -> Errors:
    """Everything a declaration must satisfy to be submitted (and so to be counted), all at once."""
    errors: Errors = {}
    for field in SUBMISSION_REQUIRED_FIELDS:
        if getattr(declaration, field) is None:
            _add(errors, field, _("Ce champ est obligatoire pour soumettre la déclaration."))
    if declaration.headcount and not lines:
        _add(errors, REGIONAL_LINES, _("Répartissez votre effectif entre les régions où vous êtes implantés."))
    return errors_merge(errors, consistency_errors(declaration, lines, answers))


def submission_warnings(declaration: Declaration, previous: Declaration | None) -> list[str]:
    """What looks unusual but may be true: the declarant must confirm it."""
    warnings: list[str] = []
    if previous is None or not previous.headcount or declaration.headcount is None:
        return warnings
    change = (declaration.headcount - previous.headcount) / previous.headcount
    if abs(change) > settings.HEADCOUNT_CHANGE_WARNING_RATIO:
        warnings.append(
            _(
                "Votre effectif passe de %(previous)s à %(current)s (%(change)+.0f %%) depuis votre déclaration "
                "précédente. Confirmez que ce chiffre est exact."
            )
            % {"previous": previous.headcount, "current": declaration.headcount, "change": change * 100}
        )
    return warnings
