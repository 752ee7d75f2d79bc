"""Public pages are served like static documents: kept rendered in the cache, with validators,
`Cache-Control: public`, compression, and 304 answers that touch no database."""

import datetime
import gzip

import brotli
import pytest
from django.core.cache import cache, caches
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.http import http_date

from public import page_cache
from public.page_cache import _page_key, forget_local_pages, public_pages_changed
from tests.factories import BulletinFactory, BulletinRevisionFactory

SLUG = "semaine-du-30-mars-2020"
PUBLISHED_AT = datetime.datetime(2020, 4, 9, 10, 0, tzinfo=datetime.UTC)

LATEST_PAGES = [
    "/",
    "/bulletins/",
    f"/bulletins/{SLUG}/",
    "/bulletins/serie.csv",
    "/bulletins/atom.xml",
    "/bulletins/documentation/formats/",
]
REVISION_PAGE = f"/bulletins/{SLUG}/revisions/1/"
FILES = [f"/bulletins/{SLUG}/revisions/1/bulletin.csv", f"/bulletins/{SLUG}/revisions/1/bulletin.json"]
PUBLIC_PAGES = [*LATEST_PAGES, REVISION_PAGE, *FILES, "/en/", f"/ar/bulletins/{SLUG}/"]


@pytest.fixture
def revision(db):
    return BulletinRevisionFactory(
        bulletin__slug=SLUG, bulletin__title="Semaine du 30 mars 2020", published_at=PUBLISHED_AT
    )


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_public_page_carries_a_strong_etag_and_a_date(anonymous_client, revision, url):
    response = anonymous_client.get(url)

    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_public_page_may_be_kept_by_any_cache(anonymous_client, revision, url):
    response = anonymous_client.get(url)

    assert "public" in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_public_page_sets_no_cookie_and_does_not_vary_on_one(anonymous_client, revision, url):
    response = anonymous_client.get(url)

    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_public_page_is_the_same_for_a_logged_in_member(anonymous_client, declarant_a_client, revision, url):
    anonymous = anonymous_client.get(url)
    member = declarant_a_client.get(url)

    assert member.content == anonymous.content
    assert member["ETag"] == anonymous["ETag"]
    assert not member.cookies


@pytest.mark.parametrize("url", LATEST_PAGES)
def test_pages_of_the_latest_figures_are_reused_for_a_minute(anonymous_client, revision, url):
    assert anonymous_client.get(url)["Cache-Control"] == "public, max-age=60"


