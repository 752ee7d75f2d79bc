from tests.factories import BulletinRevisionFactory


def _editorial(client, text: str) -> str:
    revision = BulletinRevisionFactory(editorial=text)
    page = client.get(revision.bulletin.get_absolute_url()).content.decode()
    return page.split('id="editorial-title"')[1].split("</section>")[0]


def test_the_editorial_is_rendered_from_markdown(anonymous_client, db):
    editorial = _editorial(anonymous_client, "La part du **télétravail** progresse.\n\n- sur site\n- à distance")

    assert "<strong>télétravail</strong>" in editorial
    assert "<li>sur site</li>" in editorial


def test_a_script_in_the_editorial_does_not_reach_the_page(anonymous_client, db):
    editorial = _editorial(anonymous_client, "Bonjour <script>alert('x')</script> à tous.")

    assert "<script" not in editorial
    assert "alert(" not in editorial


def test_an_event_handler_in_the_editorial_is_removed(anonymous_client, db):
    editorial = _editorial(anonymous_client, '<p onclick="steal()">Texte</p> [lien](javascript:steal())')

    assert "onclick" not in editorial
    assert "javascript:" not in editorial
