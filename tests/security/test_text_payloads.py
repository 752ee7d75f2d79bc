"""Attack payloads in every text a member or staff can write: a script, a broken-out attribute with
an event handler, a `javascript:` link, a spreadsheet formula, an RTL override, NUL bytes and
a megabyte of text. Wherever the text comes out (the member's pages, the public pages, the admin,
the Atom feed, the CSV files) it is inert: shown as text, never run. Over-long text and NUL bytes
are refused with a message next to the field, and nothing is written."""

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.utils.html import escape

from accounts.models import Invitation, User
from accounts.services import invitation_send
from bulletins.models import Bulletin, BulletinRevision
from measures.models import Declaration
from members.models import Company, CompanyMembership, CompanyMessage
from tests.accounts.links import link_in
from tests.admin.builders import admin_form_data
from tests.factories import (
    DEFAULT_PASSWORD,
    BulletinFactory,
    BulletinRevisionFactory,
    DeclarationFactory,
    region,
    valid_ice,
)
from tests.portal.declaration_data import COLLECTION_DAY, declaration_post_data

SCRIPT = "<script>alert('amrc')</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://x.ma","?")'
RTL_OVERRIDE = "Rapport\u202egpj.exe"
PAYLOADS = [SCRIPT, ATTRIBUTE, FORMULA, RTL_OVERRIDE]
MEGABYTE = "x" * 1_000_000
NUL_TEXT = "avant\x00après"
LIVE_MARKUP = re.compile(r"<script>alert|<img src=x onerror|href=\"javascript:", re.IGNORECASE)
ATOM = "{http://www.w3.org/2005/Atom}"


def assert_inert(html: str, payload: str) -> None:
    """The payload is in the page as text (escaped), and no live markup came out of it."""
    assert not LIVE_MARKUP.search(html)
    assert escape(payload) in html


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def collection_day():
    with time_machine.travel(COLLECTION_DAY, tick=False):
        yield


# --- The declaration's comment (a member) ---


@pytest.fixture
def draft(company_a, collection_day):
    return DeclarationFactory(company=company_a)


def _declare(client, draft, difficulties: str):
    data = declaration_post_data(draft, figures={"difficulties": difficulties})
    return client.post(f"/espace/declarations/{draft.pk}/", data)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_declaration_comment_is_inert_on_the_members_page_and_in_the_admin(
    declarant_a_client, staff_client, draft, payload
):
    assert _declare(declarant_a_client, draft, payload).status_code == 302
    draft.refresh_from_db()
    assert draft.difficulties == payload

    assert_inert(_page(declarant_a_client, f"/espace/declarations/{draft.pk}/"), payload)
    assert_inert(_page(staff_client, f"/admin/measures/declaration/{draft.pk}/change/"), payload)


@pytest.mark.parametrize(("text", "message"), [(MEGABYTE, "au plus 2000 caractères"), (NUL_TEXT, "caractère nul")])
def test_an_over_long_or_nul_declaration_comment_is_refused_next_to_the_field(declarant_a_client, draft, text, message):
    response = _declare(declarant_a_client, draft, text)

    assert response.status_code == 200
    assert any(message in error for error in response.context["entry"].form.errors["difficulties"])
    draft.refresh_from_db()
    assert (draft.version, draft.difficulties) == (1, "")


# --- Self-registration (anyone) ---


def _registration(**fields) -> dict:
    return {
        "trade_name": "Fès Appels",
        "legal_name": "",
        "ice": valid_ice(4242),
        "city": "Fès",
        "region": region("MA-03").pk,
        "headcount": "45",
        "full_name": "Salma Fassi",
        "email": "salma@fesappels.ma",
        "phone": "+212 5 35 00 00 00",
        "password": DEFAULT_PASSWORD,
        "password_confirmation": DEFAULT_PASSWORD,
        **fields,
    }


@pytest.mark.parametrize("field", ["trade_name", "legal_name", "city", "full_name", "phone"])
@pytest.mark.parametrize("payload", [SCRIPT, ATTRIBUTE, FORMULA])
def test_registration_fields_are_inert_in_the_admin(anonymous_client, staff_client, field, payload):
    assert anonymous_client.post("/compte/inscription/", _registration(**{field: payload})).status_code == 302
    company = Company.objects.get(ice=valid_ice(4242))
    user = User.objects.get(email="salma@fesappels.ma")

    if field in ("full_name", "phone"):
        assert_inert(_page(staff_client, f"/admin/accounts/user/{user.pk}/change/"), payload)
        assert_inert(_page(staff_client, "/admin/accounts/user/"), user.full_name)
    else:
        assert_inert(_page(staff_client, f"/admin/members/company/{company.pk}/change/"), payload)
        assert_inert(_page(staff_client, "/admin/members/company/"), company.trade_name)


