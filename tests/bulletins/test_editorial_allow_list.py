"""The editorial's Markdown passes an explicit allow-list (nh3): structure, links and tables; images
only from the platform itself; no style, no class, no id, no script."""

from bulletins.templatetags.bulletin_tags import markdown


def test_a_remote_image_loses_its_address():
    html = markdown("![traceur](https://traceur.example/pixel.png)")

    assert "traceur.example" not in html


def test_a_protocol_relative_image_loses_its_address():
    assert "traceur.example" not in markdown("![x](//traceur.example/pixel.png)")


def test_a_data_image_loses_its_address():
    assert "data:" not in markdown("![x](data:image/svg+xml;base64,PHN2Zz4=)")


def test_an_image_of_the_platform_itself_is_kept():
    assert '<img alt="courbe" src="/static/img/courbe.png">' in markdown("![courbe](/static/img/courbe.png)")


def test_inline_styles_classes_and_ids_are_removed():
    html = markdown('<p style="position:fixed" class="alert" id="series-chart">Texte</p>')

    assert html == "<p>Texte</p>"


def test_markdown_attribute_lists_cannot_add_a_handler_or_a_style():
    html = markdown('Paragraphe\n{: onclick="steal()" style="color:red" }')

    assert "onclick" not in html
    assert "style" not in html


def test_links_keep_their_address_and_tell_nothing_to_the_next_site():
    html = markdown("[La source](https://www.hcp.ma/)")

    assert html == '<p><a href="https://www.hcp.ma/" rel="noopener noreferrer nofollow">La source</a></p>'


def test_a_javascript_link_loses_its_address():
    assert "javascript" not in markdown("[clic](javascript:alert(1))").lower()


def test_tables_are_kept():
    html = markdown("| Région | Effectif |\n|---|---:|\n| Casablanca | 1 200 |")

    assert "<table>" in html
    assert "<td>1 200</td>" in html
    assert "style" not in html


def test_frames_forms_and_objects_are_removed():
    html = markdown('<iframe src="/"></iframe><form action="/x"><input></form><object data="x"></object>Fin')

    assert html.strip() == "<p>Fin</p>"
