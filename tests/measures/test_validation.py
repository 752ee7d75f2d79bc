"""The figure rules of measures.validation, one at a time, with the French messages a declarant reads.

The factory's declaration is complete and consistent (100 employees: 40 on site, 50 in telework,
5 on technical unemployment, 5 otherwise absent), so each test breaks exactly one rule.
"""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from measures.models import DeclarationMeasure, Measure
from measures.validation import (
    SUBMISSION_REQUIRED_FIELDS,
    declaration_figure_errors,
    measure_answer_errors,
    measure_answer_key,
    regional_line_errors,
    regional_line_key,
    submission_errors,
    submission_warnings,
)
from members.models import Region
from tests.factories import CampaignFactory, DeclarationFactory

pytestmark = pytest.mark.django_db


def _declaration(**figures):
    return DeclarationFactory.build(**figures)


def _line(code: str = "MA-06", *, headcount: int = 100, on_site: int = 40, telework: int = 50):
    return SimpleNamespace(
        region_id=Region.objects.get(code=code).pk, headcount=headcount, on_site=on_site, telework=telework
    )


def _answer(*, employees: int | None, code: str = "masks") -> DeclarationMeasure:
    return DeclarationMeasure(
        measure=Measure.objects.get(code=code),
        status=DeclarationMeasure.Status.IN_PLACE,
        employees_concerned=employees,
    )


# A consistent declaration


def test_a_consistent_declaration_has_no_figure_error():
    assert declaration_figure_errors(_declaration()) == {}


def test_a_consistent_declaration_can_be_submitted():
    assert submission_errors(_declaration(), [_line()], [_answer(employees=40)]) == {}


def test_an_empty_draft_breaks_no_figure_rule():
    empty = dict.fromkeys(SUBMISSION_REQUIRED_FIELDS)

    assert declaration_figure_errors(_declaration(**empty)) == {}


# Errors


def test_parts_that_do_not_add_up_to_the_headcount_are_refused():
    errors = declaration_figure_errors(_declaration(other_absence=0))

    assert errors == {
        "headcount": [
            "Sur site, télétravail, arrêt technique et autres absences doivent totaliser l'effectif : "
            "ils font 95 pour un effectif de 100."
        ]
    }


def test_more_employees_on_site_than_employed_is_refused():
    errors = declaration_figure_errors(_declaration(on_site=120))

    assert errors["on_site"] == ["Vous déclarez 120 salariés sur site pour un effectif de 100 : c'est impossible."]


def test_more_employees_in_telework_than_employed_is_refused():
    errors = declaration_figure_errors(_declaration(telework=101))

    assert errors["telework"] == [
        "Vous déclarez 101 salariés en télétravail pour un effectif de 100 : c'est impossible."
    ]


def test_more_employees_on_technical_unemployment_than_employed_is_refused():
    errors = declaration_figure_errors(_declaration(technical_unemployment=150))

    assert errors["technical_unemployment"] == [
        "Vous déclarez 150 salariés en arrêt technique pour un effectif de 100 : c'est impossible."
    ]


def test_a_part_above_the_headcount_is_reported_once_not_also_as_a_wrong_sum():
    errors = declaration_figure_errors(_declaration(on_site=120))

    assert "headcount" not in errors


def test_more_dismissals_than_separations_is_refused():
    errors = declaration_figure_errors(_declaration(separations=2, dismissals=3))

    assert errors == {
        "dismissals": ["Les licenciements font partie des départs : ils ne peuvent pas être plus nombreux."]
    }


def test_as_many_dismissals_as_separations_is_accepted():
    assert declaration_figure_errors(_declaration(separations=3, dismissals=3)) == {}


def test_an_activity_share_of_100_is_accepted():
    assert declaration_figure_errors(_declaration(activity_maintained_pct=100)) == {}


def test_a_revenue_above_the_whole_sector_is_refused(settings):
    errors = declaration_figure_errors(_declaration(export_revenue=Decimal(settings.EXPORT_REVENUE_MAX_MAD) + 1))

    assert errors == {
        "export_revenue": ["Ce montant dépasse les exportations de tout le secteur : vérifiez l'unité (MAD)."]
    }


def test_a_revenue_implausible_per_employee_and_day_is_refused(settings):
    # A week-long campaign: 100 employees x 7 days x the per-day ceiling is the most one can export.
    campaign = CampaignFactory()
    ceiling = 100 * 7 * settings.EXPORT_REVENUE_MAX_PER_EMPLOYEE_DAY_MAD

    errors = declaration_figure_errors(_declaration(campaign=campaign, export_revenue=Decimal(ceiling) + 1))

    assert errors == {
        "export_revenue": ["Ce montant est invraisemblable pour 100 salariés sur 7 jours : vérifiez l'unité (MAD)."]
    }


def test_a_revenue_at_the_per_employee_ceiling_is_accepted(settings):
    campaign = CampaignFactory()
    ceiling = 100 * 7 * settings.EXPORT_REVENUE_MAX_PER_EMPLOYEE_DAY_MAD

    assert declaration_figure_errors(_declaration(campaign=campaign, export_revenue=Decimal(ceiling))) == {}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            {"headcount": 90, "on_site": 40, "telework": 50},
            "La répartition régionale (l'effectif) totalise 90 au lieu de 100.",
        ),
        (
            {"headcount": 100, "on_site": 30, "telework": 50},
            "La répartition régionale (sur site) totalise 30 au lieu de 40.",
        ),
        (
            {"headcount": 100, "on_site": 40, "telework": 45},
            "La répartition régionale (en télétravail) totalise 45 au lieu de 50.",
        ),
    ],
    ids=["headcount", "on_site", "telework"],
)
def test_regional_lines_must_add_up_to_each_total(line, message):
    errors = regional_line_errors(_declaration(), [_line(**line)])

    assert errors == {"regional_lines": [message]}


