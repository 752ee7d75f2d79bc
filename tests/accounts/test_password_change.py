from tests.factories import DEFAULT_PASSWORD

NEW_PASSWORD = "Nouveau-secret-solide-2021"


def test_a_member_changes_their_password(declarant_a_client, declarant_a):
    response = declarant_a_client.post(
        "/compte/mot-de-passe/modifier/",
        {"old_password": DEFAULT_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/compte/mot-de-passe/modifie/"
    declarant_a.refresh_from_db()
    assert declarant_a.check_password(NEW_PASSWORD)


def test_the_current_password_is_required(declarant_a_client, declarant_a):
    response = declarant_a_client.post(
        "/compte/mot-de-passe/modifier/",
        {"old_password": "pas-le-bon", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "Votre ancien mot de passe est incorrect" in response.content.decode()


def test_a_common_password_is_refused_by_the_validators(declarant_a_client):
    response = declarant_a_client.post(
        "/compte/mot-de-passe/modifier/",
        {"old_password": DEFAULT_PASSWORD, "new_password1": "password123", "new_password2": "password123"},
    )

    assert response.status_code == 200
    assert "Ce mot de passe est trop courant" in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(anonymous_client, db):
    response = anonymous_client.get("/compte/mot-de-passe/modifier/")

    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/?next=")


def test_the_member_page_is_not_the_admin_password_page(declarant_a_client):
    response = declarant_a_client.get("/compte/mot-de-passe/modifier/")

    assert "registration/account_password_change_form.html" in [t.name for t in response.templates]
