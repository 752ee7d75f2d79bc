"""The main path in a real headless Chromium: an invited contact sets a password and lands on
the dashboard, fills the declaration (the live checks react as they type), saves a draft and
submits; staff return it with a comment in the admin; the contact corrects and resubmits; staff
approve; the declaration page lists every step. E-mails reach the contact at each stage."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from accounts.services import invitation_send
from measures.models import Declaration, DeclarationEvent
from members.models import CompanyMembership
from tests.factories import DEFAULT_PASSWORD, CampaignFactory, SiteFactory, region

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # A transactional test empties the tables the data migrations filled: load them again.
    pytest.mark.usefixtures("reference_data"),
]

NEW_PASSWORD = "Centre-Appels-Casa-2020"


def _link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def _path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def _log_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/connexion/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_invite_declare_return_correct_and_approve(live_server, browser, staff_user, company_a):
    base = live_server.url
    today = timezone.localdate()
    campaign = CampaignFactory(
        title="Semaine en cours",
        period_start=today - datetime.timedelta(days=8),
        opens_on=today - datetime.timedelta(days=1),
        due_on=today + datetime.timedelta(days=3),
        locks_on=today + datetime.timedelta(days=10),
    )
    SiteFactory(company=company_a, name="Plateau Anfa", region=region("MA-06"))
    member = browser.new_context(locale="fr-FR").new_page()
    staff = browser.new_context(locale="fr-FR").new_page()

    # The contact follows the invitation link, chooses a password and lands on the dashboard.
    invitation_send(
        company=company_a, email="amina@atlas.ma", role=CompanyMembership.Role.DECLARANT, invited_by=staff_user
    )
    member.goto(base + _path_of(_link_in(mail.outbox[-1])))
    member.locator("#id_full_name").fill("Amina Declarante")
    member.locator("#id_password").fill(NEW_PASSWORD)
    member.locator("#id_password_confirmation").fill(NEW_PASSWORD)
    member.get_by_role("button", name="Accepter l'invitation").click()
    expect(member.get_by_role("heading", name="Mon espace")).to_be_visible()

    # The declaration: the live checks answer while typing; the server checks again on save.
    member.get_by_role("button", name="Commencer la déclaration").click()
    member.get_by_label("Effectif total").fill("100")
    member.get_by_label("Dont sur site").fill("40")
    member.get_by_label("Dont en télétravail").fill("50")
    member.get_by_label("Dont en arrêt technique").fill("5")
    member.get_by_label("Dont autres absences").fill("3")
    expect(member.locator('[data-check="split"]')).to_have_text(
        "Sur site, télétravail, arrêt technique et autres absences doivent totaliser l'effectif : "
        "ils font 98 pour un effectif de 100."
    )
    member.get_by_label("Dont autres absences").fill("5")
    expect(member.locator('[data-check="split"]')).to_have_text("La répartition correspond à l'effectif.")

    rows = member.locator("[data-line-row]")
    expect(rows.first.get_by_label("Région")).to_have_value(str(region("MA-06").pk))
    rows.first.get_by_label("Effectif").fill("90")
    rows.first.get_by_label("Sur site").fill("40")
    rows.first.get_by_label("En télétravail").fill("50")
    expect(member.locator('[data-check="regions"]')).to_contain_text("totalise 90 au lieu de 100")
    rows.first.get_by_label("Effectif").fill("100")
    expect(member.locator('[data-check="regions"]')).to_have_text("La répartition régionale correspond aux totaux.")
    lines_before = rows.count()
    member.get_by_role("button", name="Ajouter une région").click()
    expect(rows).to_have_count(lines_before + 1)

    member.get_by_label("Recrutements", exact=True).fill("2")
    member.get_by_label("Départs", exact=True).fill("3")
    member.get_by_label("Dont licenciements", exact=True).fill("1")
    member.get_by_label("Activité clients maintenue (%)").fill("80")
    member.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(member.get_by_text("Brouillon enregistré.")).to_be_visible()

    member.get_by_label("Chiffre d'affaires à l'export (MAD)").fill("150000")
    member.get_by_role("button", name="Soumettre").click()
    expect(member.get_by_text("Déclaration soumise. Merci !")).to_be_visible()
    declaration = Declaration.objects.get(company=company_a, campaign=campaign)
    assert declaration.status == Declaration.Status.SUBMITTED

    # Staff log in, give the code of their authenticator application, and return the declaration
    # with a comment.
    device = TOTPDevice.objects.create(user=staff_user, name="Téléphone", confirmed=True)
    _log_in(staff, base, "staff@amrc.ma", DEFAULT_PASSWORD)
    staff.goto(f"{base}/admin/measures/declaration/{declaration.pk}/change/")
    staff.get_by_label("Code").fill(f"{TOTP(device.bin_key).token():06d}")
    staff.get_by_role("button", name="Vérifier").click()
    expect(staff.get_by_text("La déclaration telle que l'entreprise la voit")).to_be_visible()
    staff.get_by_role("link", name="Renvoyer pour correction").click()
    staff.get_by_label("Commentaire pour l'entreprise").fill("Les départs semblent sous-estimés.")
    staff.get_by_role("button", name="Renvoyer pour correction").click()
    expect(staff.get_by_text("Déclaration renvoyée pour correction")).to_be_visible()
    assert "Les départs semblent sous-estimés." in mail.outbox[-1].body

    # The contact reads the comment, corrects and resubmits.
    member.goto(base + _path_of(_link_in(mail.outbox[-1])))
    expect(member.get_by_role("note")).to_contain_text("Les départs semblent sous-estimés.")
    member.get_by_label("Départs", exact=True).fill("6")
    member.get_by_role("button", name="Soumettre").click()
    expect(member.get_by_text("Déclaration soumise. Merci !")).to_be_visible()

    # Staff approve from the change page; the company is told.
    staff.goto(f"{base}/admin/measures/declaration/{declaration.pk}/change/")
    staff.get_by_role("button", name="Valider").click()
    expect(staff.get_by_text("Déclaration validée")).to_be_visible()
    assert "validée" in mail.outbox[-1].subject

    # Every step is on the declaration page, with who did it.
    member.reload()
    expect(member.locator(".declaration-event")).to_have_count(4)
    expect(member.locator(".declaration-event").nth(1)).to_contain_text("Renvoyée pour correction par Équipe AMRC")
    expect(member.locator(".declaration-event").last).to_contain_text("Validée par Équipe AMRC")
    assert list(DeclarationEvent.objects.values_list("action", flat=True)) == [
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]