def test_regional_lines_spread_over_several_regions_add_up():
    lines = [
        _line("MA-06", headcount=70, on_site=30, telework=35),
        _line("MA-04", headcount=30, on_site=10, telework=15),
    ]

    assert regional_line_errors(_declaration(), lines) == {}


def test_a_region_named_twice_is_refused():
    lines = [
        _line("MA-06", headcount=50, on_site=20, telework=25),
        _line("MA-06", headcount=50, on_site=20, telework=25),
    ]

    errors = regional_line_errors(_declaration(), lines)

    assert errors == {"regional_lines": ["Une région apparaît deux fois dans la répartition régionale."]}


def test_a_region_with_more_on_site_and_telework_than_its_headcount_is_refused():
    lines = [
        _line("MA-06", headcount=60, on_site=40, telework=30),
        _line("MA-04", headcount=40, on_site=0, telework=20),
    ]

    errors = regional_line_errors(_declaration(), lines)

    assert errors == {
        regional_line_key(lines[0].region_id): [
            "Dans une région, les salariés sur site et en télétravail ne peuvent dépasser l'effectif."
        ]
    }


def test_every_region_with_more_on_site_and_telework_than_its_headcount_is_named():
    lines = [
        _line("MA-06", headcount=60, on_site=40, telework=30),
        _line("MA-04", headcount=40, on_site=30, telework=20),
    ]

    errors = regional_line_errors(_declaration(), lines)

    assert set(errors) == {regional_line_key(line.region_id) for line in lines} | {"regional_lines"}


def test_a_region_named_twice_does_not_hide_the_totals():
    lines = [
        _line("MA-06", headcount=50, on_site=20, telework=25),
        _line("MA-06", headcount=30, on_site=20, telework=25),
    ]

    errors = regional_line_errors(_declaration(), lines)

    assert errors["regional_lines"] == [
        "Une région apparaît deux fois dans la répartition régionale.",
        "La répartition régionale (l'effectif) totalise 80 au lieu de 100.",
    ]


@pytest.mark.parametrize("field", SUBMISSION_REQUIRED_FIELDS)
def test_a_submission_requires_every_figure(field):
    declaration = _declaration(**{field: None})

    errors = submission_errors(declaration, [_line()])

    assert "Ce champ est obligatoire pour soumettre la déclaration." in errors[field]


def test_a_submission_requires_a_regional_breakdown():
    errors = submission_errors(_declaration(), [])

    assert "Répartissez votre effectif entre les régions où vous êtes implantés." in errors["regional_lines"]


def test_a_company_with_no_employee_needs_no_regional_breakdown():
    nobody = _declaration(headcount=0, on_site=0, telework=0, technical_unemployment=0, other_absence=0)

    assert submission_errors(nobody, []) == {}


def test_a_measure_cannot_concern_more_employees_than_the_headcount():
    errors = measure_answer_errors(_declaration(), [_answer(employees=101)])

    assert errors == {
        measure_answer_key(Measure.objects.get(code="masks").pk): [
            "« Masques fournis aux salariés sur site » : 101 salariés concernés, plus que l'effectif (100)."
        ]
    }


def test_a_measure_may_concern_the_whole_workforce():
    assert measure_answer_errors(_declaration(), [_answer(employees=100)]) == {}


def test_a_submission_reports_the_measure_errors_too():
    errors = submission_errors(_declaration(), [_line()], [_answer(employees=101)])

    assert list(errors) == [measure_answer_key(Measure.objects.get(code="masks").pk)]


def test_a_submission_reports_every_broken_rule_at_once():
    declaration = _declaration(hires=None, other_absence=15, separations=1, dismissals=2)
    lines = [_line(headcount=90, on_site=60, telework=50)]

    errors = submission_errors(declaration, lines, [_answer(employees=101)])

    assert set(errors) == {
        "hires",
        "headcount",
        "dismissals",
        "regional_lines",
        regional_line_key(lines[0].region_id),
        measure_answer_key(Measure.objects.get(code="masks").pk),
    }


def test_a_submission_says_each_problem_once():
    declaration = _declaration(other_absence=15)

    errors = submission_errors(declaration, [_line()])

    assert all(len(messages) == len(set(messages)) for messages in errors.values())
    assert len(errors["headcount"]) == 1


# The warning


def test_a_headcount_up_more_than_25_percent_must_be_confirmed():
    warnings = submission_warnings(_declaration(headcount=126), previous=_declaration(headcount=100))

    assert warnings == [
        "Votre effectif passe de 100 à 126 (+26 %) depuis votre déclaration précédente. "
        "Confirmez que ce chiffre est exact."
    ]


def test_a_headcount_down_more_than_25_percent_must_be_confirmed():
    warnings = submission_warnings(_declaration(headcount=70), previous=_declaration(headcount=100))

    assert warnings == [
        "Votre effectif passe de 100 à 70 (-30 %) depuis votre déclaration précédente. "
        "Confirmez que ce chiffre est exact."
    ]


@pytest.mark.parametrize("headcount", [125, 75])
def test_a_headcount_moving_exactly_25_percent_needs_no_confirmation(headcount):
    assert submission_warnings(_declaration(headcount=headcount), previous=_declaration(headcount=100)) == []


def test_a_first_declaration_needs_no_confirmation():
    assert submission_warnings(_declaration(headcount=5000), previous=None) == []


def test_a_previous_declaration_without_headcount_gives_no_warning():
    assert submission_warnings(_declaration(headcount=100), previous=_declaration(headcount=None)) == []
