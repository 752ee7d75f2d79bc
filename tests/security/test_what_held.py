"""What held before this hardening, and must keep holding: a login gets a new session (a session
fixed beforehand by an attacker is worth nothing), and an invitation is kept as a hash only, usable
once. (Cross-company requests answering 404 are pinned for every address by test_url_access.)"""

from django.test import Client

from accounts.models import Invitation
from accounts.services import invitation_send
from accounts.tokens import invitation_token_hash
from tests.accounts.links import link_in
from tests.factories import DEFAULT_PASSWORD


def _session_key(client: Client) -> str:
    return client.cookies["sessionid"].value


def test_a_member_login_rotates_the_session(anonymous_client, declarant_a):
    anonymous_client.get("/connexion/")
    session = anonymous_client.session
    session["avant"] = "connexion"
    session.save()
    before = _session_key(anonymous_client)

    anonymous_client.post("/connexion/", {"username": declarant_a.email, "password": DEFAULT_PASSWORD})

    assert _session_key(anonymous_client) != before
    assert anonymous_client.session["avant"] == "connexion"


def test_a_session_fixed_by_an_attacker_is_not_logged_in(anonymous_client, declarant_a):
    session = anonymous_client.session
    session["piege"] = "1"
    session.save()
    fixed = session.session_key
    attacker = Client()
    attacker.cookies["sessionid"] = fixed

    anonymous_client.post("/connexion/", {"username": declarant_a.email, "password": DEFAULT_PASSWORD})

    assert attacker.get("/espace/").status_code == 302


def test_an_admin_login_rotates_the_session(anonymous_client, staff_user):
    anonymous_client.get("/admin/login/")
    session = anonymous_client.session
    session["avant"] = "connexion"
    session.save()
    before = _session_key(anonymous_client)

    anonymous_client.post("/admin/login/", {"username": staff_user.email, "password": DEFAULT_PASSWORD})

    assert _session_key(anonymous_client) != before


def test_an_invitation_is_stored_as_a_hash_of_its_token_only(company_a, staff_user, mailoutbox):
    invitation_send(company=company_a, email="nouveau@atlas.ma", role="declarant", invited_by=staff_user)
    token = link_in(mailoutbox[0], "/compte/invitation/").rstrip("/").rsplit("/", 1)[1]

    invitation = Invitation.objects.get()
    assert invitation.token_hash == invitation_token_hash(token)
    assert token not in str(Invitation.objects.values().get())


def test_an_invitation_link_works_once(anonymous_client, company_a, staff_user, mailoutbox):
    invitation_send(company=company_a, email="nouveau@atlas.ma", role="declarant", invited_by=staff_user)
    link = link_in(mailoutbox[0], "/compte/invitation/")
    data = {"full_name": "Nadia", "password": DEFAULT_PASSWORD, "password_confirmation": DEFAULT_PASSWORD}
    anonymous_client.post(link, data)

    again = Client().post(link, data)

    assert again.status_code == 410
