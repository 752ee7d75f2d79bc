"""The declaration page as a guided document: a section menu with completion marks, every
problem listed once at the top with a link to its field, drafts kept when they do not add up
(their problems shown as points to check), the warning to confirm at the top next to its box."""

import datetime
import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from measures.models import Campaign, Declaration, Measure
from tests.factories import CampaignFactory, DeclarationFactory, DeclarationRegionFactory, region
from tests.portal.declaration_data import declaration_post_data


@pytest.fixture
def draft(campaign, company_a):
    return Declaration.objects.create(campaign=campaign, company=company_a)


def _url(declaration: Declaration) -> str:
    return f"/espace/declarations/{declaration.pk}/"


def _states(response) -> dict[str, str]:
    return {section.slug: section.state for section in response.context["page"].sections}


def _summary_links(response) -> list[str]:
    content = response.content.decode()
    summary = content[content.index('id="declaration-summary"') : content.index('class="declaration-layout"')]
    return re.findall(r'<a class="alert-link" href="#([^"]+)">', summary)


def _approved_previous(company, headcount: int) -> None:
    earlier = CampaignFactory(period_start=datetime.date(2020, 3, 9), status=Campaign.Status.CLOSED)
    DeclarationFactory(
        campaign=earlier,
        company=company,
        status=Declaration.Status.APPROVED,
        headcount=headcount,
        on_site=headcount,
        telework=0,
        technical_unemployment=0,
        other_absence=0,
    )


# The section menu


def test_the_section_menu_links_to_the_seven_sections_in_order(declarant_a_client, draft):
    response = declarant_a_client.get(_url(draft))

    content = response.content.decode()
    nav = content[content.index('<nav class="section-nav"') : content.index("</nav>", content.index("section-nav"))]
    assert re.findall(r'class="section-nav-link" href="#section-([a-z-]+)"', nav) == [
        "headcount",
        "movements",
        "regions",
        "on-site",
        "measures",
        "export",
        "difficulties",
    ]
    assertContains(response, 'aria-labelledby="section-nav-title"')


def test_an_empty_draft_has_every_section_to_fill_marked_to_complete(declarant_a_client, draft):
    response = declarant_a_client.get(_url(draft))

    assert _states(response) == {
        "headcount": "todo",
        "movements": "todo",
        "regions": "todo",
        "on-site": "optional",
        "measures": "optional",
        "export": "todo",
        "difficulties": "optional",
    }
    assertContains(response, "0 sur 4 sections à remplir complètes")


def test_a_filled_section_is_marked_complete(declarant_a_client, campaign, company_a):
    declaration = DeclarationFactory(campaign=campaign, company=company_a, hires=None)
    DeclarationRegionFactory(declaration=declaration)

    response = declarant_a_client.get(_url(declaration))

    states = _states(response)
    assert (states["headcount"], states["movements"], states["regions"], states["export"]) == (
        "done",
        "todo",
        "done",
        "done",
    )
    assertContains(response, "3 sur 4 sections à remplir complètes")


def test_a_section_with_a_point_to_check_is_marked_so(declarant_a_client, campaign, company_a):
    declaration = DeclarationFactory(campaign=campaign, company=company_a, other_absence=15)

    response = declarant_a_client.get(_url(declaration))

    assert _states(response)["headcount"] == "check"
    assertContains(response, '<span class="section-nav-state" data-state-label>à vérifier</span>')


def test_the_menu_counts_the_measures_answered(declarant_a_client, draft):
    masks = Measure.objects.get(code="masks")
    declarant_a_client.post(_url(draft), declaration_post_data(draft, answers={masks.pk: ("in_place", 10)}))

    response = declarant_a_client.get(_url(draft))

    assertContains(response, "1 sur 22 renseignées")


# Drafts kept as typed


def test_a_draft_that_does_not_add_up_is_saved(declarant_a_client, draft):
    data = declaration_post_data(draft, figures={"on_site": 45}, lines=[(region("MA-06").pk, 90, 60, 50)])

    response = declarant_a_client.post(_url(draft), data)

    assertRedirects(response, _url(draft))
    draft.refresh_from_db()
    assert (draft.on_site, draft.version) == (45, 2)
    assert draft.regional_lines.get().headcount == 90


def test_a_saved_draft_shows_what_does_not_add_up_as_points_to_check(declarant_a_client, draft):
    data = declaration_post_data(draft, figures={"on_site": 45}, lines=[(region("MA-06").pk, 90, 60, 50)])

    response = declarant_a_client.post(_url(draft), data, follow=True)

    assertContains(response, "Brouillon enregistré")
    assertContains(response, "À vérifier avant de soumettre : 4 points")
    page = response.context["page"]
    assert not page.errors
    assert [issue.target for issue in page.to_check] == [
        "id_headcount",
        "section-regions-issues",
        "section-regions-issues",
        "id_lines-0-headcount",
    ]


def test_an_empty_draft_is_not_told_what_is_missing_before_it_is_submitted(declarant_a_client, draft):
    response = declarant_a_client.get(_url(draft))

    assert response.context["page"].issues == []
    assertNotContains(response, "obligatoire pour soumettre")


# Every error at once, each said once, with a link to its field


