from tests.accounts.links import link_in
from tests.factories import DEFAULT_PASSWORD

NEW_PASSWORD = "Nouveau-secret-solide-2021"


def _request_reset(client, email: str):
    return client.post("/compte/mot-de-passe/oublie/", {"email": email})


def test_a_reset_request_sends_a_french_email_with_a_link(anonymous_client, declarant_a, mailoutbox):
    response = _request_reset(anonymous_client, "declarant@atlas.ma")

    assert response.status_code == 302
    assert response["Location"] == "/compte/mot-de-passe/oublie/envoye/"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["declarant@atlas.ma"]
    assert message.subject == "Choisir un nouveau mot de passe sur la plateforme AMRC"
    assert link_in(message, "/compte/mot-de-passe/nouveau/")


def test_an_unknown_address_gets_the_same_answer_and_no_email(anonymous_client, db, mailoutbox):
    response = _request_reset(anonymous_client, "inconnu@exemple.ma")

    assert response.status_code == 302
    assert mailoutbox == []


def test_the_reset_link_sets_a_new_password(anonymous_client, declarant_a, mailoutbox):
    _request_reset(anonymous_client, "declarant@atlas.ma")
    link = link_in(mailoutbox[0], "/compte/mot-de-passe/nouveau/")

    # Django swaps the token for a session marker, then shows the form at a fixed URL.
    form_page = anonymous_client.get(link, follow=True)
    response = anonymous_client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/compte/mot-de-passe/nouveau/termine/"
    declarant_a.refresh_from_db()
    assert declarant_a.check_password(NEW_PASSWORD)
    assert not declarant_a.check_password(DEFAULT_PASSWORD)


def test_the_reset_link_works_only_once(anonymous_client, declarant_a, mailoutbox):
    _request_reset(anonymous_client, "declarant@atlas.ma")
    link = link_in(mailoutbox[0], "/compte/mot-de-passe/nouveau/")
    form_page = anonymous_client.get(link, follow=True)
    anonymous_client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    again = anonymous_client.get(link, follow=True)

    assert "Ce lien de réinitialisation n'est plus valable" in again.content.decode()


def test_a_weak_new_password_is_refused_by_the_validators(anonymous_client, declarant_a, mailoutbox):
    _request_reset(anonymous_client, "declarant@atlas.ma")
    form_page = anonymous_client.get(link_in(mailoutbox[0], "/compte/mot-de-passe/nouveau/"), follow=True)

    response = anonymous_client.post(form_page.redirect_chain[-1][0], {"new_password1": "123", "new_password2": "123"})

    assert response.status_code == 200
    assert "Ce mot de passe est trop court" in response.content.decode()
    declarant_a.refresh_from_db()
    assert declarant_a.check_password(DEFAULT_PASSWORD)


def test_the_link_starts_with_site_url_whatever_the_host_header(anonymous_client, declarant_a, mailoutbox, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://plateforme.amrc.ma"

    anonymous_client.post(
        "/compte/mot-de-passe/oublie/", {"email": declarant_a.email}, HTTP_HOST="attaquant.example:8081"
    )

    body = mailoutbox[0].body
    assert "https://plateforme.amrc.ma/compte/mot-de-passe/nouveau/" in body
    assert "attaquant" not in body