@pytest.mark.parametrize("field", ["trade_name", "legal_name", "city", "full_name", "phone"])
@pytest.mark.parametrize("text", [MEGABYTE, NUL_TEXT])
def test_an_over_long_or_nul_registration_field_is_refused_next_to_it(anonymous_client, db, field, text):
    response = anonymous_client.post("/compte/inscription/", _registration(**{field: text}))

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Company.objects.filter(ice=valid_ice(4242)).exists()
    assert not User.objects.filter(email="salma@fesappels.ma").exists()


# --- Names and invitation addresses ---


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_name_chosen_on_an_invitation_is_inert_on_the_team_page_and_in_the_admin(
    anonymous_client, company_admin_a_client, staff_client, staff_user, company_a, mailoutbox, payload
):
    invitation_send(company=company_a, email="nouveau@atlas.ma", role="declarant", invited_by=staff_user)
    link = link_in(mailoutbox[-1], "/compte/invitation/")
    anonymous_client.post(
        link, {"full_name": payload, "password": DEFAULT_PASSWORD, "password_confirmation": DEFAULT_PASSWORD}
    )
    user = User.objects.get(email="nouveau@atlas.ma")
    assert user.full_name == payload

    assert_inert(_page(company_admin_a_client, f"/compte/entreprises/{company_a.pk}/equipe/"), payload)
    assert_inert(_page(staff_client, "/admin/accounts/user/"), payload)
    assert not LIVE_MARKUP.search(_page(anonymous_client, "/espace/"))


