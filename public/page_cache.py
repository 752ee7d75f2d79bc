"""Public pages served like static documents.

A public page (home, bulletin list, bulletin and revision pages, downloads, series, feed, formats)
is the same for every reader: it never reads the session, and its language is in its address. So
it is rendered once, kept in Django's cache with its gzip and Brotli forms, and served from there
with a strong ETag, a Last-Modified date and `Cache-Control: public`; a conditional request that
matches is answered 304. A page found in the cache costs no database query, and at most one
cache read (its head and the one body sent; none when this process served it recently).

Two kinds of page:
- FROZEN: the files of a published revision (CSV, JSON), which never change. Their Last-Modified
  is the revision's publication, which the view sets.
- the others show what is currently published (the latest revision, the list, the series, the
  corrections of a revision), so they belong to a *publication generation*: a token in the cache
  that `public_pages_changed()` replaces whenever public content changes (publication of a
  bulletin or a correction, edits of what the pages show). Every page of an older generation is
  then rendered anew at its next request; its Last-Modified is the moment it was rendered, which
  can only come after the content it shows.

With the shared cache (CACHE_URL, Redis) a publication shows at once in the process that made it
and within a second in the others (each keeps the pages it serves most in its own memory too,
checked against the generation once a second). With each process's own memory only (no
CACHE_URL) only the publishing process learns of the new generation; the others render their
pages again when their copies expire, after `stored_for` seconds at most.

Compression (BREACH): only pages rendered through this decorator are compressed, and a page is
kept and compressed only when its request did not touch the session, did not ask for a CSRF token
and its response sets no cookie. A page that does (the staff preview of a draft at a bulletin's
address) is passed on untouched, without public caching headers. No middleware compresses
responses, so pages with a form token or a member's figures are never compressed.
"""

import gzip
import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

import brotli
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language

GENERATION_KEY = "public-pages:generation"
# How long a process trusts the generation it read, and how many pages it keeps in its own memory.
GENERATION_RECHECK = 1.0
LOCAL_PAGES = 100
# Smaller bodies gain nothing from compression.
MIN_COMPRESSED_SIZE = 512


@dataclass(frozen=True)
class Freshness:
    """How long readers' browsers and shared caches may reuse a page without asking
    (`max_age`), and how long the server keeps its rendered copy (`stored_for`)."""

    max_age: int
    stored_for: int
    frozen: bool = False


# The latest figures: readers see a publication or a correction within a minute.
LATEST = Freshness(max_age=60, stored_for=300)
# A revision's own page: its figures are frozen, but a later correction adds a notice to it.
REVISION = Freshness(max_age=600, stored_for=300)
# The files of a published revision never change. A day rather than a year: a new release could
# still change how a file is written from the same figures.
FROZEN = Freshness(max_age=86_400, stored_for=86_400, frozen=True)


@dataclass(frozen=True)
class PageHead:
    """What a page's validators and headers need. Its bodies (plain, gzip, Brotli) are kept under
    keys of their own: a request reads the one it is sent, and a conditional request none."""

    generation: str | None
    content_type: str
    digest: str
    last_modified: int
    headers: tuple[tuple[str, str], ...]
    compressed: bool


class _LocalPages:
    """What each process keeps in its own memory in front of the shared cache: the pages it
    served last, and the generation it read last, for GENERATION_RECHECK seconds. A page served
    again then costs no cache read at all (a read from Redis costs more than the rest of the
    response); a publication made by another process reaches this one within that time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pages: OrderedDict[str, tuple[str, PageHead, dict[str, bytes]]] = OrderedDict()
        self.generation = ""
        self.read_at = -GENERATION_RECHECK

    def current_generation(self) -> str:
        now = time.monotonic()
        if now - self.read_at >= GENERATION_RECHECK:
            self.generation, self.read_at = publication_generation(), now
        return self.generation

    def started(self, generation: str) -> None:
        with self.lock:
            self.generation, self.read_at = generation, time.monotonic()
            self.pages.clear()

    def get(self, key: str, generation: str, encoding: str) -> tuple[PageHead | None, bytes | None]:
        with self.lock:
            kept = self.pages.get(key)
            if kept is None or kept[0] != generation:
                return None, None
            self.pages.move_to_end(key)
            return kept[1], kept[2].get(encoding)

    def put(self, key: str, generation: str, head: PageHead, encoding: str, body: bytes) -> None:
        with self.lock:
            kept = self.pages.get(key)
            bodies = kept[2] if kept is not None and kept[0] == generation and kept[1] == head else {}
            self.pages[key] = (generation, head, {**bodies, encoding: body})
            self.pages.move_to_end(key)
            while len(self.pages) > LOCAL_PAGES:
                self.pages.popitem(last=False)

    def forget(self) -> None:
        with self.lock:
            self.pages.clear()
            self.read_at = -GENERATION_RECHECK


_local = _LocalPages()


def public_pages_changed() -> None:
    """Start a new publication generation: every public page that shows current content is
    rendered again at its next request. Call it once the change is committed
    (`transaction.on_commit(public_pages_changed)`), so no page renders the old state under the
    new generation."""
    generation = secrets.token_hex(8)
    cache.set(GENERATION_KEY, generation, timeout=None)
    _local.started(generation)


def forget_local_pages() -> None:
    """Drop this process's own copies (tests, which empty the shared cache between them)."""
    _local.forget()