def test_the_files_of_a_revision_are_reused_for_a_day_and_dated_by_its_publication(anonymous_client, revision):
    for url in FILES:
        response = anonymous_client.get(url)

        assert response["Cache-Control"] == "public, max-age=86400"
        assert response["Last-Modified"] == http_date(PUBLISHED_AT.timestamp())


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_page_read_again_comes_from_the_cache_without_a_query(
    anonymous_client, revision, django_assert_num_queries, url
):
    first = anonymous_client.get(url)

    with django_assert_num_queries(0):
        again = anonymous_client.get(url)

    assert again.status_code == 200
    assert again.content == first.content


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_reader_holding_the_current_page_gets_304_without_a_query(
    anonymous_client, revision, django_assert_num_queries, url
):
    etag = anonymous_client.get(url)["ETag"]

    with django_assert_num_queries(0):
        response = anonymous_client.get(url, headers={"if-none-match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_reader_whose_copy_is_not_older_than_the_page_gets_304_without_a_query(
    anonymous_client, revision, django_assert_num_queries, url
):
    last_modified = anonymous_client.get(url)["Last-Modified"]

    with django_assert_num_queries(0):
        response = anonymous_client.get(url, headers={"if-modified-since": last_modified})

    assert response.status_code == 304


def test_a_reader_holding_another_version_gets_the_page(anonymous_client, revision):
    response = anonymous_client.get("/bulletins/", headers={"if-none-match": '"an-older-version"'})

    assert response.status_code == 200
    assert b"Semaine du 30 mars 2020" in response.content


def test_a_reader_whose_copy_predates_the_publication_gets_the_file(anonymous_client, revision):
    before = http_date((PUBLISHED_AT - datetime.timedelta(days=1)).timestamp())

    response = anonymous_client.get(FILES[0], headers={"if-modified-since": before})

    assert response.status_code == 200


# Compression


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_public_page_is_sent_gzipped_to_a_reader_who_accepts_it(anonymous_client, revision, url):
    plain = anonymous_client.get(url)

    compressed = anonymous_client.get(url, headers={"accept-encoding": "gzip, deflate"})

    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert "Accept-Encoding" in compressed["Vary"]


def test_brotli_is_preferred_when_the_reader_accepts_it(anonymous_client, revision):
    plain = anonymous_client.get(REVISION_PAGE)

    compressed = anonymous_client.get(REVISION_PAGE, headers={"accept-encoding": "gzip, deflate, br"})

    assert compressed["Content-Encoding"] == "br"
    assert brotli.decompress(compressed.content) == plain.content


def test_each_encoding_has_its_own_etag(anonymous_client, revision):
    etags = {
        anonymous_client.get(REVISION_PAGE, headers={"accept-encoding": encoding})["ETag"]
        for encoding in ("identity", "gzip", "br")
    }

    assert len(etags) == 3


def test_an_encoding_refused_with_a_zero_quality_is_not_used(anonymous_client, revision):
    response = anonymous_client.get(REVISION_PAGE, headers={"accept-encoding": "br;q=0, gzip;q=0.5"})

    assert response["Content-Encoding"] == "gzip"


def test_a_page_without_an_accepted_encoding_is_sent_plain(anonymous_client, revision):
    response = anonymous_client.get(REVISION_PAGE)

    assert "Content-Encoding" not in response
    assert b"Semaine du 30 mars 2020" in response.content


def test_a_page_with_a_form_token_is_never_compressed(anonymous_client, db):
    response = anonymous_client.get("/connexion/", headers={"accept-encoding": "gzip, br"})

    assert b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_a_members_dashboard_is_never_compressed_nor_public(declarant_a_client, revision):
    response = declarant_a_client.get("/espace/", headers={"accept-encoding": "gzip, br"})

    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert "public" not in response.get("Cache-Control", "")


# What the cache keeps apart, and what it ignores


def test_each_language_has_its_own_cached_page(anonymous_client, revision, django_assert_num_queries):
    anonymous_client.get(f"/bulletins/{SLUG}/")
    anonymous_client.get(f"/en/bulletins/{SLUG}/")

    with django_assert_num_queries(0):
        french = anonymous_client.get(f"/bulletins/{SLUG}/").content.decode()
        english = anonymous_client.get(f"/en/bulletins/{SLUG}/").content.decode()

    assert '<html lang="fr"' in french
    assert '<html lang="en"' in english


def test_the_query_string_is_ignored_and_never_copied_into_the_page(
    anonymous_client, revision, django_assert_num_queries
):
    tagged = anonymous_client.get("/bulletins/?utm_source=lettre&x=<script>").content.decode()

    with django_assert_num_queries(0):
        plain = anonymous_client.get("/bulletins/").content.decode()

    assert plain == tagged
    assert "utm_source" not in plain
    assert 'href="/en/bulletins/"' in plain


def test_the_staff_preview_of_a_draft_is_neither_kept_nor_public(staff_client, anonymous_client, db):
    BulletinFactory(slug="brouillon", title="Bulletin en préparation")

    preview = staff_client.get("/bulletins/brouillon/")

    assert preview.status_code == 200
    assert "public" not in preview.get("Cache-Control", "")
    assert "ETag" not in preview
    assert anonymous_client.get("/bulletins/brouillon/").status_code == 404


def test_a_page_not_found_is_not_kept(anonymous_client, db):
    assert anonymous_client.get("/bulletins/inconnu/").status_code == 404
    BulletinRevisionFactory(bulletin__slug="inconnu", published_at=timezone.now())

    assert anonymous_client.get("/bulletins/inconnu/").status_code == 200


def test_a_post_to_a_public_page_is_refused(anonymous_client, revision):
    assert anonymous_client.post("/bulletins/").status_code == 405


def test_a_page_whose_body_was_evicted_is_rendered_again(anonymous_client, revision):
    first = anonymous_client.get(REVISION_PAGE, headers={"accept-encoding": "br"})
    with translation.override("fr"):
        body_key = f"{_page_key(RequestFactory().get(REVISION_PAGE))}:br"
    # Gone from the shared cache, and asked of a process that does not hold it either.
    assert cache.delete(body_key)
    forget_local_pages()

    again = anonymous_client.get(REVISION_PAGE, headers={"accept-encoding": "br"})

    assert brotli.decompress(again.content) == brotli.decompress(first.content)
    assert cache.get(body_key) is not None


def test_a_new_generation_with_the_same_content_still_answers_304(anonymous_client, revision):
    etag = anonymous_client.get("/bulletins/")["ETag"]
    public_pages_changed()

    response = anonymous_client.get("/bulletins/", headers={"if-none-match": etag})

    assert response.status_code == 304


def test_a_precondition_on_another_version_fails(anonymous_client, revision):
    anonymous_client.get("/bulletins/")

    response = anonymous_client.get("/bulletins/", headers={"if-match": '"another-version"'})

    assert response.status_code == 412


def test_a_process_serves_a_page_it_holds_without_reading_the_shared_cache(anonymous_client, revision, monkeypatch):
    anonymous_client.get(REVISION_PAGE)
    monkeypatch.setattr(caches["default"], "get_many", lambda keys: pytest.fail("read the shared cache"))

    assert anonymous_client.get(REVISION_PAGE).status_code == 200


def test_a_publication_made_elsewhere_reaches_this_process_within_a_second(anonymous_client, revision, monkeypatch):
    etag = anonymous_client.get("/bulletins/")["ETag"]
    # Another process publishes: the shared generation changes, this process is not told.
    cache.set("public-pages:generation", "published-elsewhere")
    BulletinRevisionFactory(bulletin__title="Semaine du 6 avril 2020")
    monkeypatch.setattr(page_cache, "GENERATION_RECHECK", 0.0)

    response = anonymous_client.get("/bulletins/", headers={"if-none-match": etag})

    assert response.status_code == 200
    assert b"Semaine du 6 avril 2020" in response.content