@pytest.mark.parametrize("email", [f"{SCRIPT}@atlas.ma", ATTRIBUTE, f"a{chr(0)}b@atlas.ma", "a" * 300 + "@atlas.ma"])
def test_an_invitation_to_a_payload_address_is_refused_next_to_the_field(
    company_admin_a_client, company_a, mailoutbox, email
):
    response = company_admin_a_client.post(
        f"/compte/entreprises/{company_a.pk}/equipe/inviter/", {"email": email, "role": "declarant"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Invitation.objects.exists()
    assert mailoutbox == []


# --- Company names (staff) ---


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_company_name_is_inert_on_the_members_dashboard_and_in_the_admin(
    declarant_a_client, staff_client, company_a, payload
):
    Company.objects.filter(pk=company_a.pk).update(trade_name=payload)

    assert_inert(_page(declarant_a_client, "/espace/"), payload)
    assert_inert(_page(staff_client, "/admin/members/company/"), payload)
    assert_inert(_page(staff_client, "/admin/members/companymembership/"), payload)


def test_an_over_long_company_name_is_refused_in_the_admin(staff_client, company_a):
    url = f"/admin/members/company/{company_a.pk}/change/"
    data = admin_form_data(staff_client.get(url), trade_name=MEGABYTE)

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["trade_name"]
    company_a.refresh_from_db()
    assert company_a.trade_name == "Atlas Contact"


# --- Bulletins: title, editorial, correction note (staff) ---


@pytest.fixture
def corrected(db):
    """A bulletin published twice: revision 2 carries a correction note."""

    def _corrected(*, title: str = "Semaine du 16 mars 2020", editorial: str = "Texte.", note: str = "Correction."):
        first = BulletinRevisionFactory(
            bulletin__title=title, bulletin__editorial=editorial, title=title, editorial=editorial
        )
        BulletinRevisionFactory(
            bulletin=first.bulletin, number=2, title=title, editorial=editorial, correction_note=note
        )
        return first.bulletin

    return _corrected


def _feed_entry(client) -> ET.Element:
    return ET.fromstring(client.get("/bulletins/atom.xml").content).find(f"{ATOM}entry")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_bulletin_title_is_inert_on_the_public_pages_and_in_the_admin(
    anonymous_client, staff_client, corrected, payload
):
    bulletin = corrected(title=payload)

    assert_inert(_page(anonymous_client, bulletin.get_absolute_url()), payload)
    assert_inert(_page(anonymous_client, "/bulletins/"), payload)
    assert_inert(_page(anonymous_client, "/"), payload)
    assert_inert(_page(staff_client, "/admin/bulletins/bulletin/"), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_bulletin_title_is_plain_text_in_the_feed(anonymous_client, corrected, payload):
    corrected(title=payload)

    title = _feed_entry(anonymous_client).find(f"{ATOM}title")

    assert title.get("type") in (None, "text")
    assert title.text == payload


def test_a_formula_title_is_text_in_the_series_csv(anonymous_client, corrected):
    corrected(title=FORMULA)

    rows = list(csv.DictReader(io.StringIO(anonymous_client.get("/bulletins/serie.csv").content.decode("utf-8-sig"))))

    assert rows[0]["title"] == "'" + FORMULA


@pytest.mark.parametrize(
    "payload", [SCRIPT, ATTRIBUTE, "[clic](javascript:alert(1))", '<p style="position:fixed">x</p>']
)
def test_the_editorial_is_inert_on_the_public_page(anonymous_client, corrected, payload):
    bulletin = corrected(editorial=payload)

    page = _page(anonymous_client, bulletin.get_absolute_url())

    assert not LIVE_MARKUP.search(page)
    assert "position:fixed" not in page


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_editorial_is_inert_in_the_admin(staff_client, corrected, payload):
    bulletin = corrected(editorial=payload)

    assert_inert(_page(staff_client, f"/admin/bulletins/bulletin/{bulletin.pk}/change/"), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_correction_note_is_inert_on_the_public_page_and_in_the_admin(
    anonymous_client, staff_client, corrected, payload
):
    bulletin = corrected(note=payload)
    revision = BulletinRevision.objects.get(bulletin=bulletin, number=2)

    assert_inert(_page(anonymous_client, bulletin.get_absolute_url()), payload)
    assert_inert(_page(staff_client, f"/admin/bulletins/bulletinrevision/{revision.pk}/change/"), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_correction_note_is_escaped_html_in_the_feed_summary(anonymous_client, corrected, payload):
    corrected(note=payload)

    summary = _feed_entry(anonymous_client).find(f"{ATOM}summary")

    # The summary is HTML (type="html"): what a feed reader renders must show the note as text.
    assert summary.get("type") == "html"
    assert not LIVE_MARKUP.search(summary.text)
    assert escape(payload) in summary.text


@pytest.mark.parametrize("field", ["editorial", "editorial_ar", "editorial_en"])
def test_an_over_long_editorial_is_refused_in_the_admin(staff_client, field):
    bulletin = BulletinFactory()
    url = f"/admin/bulletins/bulletin/{bulletin.pk}/change/"
    data = admin_form_data(staff_client.get(url), **{field: "x" * 20_001})

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    bulletin.refresh_from_db()
    assert getattr(bulletin, field) != "x" * 20_001


@pytest.mark.parametrize("note", [MEGABYTE, NUL_TEXT])
def test_an_over_long_or_nul_correction_note_publishes_nothing(staff_client, corrected, note):
    bulletin = corrected()

    response = staff_client.post(f"/admin/bulletins/bulletin/{bulletin.pk}/publier/", {"note": note})

    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    assert BulletinRevision.objects.filter(bulletin=bulletin).count() == 2
    assert Bulletin.objects.get(pk=bulletin.pk).status == Bulletin.Status.PUBLISHED


# --- Staff messages and return comments ---


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_staff_message_is_inert_on_the_members_dashboard_and_in_the_admin(
    declarant_a_client, staff_client, company_a, payload
):
    response = staff_client.post(
        "/admin/members/companymessage/add/", {"company": company_a.pk, "subject": payload, "body": payload}
    )
    assert response.status_code == 302
    message = CompanyMessage.objects.get()

    assert_inert(_page(declarant_a_client, "/espace/"), payload)
    assert_inert(_page(staff_client, f"/admin/members/companymessage/{message.pk}/change/"), payload)


@pytest.mark.parametrize(("field", "text"), [("body", MEGABYTE), ("subject", "x" * 201), ("body", NUL_TEXT)])
def test_an_over_long_or_nul_staff_message_is_refused_next_to_the_field(staff_client, company_a, field, text):
    data = {"company": company_a.pk, "subject": "Rappel", "body": "Bonjour", field: text}

    response = staff_client.post("/admin/members/companymessage/add/", data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    assert not CompanyMessage.objects.exists()


@pytest.fixture
def submitted(company_a, collection_day):
    return DeclarationFactory(company=company_a, status=Declaration.Status.SUBMITTED)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_return_comment_is_inert_on_the_members_page_and_in_the_admin(
    declarant_a_client, staff_client, submitted, payload, mailoutbox
):
    staff_client.post(f"/admin/measures/declaration/{submitted.pk}/renvoyer/", {"comment": payload})
    submitted.refresh_from_db()
    assert submitted.return_comment == payload

    assert_inert(_page(declarant_a_client, f"/espace/declarations/{submitted.pk}/"), payload)
    assert_inert(_page(staff_client, f"/admin/measures/declaration/{submitted.pk}/change/"), payload)


@pytest.mark.parametrize("comment", [MEGABYTE, NUL_TEXT])
def test_an_over_long_or_nul_return_comment_returns_nothing(staff_client, submitted, comment, mailoutbox):
    response = staff_client.post(f"/admin/measures/declaration/{submitted.pk}/renvoyer/", {"comment": comment})

    assert response.status_code == 200
    assert response.context["form"].errors["comment"]
    submitted.refresh_from_db()
    assert submitted.status == Declaration.Status.SUBMITTED
    assert mailoutbox == []


def test_the_membership_list_keeps_a_payload_name_inert(staff_client, company_a):
    user = User.objects.create_user("x@atlas.ma", DEFAULT_PASSWORD, full_name=ATTRIBUTE)
    CompanyMembership.objects.create(user=user, company=company_a)

    assert_inert(_page(staff_client, "/admin/members/companymembership/"), ATTRIBUTE)
