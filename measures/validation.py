"""The rules a declaration's figures obey, in one place, with messages a declarant understands.

Errors block saving; warnings (a large headcount change) must be confirmed by the declarant.
Functions take unsaved objects so that forms can check everything before anything is written.
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext as _

from measures.models import HEADCOUNT_PARTS, Declaration, DeclarationMeasure

Errors = dict[str, list[str]]

SUBMISSION_REQUIRED_FIELDS = (
    "headcount",
    *HEADCOUNT_PARTS,
    "hires",
    "separations",
    "dismissals",
    "export_revenue",
    "activity_maintained_pct",
)


class RegionalLine(Protocol):
    region_id: int | None
    headcount: int | None
    on_site: int | None
    telework: int | None


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def declaration_figure_errors(declaration: Declaration) -> Errors:
    """Rules that hold even for a draft: nothing negative, nothing impossible."""
    errors: Errors = {}
    d = declaration
    for field in (*("headcount",), *HEADCOUNT_PARTS, "hires", "separations", "dismissals"):
        value = getattr(d, field)
        if value is not None and value < 0:
            _add(errors, field, _("Ce nombre ne peut pas être négatif."))
    if errors:
        return errors

    if d.headcount is not None:
        for field, label in (
            ("on_site", _("sur site")),
            ("telework", _("en télétravail")),
            ("technical_unemployment", _("en arrêt technique")),
            ("other_absence", _("en autre absence")),
        ):
            value = getattr(d, field)
            if value is not None and value > d.headcount:
                _add(
                    errors,
                    field,
                    _(
                        "Vous déclarez %(value)s salariés %(label)s pour un effectif de %(headcount)s : "
                        "c'est impossible."
                    )
                    % {"value": value, "label": label, "headcount": d.headcount},
                )
        parts = [getattr(d, field) for field in HEADCOUNT_PARTS]
        if not errors and all(part is not None for part in parts) and sum(parts) != d.headcount:
            _add(
                errors,
                "headcount",
                _(
                    "Sur site, télétravail, arrêt technique et autres absences doivent totaliser l'effectif : "
                    "ils font %(total)s pour un effectif de %(headcount)s."
                )
                % {"total": sum(parts), "headcount": d.headcount},
            )

    if d.dismissals is not None and d.separations is not None and d.dismissals > d.separations:
        _add(
            errors,
            "dismissals",
            _("Les licenciements font partie des départs : ils ne peuvent pas être plus nombreux."),
        )

    if d.activity_maintained_pct is not None and not 0 <= d.activity_maintained_pct <= 100:
        _add(errors, "activity_maintained_pct", _("Indiquez une part entre 0 et 100 %."))

    if d.export_revenue is not None:
        if d.export_revenue < 0:
            _add(errors, "export_revenue", _("Le chiffre d'affaires ne peut pas être négatif."))
        elif d.export_revenue > Decimal(settings.EXPORT_REVENUE_MAX_MAD):
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
    """The regional breakdown must name each region once and add up to the totals."""
    errors: Errors = {}
    seen: set[int] = set()
    for line in lines:
        if line.region_id in seen:
            _add(errors, "regional_lines", _("Une région apparaît deux fois dans la répartition régionale."))
            return errors
        seen.add(line.region_id)
        if (line.on_site or 0) + (line.telework or 0) > (line.headcount or 0):
            _add(
                errors,
                "regional_lines",
                _("Dans une région, les salariés sur site et en télétravail ne peuvent dépasser l'effectif."),
            )
            return errors
    for field, label in (("headcount", _("l'effectif")), ("on_site", _("sur site")), ("telework", _("en télétravail"))):
        total = getattr(declaration, field)
        if total is None:
            continue
        regional_total = sum(getattr(line, field) or 0 for line in lines)
        if regional_total != total:
            _add(
                errors,
                "regional_lines",
                _("La répartition régionale (%(label)s) totalise %(regional)s au lieu de %(total)s.")
                % {"label": label, "regional": regional_total, "total": total},
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
                "measure_answers",
                _("« %(measure)s » : %(count)s salariés concernés, plus que l'effectif (%(headcount)s).")
                % {
                    "measure": answer.measure.name,
                    "count": answer.employees_concerned,
                    "headcount": declaration.headcount,
                },
            )
    return errors


def submission_errors(
    declaration: Declaration,
    lines: Sequence[RegionalLine],
    answers: Iterable[DeclarationMeasure] = (),
) -> Errors:
    """Everything a declaration must satisfy to be submitted (and so to be counted)."""
    errors = declaration_figure_errors(declaration)
    for field in SUBMISSION_REQUIRED_FIELDS:
        if getattr(declaration, field) is None:
            _add(errors, field, _("Ce champ est obligatoire pour soumettre la déclaration."))
    if declaration.headcount and not lines:
        _add(errors, "regional_lines", _("Répartissez votre effectif entre les régions où vous êtes implantés."))
    for key, messages in regional_line_errors(declaration, lines).items():
        errors.setdefault(key, []).extend(messages)
    for key, messages in measure_answer_errors(declaration, answers).items():
        errors.setdefault(key, []).extend(messages)
    return errors


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
