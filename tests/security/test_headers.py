"""Browser protections on every response: a strict Content-Security-Policy (with a nonce only where
a page uses one), a Permissions-Policy turning off what the platform never uses, and
`private, no-store` on whatever was built from the session."""

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse

from tests.factories import BulletinFactory

PUBLIC_PAGES = ["/", "/en/", "/bulletins/", "/bulletins/atom.xml", "/bulletins/serie.csv", "/connexion/"]


def _policy(response) -> dict[str, list[str]]:
    directives = [part.strip().split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {name: values for name, *values in directives}


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_forbids_inline_scripts_and_styles(anonymous_client, db, path):
    policy = _policy(anonymous_client.get(path))

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


@pytest.mark.parametrize("path", ["/admin/", "/admin/members/company/", "/espace/"])
def test_the_admin_and_the_member_area_have_the_same_policy(staff_client, declarant_a_client, path):
    client = declarant_a_client if path == "/espace/" else staff_client

    policy = _policy(client.get(path))

    assert all("'unsafe-inline'" not in values for values in policy.values())
    assert policy["script-src"][0] == "'self'"
    assert policy["style-src"] == ["'self'"]


def test_a_nonce_appears_only_when_a_page_uses_one(rf, db):
    def view(request):
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

    middleware = CSPMiddleware(view)
    request = rf.get("/")
    middleware.process_request(request)
    response = middleware.process_response(request, view(request))

    assert f"'nonce-{request.csp_nonce}'" in _policy(response)["script-src"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_turns_off_powerful_browser_features(anonymous_client, db, path):
    header = anonymous_client.get(path)["Permissions-Policy"]

    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in header


@pytest.mark.parametrize("path", ["/", "/en/", "/bulletins/", "/bulletins/atom.xml", "/bulletins/serie.csv"])
def test_public_pages_stay_cacheable_for_a_logged_in_member(declarant_a_client, path):
    response = declarant_a_client.get(path)

    assert "no-store" not in response.get("Cache-Control", "")
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize("path", ["/espace/", "/compte/mot-de-passe/modifier/", "/compte/inscription/"])
def test_pages_built_from_the_session_are_private_and_not_stored(declarant_a_client, path):
    response = declarant_a_client.get(path)

    assert response["Cache-Control"] == "private, no-store"


def test_the_login_page_keeps_djangos_never_cache(anonymous_client, db):
    response = anonymous_client.get("/connexion/")

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_team_page_is_private_and_not_stored(declarant_a_client, company_a):
    response = declarant_a_client.get(f"/compte/entreprises/{company_a.pk}/equipe/")

    assert response["Cache-Control"] == "private, no-store"


def test_a_redirect_after_a_form_is_private_too(declarant_a_client):
    response = declarant_a_client.post("/deconnexion/")

    assert "no-store" in response["Cache-Control"]


def test_a_draft_preview_for_staff_is_not_stored(staff_client):
    bulletin = BulletinFactory()

    response = staff_client.get(f"/bulletins/{bulletin.slug}/apercu/")

    assert "no-store" in response["Cache-Control"]


def test_the_admin_keeps_its_own_cache_control(staff_client):
    response = staff_client.get("/admin/")

    assert "no-store" in response["Cache-Control"]
    assert "must-revalidate" in response["Cache-Control"]
