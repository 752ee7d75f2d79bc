"""The follow-up of a campaign as files staff work from: the non-respondents with their contacts
(CSV, and the first sheet of the XLSX), and the response by segment, formality and region (the
second sheet). Labels in the staff member's language; every text cell neutralised (amrc.lib.spreadsheet_cells)."""

import csv
import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from amrc.lib.spreadsheet_cells import neutralised
from followup.selectors import CampaignResponse, NonRespondent
from measures.models import Campaign


def _non_respondent_header() -> list[str]:
    return [
        _("Entreprise"),
        _("ICE"),
        _("Segment"),
        _("Formalité"),
        _("Région du siège"),
        _("Effectif enregistré"),
        _("Déclaration en cours"),
        _("Contacts"),
        _("E-mails"),
        _("Téléphones"),
        _("Dernière déclaration (campagne)"),
        _("Dernière déclaration (statut)"),
        _("Dernière relance"),
        _("Dernière relance (statut)"),
    ]


def _non_respondent_values(row: NonRespondent) -> list:
    company, declaration, reminder = row.company, row.last_declaration, row.last_reminder
    return [
        company.trade_name,
        company.ice,
        company.get_segment_display(),
        company.get_formality_display(),
        company.region.name,
        company.registered_headcount,
        row.draft_status,
        "; ".join(
            f"{membership.user.full_name or membership.user.email} ({membership.get_role_display()})"
            for membership in row.contacts
        ),
        "; ".join(row.emails),
        "; ".join(row.phones),
        declaration.campaign.title if declaration else "",
        declaration.get_status_display() if declaration else "",
        f"{timezone.localtime(reminder.created_at):%Y-%m-%d %H:%M}" if reminder else "",
        reminder.get_status_display() if reminder else "",
    ]


def _response_header() -> list[str]:
    return [
        _("Ventilation"),
        _("Groupe"),
        _("Attendues"),
        _("Reçues"),
        _("Taux de réponse"),
        _("Validées"),
        _("À l'heure"),
        _("En retard"),
        _("Brouillons"),
        _("Effectif couvert"),
    ]


def _response_values(response: CampaignResponse) -> Iterable[list]:
    groups = [(_("Total"), [response.total])] + [(str(title), rows) for title, rows in response.breakdowns]
    for title, rows in groups:
        for counts in rows:
            yield [
                title,
                counts.label or title,
                counts.expected,
                counts.received,
                counts.response_rate,
                counts.approved,
                counts.on_time,
                counts.late,
                counts.drafts,
                counts.headcount_coverage,
            ]


def non_respondents_csv(rows: Iterable[NonRespondent]) -> str:
    buffer = io.StringIO()
    # The byte order mark tells spreadsheets the file is UTF-8: accents and Arabic survive.
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_non_respondent_header())
    for row in rows:
        writer.writerow([neutralised(value) for value in _non_respondent_values(row)])
    return buffer.getvalue()


def _xlsx_value(value):
    if isinstance(value, str):
        # Control characters are not allowed in the file format: openpyxl would refuse the sheet.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return neutralised(value)


def _append_sheet(sheet, header: list[str], rows: Iterable[list], widths: dict[int, int]) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append([_xlsx_value(value) for value in values])
    sheet.freeze_panes = "A2"
    for index, width in widths.items():
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width


def follow_up_xlsx(campaign: Campaign, response: CampaignResponse, rows: Iterable[NonRespondent]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Non-répondants")[:31]
    _append_sheet(
        sheet,
        _non_respondent_header(),
        (_non_respondent_values(row) for row in rows),
        {1: 32, 8: 40, 9: 36, 10: 18, 11: 28, 13: 18},
    )
    response_sheet = workbook.create_sheet(_("Réponse")[:31])
    _append_sheet(response_sheet, _response_header(), _response_values(response), {1: 14, 2: 32})
    for row in response_sheet.iter_rows(min_row=2):
        for index in (4, 9):
            row[index].number_format = "0.0%"
    workbook.properties.title = campaign.title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