def test_a_refused_submission_lists_every_problem_at_once_with_links_to_the_fields(declarant_a_client, draft):
    masks = Measure.objects.get(code="masks")
    data = declaration_post_data(
        draft,
        action="submit",
        figures={"hires": "", "on_site": 45, "separations": 1, "dismissals": 2},
        lines=[(region("MA-06").pk, 90, 60, 50)],
        answers={masks.pk: ("in_place", 500)},
    )

    response = declarant_a_client.post(_url(draft), data)

    assert response.status_code == 200
    masks_row = next(form for form in response.context["entry"].measures if form.catalogue_measure == masks)
    assert _summary_links(response) == [
        "id_headcount",
        "id_hires",
        "id_dismissals",
        "section-regions-issues",
        "section-regions-issues",
        "id_lines-0-headcount",
        f"id_{masks_row.prefix}-employees_concerned",
    ]
    assertContains(response, "La déclaration n'a pas été soumise : 7 points à corriger")
    draft.refresh_from_db()
    assert (draft.status, draft.version) == (Declaration.Status.DRAFT, 1)


def test_typing_mistakes_and_broken_rules_are_reported_together(declarant_a_client, draft):
    data = declaration_post_data(
        draft,
        action="submit",
        figures={"hires": "deux", "export_revenue": ""},
        lines=[(region("MA-06").pk, 90, 40, 50)],
    )

    response = declarant_a_client.post(_url(draft), data)

    texts = [issue.text for issue in response.context["page"].errors]
    assert texts == [
        "Recrutements : Saisissez un nombre entier.",
        "Répartition régionale : La répartition régionale (l'effectif) totalise 90 au lieu de 100.",
        "Chiffre d'affaires à l'export (MAD) : Ce champ est obligatoire pour soumettre la déclaration.",
    ]


def test_a_problem_is_said_once_in_the_servers_words(declarant_a_client, draft):
    response = declarant_a_client.post(_url(draft), declaration_post_data(draft, figures={"on_site": 45}), follow=True)

    content = response.content.decode()
    said = "Sur site, télétravail, arrêt technique et autres absences doivent totaliser l&#x27;effectif : ils font 105"
    # Once next to the headcount, once as a link in the list at the top.
    assert content.count(said) == 2
    assertNotContains(response, "absences font 105")


def test_a_field_with_a_problem_is_described_by_it(declarant_a_client, draft):
    data = declaration_post_data(draft, action="submit", figures={"hires": ""})

    response = declarant_a_client.post(_url(draft), data)

    assertContains(response, 'aria-describedby="id_hires-issues" aria-invalid="true"')
    assertContains(response, '<div class="field-issues" id="id_hires-issues">')


def test_the_page_after_a_refusal_keeps_the_input_and_marks_it_unsaved_for_the_autosave(declarant_a_client, draft):
    data = declaration_post_data(draft, action="submit", figures={"hires": ""})

    response = declarant_a_client.post(_url(draft), data)

    assertContains(response, " data-unsaved")
    assertContains(response, 'name="headcount" value="100"')


# The warning to confirm, at the top


def test_the_headcount_warning_sits_at_the_top_next_to_its_confirm_box(declarant_a_client, draft, company_a):
    _approved_previous(company_a, 60)

    response = declarant_a_client.post(_url(draft), declaration_post_data(draft, action="submit"))

    content = response.content.decode()
    warning = content.index("Votre effectif passe de 60 à 100")
    box = content.index('name="confirm_warnings"')
    first_section = content.index('id="section-headcount"')
    assert warning < box < first_section
    assertContains(response, "À confirmer pour soumettre")
    assertContains(response, 'id="declaration-warnings" tabindex="-1" data-autofocus')


def test_a_draft_already_shows_the_warning_to_confirm(declarant_a_client, campaign, company_a):
    _approved_previous(company_a, 60)
    declaration = DeclarationFactory(campaign=campaign, company=company_a)

    response = declarant_a_client.get(_url(declaration))

    assertContains(response, "Votre effectif passe de 60 à 100")
    assertContains(response, 'name="confirm_warnings"')


def test_the_warning_is_given_together_with_the_errors(declarant_a_client, draft, company_a):
    _approved_previous(company_a, 60)

    response = declarant_a_client.post(
        _url(draft), declaration_post_data(draft, action="submit", figures={"hires": ""})
    )

    assert [issue.text for issue in response.context["page"].errors] == [
        "Recrutements : Ce champ est obligatoire pour soumettre la déclaration."
    ]
    assert response.context["page"].warnings == [
        "Votre effectif passe de 60 à 100 (+67 %) depuis votre déclaration précédente. "
        "Confirmez que ce chiffre est exact."
    ]


def test_confirming_and_correcting_in_one_go_submits(declarant_a_client, draft, company_a):
    _approved_previous(company_a, 60)

    declarant_a_client.post(_url(draft), declaration_post_data(draft, action="submit", confirm_warnings=True))

    draft.refresh_from_db()
    assert (draft.status, draft.headcount_change_confirmed) == (Declaration.Status.SUBMITTED, True)


# Figures as members type them


def test_figures_typed_with_spaces_between_digit_groups_are_read(declarant_a_client, draft):
    figures = {"headcount": "1 000", "on_site": "400", "telework": "500", "other_absence": "95"}

    declarant_a_client.post(_url(draft), declaration_post_data(draft, figures=figures))

    draft.refresh_from_db()
    assert draft.headcount == 1000


def test_an_amount_with_a_decimal_comma_is_read(declarant_a_client, draft):
    declarant_a_client.post(_url(draft), declaration_post_data(draft, figures={"export_revenue": "150 000,50"}))

    draft.refresh_from_db()
    assert str(draft.export_revenue) == "150000.50"


def test_figures_get_a_digits_keypad_and_never_a_number_input(declarant_a_client, draft):
    response = declarant_a_client.get(_url(draft))

    assertContains(response, 'name="headcount" inputmode="numeric"')
    assertContains(response, 'name="lines-0-headcount" inputmode="numeric"')
    assertNotContains(response, 'type="number"')
