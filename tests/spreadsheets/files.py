"""Spreadsheet files made in the tests, and the admin's import steps driven as a browser would."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.factories import valid_ice

HEADERS = [
    "id",
    "nom_commercial",
    "raison_sociale",
    "ice",
    "numero_rc",
    "numero_cnss",
    "ville",
    "region",
    "segment",
    "formalite",
    "effectif_enregistre",
    "active",
]
IMPORT_URL = reverse("admin:members_company_import")
PROCESS_URL = reverse("admin:members_company_process_import")
CSV_FORMAT, XLSX_FORMAT = "0", "1"


def company_row(n: int, **values) -> dict:
    row = {
        "id": "",
        "nom_commercial": f"Plateau Import {n}",
        "raison_sociale": f"Plateau Import {n} SARL",
        "ice": valid_ice(900_000 + n),
        "numero_rc": f"RC{n}",
        "numero_cnss": "",
        "ville": "Casablanca",
        "region": "MA-06",
        "segment": "small",
        "formalite": "formal",
        "effectif_enregistre": "40",
        "active": "1",
    }
    row.update(values)
    return row


def csv_file(rows: list[dict], headers: list[str] = HEADERS) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("registre.csv", out.getvalue().encode("utf-8-sig"), content_type="text/csv")


def xlsx_file(rows: list[list], headers: list[str] = HEADERS) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("registre.xlsx", out.getvalue())


def read_csv(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(content: bytes) -> list[dict]:
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def preview(client, upload, file_format: str = CSV_FORMAT):
    """The import's first step: upload, dry run, preview."""
    return client.post(IMPORT_URL, {"import_file": upload, "format": file_format})


def confirm(client, preview_response):
    """The import's second step: the preview's hidden form sent back."""
    form = preview_response.context["confirm_form"]
    return client.post(PROCESS_URL, {name: form.initial.get(name, "") for name in form.fields})
