"""Every e-mail the platform sends is written in its recipient's language, with links to the pages
in that language on SITE_URL: French (the default) unprefixed, /ar/… for an Arabic reader.

The assertions hold whatever the state of the message catalogues: they read the language active
while the templates rendered, the message's Content-Language and the links' language prefix."""

import pytest
from django.utils import translation

import accounts.emails
from accounts.models import Invitation, User
from accounts.services import (
    company_registration_approve,
    company_registration_reject,
    invitation_accept,
    invitation_send,
)
from measures.models import Declaration
from measures.services import declaration_approve, declaration_return
from members.models import Company, CompanyMembership, Region
from tests.accounts.links import link_in
from tests.factories import (
    CampaignFactory,
    CompanyFactory,
    DeclarationFactory,
    MembershipFactory,
    UserFactory,
    valid_ice,
)
from tests.portal.declaration_data import COLLECTION_DAY

SITE_URL = "https://plateforme.amrc.ma"
DECLARANT = CompanyMembership.Role.DECLARANT


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def render_languages(monkeypatch) -> list[str]:
    """The language active each time an e-mail template was rendered."""
    seen: list[str] = []
    render = accounts.emails.render_to_string

    def recording(template_name, context=None, *args, **kwargs):
        seen.append(translation.get_language())
        return render(template_name, context, *args, **kwargs)

    monkeypatch.setattr(accounts.emails, "render_to_string", recording)
    return seen


def _language_of(message) -> str:
    return message.extra_headers["Content-Language"]


def _links(message) -> list[str]:
    return [word for word in message.body.split() if word.startswith("http")]


def _arabic(user: User) -> User:
    user.language = "ar"
    user.save(update_fields=["language"])
    return user


# --- Invitations: the invitee has no account yet; the inviter chooses the language ---


def test_an_invitation_goes_out_in_french_by_default(company_a, staff_user, mailoutbox, render_languages):
    invitation_send(company=company_a, email="nouveau@atlas.ma", role=DECLARANT, invited_by=staff_user)

    (message,) = mailoutbox
    assert _language_of(message) == "fr"
    assert set(render_languages) == {"fr"}
    assert link_in(message, "/compte/invitation/")
    assert all(link.startswith(f"{SITE_URL}/compte/") for link in _links(message))


def test_an_invitation_in_arabic_has_an_arabic_link(company_a, staff_user, mailoutbox, render_languages):
    invitation = invitation_send(
        company=company_a, email="nouveau@atlas.ma", role=DECLARANT, invited_by=staff_user, language="ar"
    )

    (message,) = mailoutbox
    assert invitation.language == "ar"
    assert _language_of(message) == "ar"
    assert set(render_languages) == {"ar"}
    assert link_in(message, "/ar/compte/invitation/")


def test_the_invitation_names_the_role_in_its_own_language(company_a, staff_user, mailoutbox):
    invitation_send(company=company_a, email="nouveau@atlas.ma", role=DECLARANT, invited_by=staff_user, language="en")

    with translation.override("en"):
        role = str(CompanyMembership.Role.DECLARANT.label)
    assert role in mailoutbox[0].body


def test_someone_with_an_account_reads_the_invitation_in_their_own_language(
    company_b, declarant_a, staff_user, mailoutbox
):
    declarant_a.language = "en"
    declarant_a.save()

    invitation_send(company=company_b, email=declarant_a.email, role=DECLARANT, invited_by=staff_user, language="ar")

    (message,) = mailoutbox
    assert _language_of(message) == "en"
    assert link_in(message, "/en/compte/invitation/")


def test_the_account_created_from_an_invitation_keeps_its_language(company_a, staff_user, mailoutbox):
    invitation_send(company=company_a, email="nouveau@atlas.ma", role=DECLARANT, invited_by=staff_user, language="ar")
    token = link_in(mailoutbox[0], "/ar/compte/invitation/").rstrip("/").rsplit("/", 1)[-1]

    user = invitation_accept(token=token, password="Un-secret-solide-2020", full_name="Nadia Alaoui")

    assert user.language == "ar"