def public_page(freshness: Freshness) -> Callable:
    """Serve a public view from the cache, with validators, Cache-Control and compression."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            key = _page_key(request)
            encoding = _preferred_encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""))
            current = _local.current_generation()
            # A frozen file belongs to no generation; this process's copy of it still follows
            # the generation, and comes back from the shared cache after a publication.
            generation = None if freshness.frozen else current
            head, body = _local.get(key, current, encoding)
            if head is None:
                found = cache.get_many([key, f"{key}:{encoding}"])
                head = found.get(key)
                if head is not None and head.generation == generation:
                    body = _body(found.get(f"{key}:{encoding}"), head)
                else:
                    head = None
            if head is not None:
                response = _response(request, head, encoding, freshness)
                if response.status_code != 200:
                    return response
                if body is None:
                    body = _body(cache.get(f"{key}:{encoding}"), head)
            if body is None:
                # Not kept yet, kept for an older generation, or its body evicted before its head.
                rendered = _render(view, request, args, kwargs, key=key, generation=generation, freshness=freshness)
                if isinstance(rendered, HttpResponse):
                    return rendered
                head, bodies = rendered
                body = bodies[encoding]
                # The reader may hold this very page, rendered anew for a new generation.
                response = _response(request, head, encoding, freshness)
                if response.status_code != 200:
                    return response
            _local.put(key, current, head, encoding, body)
            response.content = body
            return response

        return wrapped

    return decorator


class PublicContentAdminMixin:
    """For the admin of what public pages show besides the bulletins' frozen figures (reference
    figures, names of measures, a bulletin's title in the lists): a change made here is on the
    public pages as soon as it is saved."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(public_pages_changed)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(public_pages_changed)

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        transaction.on_commit(public_pages_changed)


def publication_generation() -> str:
    """The current publication generation, started if the cache holds none: also a key for
    fragments of private pages that show published content (portal)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
        # Another process may have started it first: theirs wins. A cache that keeps nothing
        # (the dummy backend) gives none back, and pages are then rendered every time.
        generation = cache.get(GENERATION_KEY) or ""
    return generation


def _page_key(request: HttpRequest) -> str:
    # The host is part of the address: feeds and the printed address are absolute.
    address = f"{get_language()}|{request.scheme}://{request.get_host()}{request.path}"
    return "public-page:" + hashlib.sha256(address.encode()).hexdigest()


def _is_public(request: HttpRequest, response: HttpResponse) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (session is not None and session.accessed)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "cookie" not in response.get("Vary", "").lower()
    )


def _render(
    view: Callable[..., HttpResponse],
    request: HttpRequest,
    args: tuple,
    kwargs: dict,
    *,
    key: str,
    generation: str | None,
    freshness: Freshness,
) -> tuple[PageHead, dict[str, bytes]] | HttpResponse:
    """Render the page and keep it; a response that is not a public page comes back as it is."""
    # A public page means the same whatever its query string (tracking tags, a cache-busting
    # parameter): render it without, so its links never carry one.
    request.GET = QueryDict()
    request.META["QUERY_STRING"] = ""
    response = view(request, *args, **kwargs)
    if not _is_public(request, response):
        return response
    body = response.content
    bodies = {"identity": body, "br": body, "gzip": body}
    compressed = len(body) >= MIN_COMPRESSED_SIZE
    if compressed:
        bodies.update(br=brotli.compress(body, quality=9), gzip=gzip.compress(body, compresslevel=9, mtime=0))
    # A frozen file keeps the date its view gives (its publication); any other page is dated by
    # its rendering, which follows whatever it shows.
    last_modified = parse_http_date_safe(response.get("Last-Modified", "")) if freshness.frozen else None
    disposition = response.get("Content-Disposition")
    head = PageHead(
        generation=generation,
        content_type=response["Content-Type"],
        digest=hashlib.sha256(body).hexdigest()[:32],
        last_modified=last_modified or int(time.time()),
        headers=(("Content-Disposition", disposition),) if disposition else (),
        compressed=compressed,
    )
    # Each body carries its page's digest: one from another rendering is never served with this head.
    stored = {key: head, **{f"{key}:{name}": (head.digest, data) for name, data in bodies.items()}}
    cache.set_many(stored, freshness.stored_for)
    return head, bodies


def _body(stored: tuple[str, bytes] | None, head: PageHead) -> bytes | None:
    if stored is None or stored[0] != head.digest:
        return None
    return stored[1]


def _response(request: HttpRequest, head: PageHead, encoding: str, freshness: Freshness) -> HttpResponse:
    """The page's headers and validators, without its body yet; or 304 (or 412) if the request's
    conditions say the reader holds it."""
    coding = encoding if head.compressed and encoding != "identity" else None
    response = HttpResponse(content_type=head.content_type)
    for name, value in head.headers:
        response[name] = value
    if coding:
        response["Content-Encoding"] = coding
    # Each encoding is a representation of its own, with its own strong validator.
    response["ETag"] = f'"{head.digest}-{coding}"' if coding else f'"{head.digest}"'
    response["Last-Modified"] = http_date(head.last_modified)
    patch_cache_control(response, public=True, max_age=freshness.max_age)
    patch_vary_headers(response, ("Accept-Encoding",))
    return get_conditional_response(request, etag=response["ETag"], last_modified=head.last_modified, response=response)


def _preferred_encoding(accept_encoding: str) -> str:
    """Brotli, then gzip, if the client accepts them (a q-value of 0 refuses one); else identity."""
    accepted: dict[str, float] = {}
    for item in accept_encoding.lower().split(","):
        name, _, parameters = item.strip().partition(";")
        quality = 1.0
        parameters = parameters.strip()
        if parameters.startswith("q="):
            try:
                quality = float(parameters[2:])
            except ValueError:
                quality = 0.0
        accepted[name.strip()] = quality
    for encoding in ("br", "gzip"):
        if accepted.get(encoding, accepted.get("*", 0.0)) > 0:
            return encoding
    return "identity"