def test_the_team_s_invite_form_offers_the_language_the_inviter_works_in(company_admin_a_client, company_a):
    response = company_admin_a_client.get(f"/ar/compte/entreprises/{company_a.pk}/equipe/inviter/")

    assert response.context["form"]["language"].value() == "ar"


def test_a_company_administrator_chooses_the_invitation_s_language(company_admin_a_client, company_a, mailoutbox):
    company_admin_a_client.post(
        f"/compte/entreprises/{company_a.pk}/equipe/inviter/",
        {"email": "collegue@atlas.ma", "role": DECLARANT, "language": "ar"},
    )

    assert Invitation.objects.get(email="collegue@atlas.ma").language == "ar"
    assert _language_of(mailoutbox[0]) == "ar"


def test_staff_choose_the_invitation_s_language_in_the_admin(staff_client, company_a, mailoutbox):
    staff_client.post(
        f"/admin/members/company/{company_a.pk}/inviter/",
        {"email": "nouveau@atlas.ma", "role": DECLARANT, "language": "en"},
    )

    assert _language_of(mailoutbox[0]) == "en"
    assert link_in(mailoutbox[0], "/en/compte/invitation/")


def test_an_invitation_in_a_language_the_platform_does_not_speak_is_refused(company_admin_a_client, company_a):
    response = company_admin_a_client.post(
        f"/compte/entreprises/{company_a.pk}/equipe/inviter/",
        {"email": "collegue@atlas.ma", "role": DECLARANT, "language": "de"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["language"]
    assert not Invitation.objects.exists()


# --- Password reset ---


def _request_reset(client, email: str, *, prefix: str = ""):
    return client.post(f"{prefix}/compte/mot-de-passe/oublie/", {"email": email})


def test_a_password_reset_goes_out_in_french_by_default(anonymous_client, declarant_a, mailoutbox, render_languages):
    _request_reset(anonymous_client, declarant_a.email)

    (message,) = mailoutbox
    assert _language_of(message) == "fr"
    assert set(render_languages) == {"fr"}
    assert link_in(message, "/compte/mot-de-passe/nouveau/")


def test_a_password_reset_follows_the_account_s_language_not_the_page_s(
    anonymous_client, declarant_a, mailoutbox, render_languages
):
    _arabic(declarant_a)

    _request_reset(anonymous_client, declarant_a.email, prefix="/en")

    (message,) = mailoutbox
    assert _language_of(message) == "ar"
    assert set(render_languages) == {"ar"}
    assert link_in(message, "/ar/compte/mot-de-passe/nouveau/")


def test_the_reset_link_is_on_the_site_s_address(anonymous_client, declarant_a, mailoutbox):
    _request_reset(anonymous_client, declarant_a.email)

    assert _links(mailoutbox[0]) and all(link.startswith(f"{SITE_URL}/") for link in _links(mailoutbox[0]))


def test_the_arabic_reset_link_sets_a_new_password(anonymous_client, declarant_a, mailoutbox):
    _arabic(declarant_a)
    _request_reset(anonymous_client, declarant_a.email)
    link = link_in(mailoutbox[0], "/ar/compte/mot-de-passe/nouveau/")

    form_page = anonymous_client.get(link, follow=True)
    response = anonymous_client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Nouveau-secret-solide-2021", "new_password2": "Nouveau-secret-solide-2021"},
    )

    assert response["Location"] == "/ar/compte/mot-de-passe/nouveau/termine/"
    declarant_a.refresh_from_db()
    assert declarant_a.check_password("Nouveau-secret-solide-2021")


# --- Self-registration: received, approved, rejected ---


def _registration(email: str) -> dict:
    return {
        "trade_name": "Fès Appels",
        "ice": valid_ice(778),
        "city": "Fès",
        "region": Region.objects.get(code="MA-03").pk,
        "headcount": "45",
        "full_name": "Salma Fassi",
        "email": email,
        "phone": "+212 5 35 00 00 00",
        "password": "Centre-Fes-Appels-2020",
        "password_confirmation": "Centre-Fes-Appels-2020",
    }


def test_a_registration_is_acknowledged_in_french_by_default(anonymous_client, db, mailoutbox, render_languages):
    anonymous_client.post("/compte/inscription/", _registration("salma@fesappels.ma"))

    (message,) = mailoutbox
    assert _language_of(message) == "fr"
    assert set(render_languages) == {"fr"}
    assert f"{SITE_URL}/\n" in message.body


def test_a_registration_in_arabic_is_acknowledged_in_arabic_and_the_account_keeps_it(
    anonymous_client, db, mailoutbox, render_languages
):
    response = anonymous_client.post("/ar/compte/inscription/", _registration("salma@fesappels.ma"))

    assert response.status_code == 302
    (message,) = mailoutbox
    assert _language_of(message) == "ar"
    assert set(render_languages) == {"ar"}
    assert f"{SITE_URL}/ar/\n" in message.body
    assert User.objects.get(email="salma@fesappels.ma").language == "ar"


@pytest.fixture
def pending_company(db) -> Company:
    company = CompanyFactory(trade_name="Fès Appels", registration_status=Company.RegistrationStatus.PENDING)
    for email, language in (("salma@fesappels.ma", "fr"), ("omar@fesappels.ma", "ar")):
        MembershipFactory(
            user=UserFactory(email=email, is_active=False, language=language),
            company=company,
            role=CompanyMembership.Role.ADMIN,
        )
    return company


def _by_language(mailoutbox) -> dict[str, list[str]]:
    return {_language_of(message): message.to for message in mailoutbox}


def test_an_approved_registration_welcomes_each_contact_in_their_language(
    pending_company, staff_user, mailoutbox, render_languages
):
    company_registration_approve(company=pending_company, user=staff_user)

    assert _by_language(mailoutbox) == {"fr": ["salma@fesappels.ma"], "ar": ["omar@fesappels.ma"]}
    french, arabic = sorted(mailoutbox, key=lambda message: _language_of(message) != "fr")
    assert link_in(french, "/connexion/")
    assert link_in(arabic, "/ar/connexion/")
    assert sorted(set(render_languages)) == ["ar", "fr"]


def test_a_rejected_registration_is_explained_to_each_contact_in_their_language(
    pending_company, staff_user, mailoutbox, render_languages
):
    company_registration_reject(company=pending_company, user=staff_user, reason="ICE introuvable.")

    assert _by_language(mailoutbox) == {"fr": ["salma@fesappels.ma"], "ar": ["omar@fesappels.ma"]}
    assert all("ICE introuvable." in message.body for message in mailoutbox)
    assert sorted(set(render_languages)) == ["ar", "fr"]


# --- Declarations approved or returned ---


@pytest.fixture
def submitted_declaration(company_a, declarant_a, company_admin_a):
    _arabic(company_admin_a)
    return DeclarationFactory(
        campaign=CampaignFactory(title="Semaine du 16 mars 2020"),
        company=company_a,
        status=Declaration.Status.SUBMITTED,
        submitted_at=COLLECTION_DAY,
        submitted_by=declarant_a,
    )


@pytest.mark.parametrize(
    ("review", "template"),
    [
        (lambda declaration, user: declaration_approve(declaration=declaration, user=user), "declaration_approved"),
        (
            lambda declaration, user: declaration_return(declaration=declaration, user=user, comment="À revoir."),
            "declaration_returned",
        ),
    ],
    ids=["approved", "returned"],
)
def test_a_reviewed_declaration_is_told_to_each_user_in_their_language(
    submitted_declaration, staff_user, mailoutbox, django_capture_on_commit_callbacks, review, template
):
    with django_capture_on_commit_callbacks(execute=True):
        review(submitted_declaration, staff_user)

    assert _by_language(mailoutbox) == {"fr": ["declarant@atlas.ma"], "ar": ["admin@atlas.ma"]}
    french, arabic = sorted(mailoutbox, key=lambda message: _language_of(message) != "fr")
    path = f"/espace/declarations/{submitted_declaration.pk}/"
    assert f"{SITE_URL}{path}" in french.body
    assert f"{SITE_URL}/ar{path}" in arabic.body
