"""Public bulletin pages and files. They read stored snapshots only, and are served from the cache
like static documents (public.page_cache); the staff preview is the one page that computes
figures, and it renders through the very same template."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from accounts.selectors import user_is_verified_staff
from amrc.lib.translated_text import TranslatedText
from bulletins import downloads, presentation
from bulletins.models import Bulletin, BulletinRevision
from bulletins.presentation import SeriesPoint
from bulletins.selectors import (
    current_revision,
    dimension_names,
    public_revisions,
    published_bulletins,
    published_series,
    revision_history,
)
from bulletins.services import bulletin_preview as compute_bulletin_preview
from bulletins.templatetags.bulletin_tags import markdown
from public.page_cache import FROZEN, LATEST, REVISION, public_page


def _get_bulletin_for_staff(request: HttpRequest, slug: str) -> Bulletin:
    if not user_is_verified_staff(request.user):
        raise Http404
    return get_object_or_404(Bulletin.objects.select_related("campaign"), slug=slug)


def _get_published_revision(slug: str, number: int) -> BulletinRevision:
    return get_object_or_404(
        public_revisions().published().select_related("bulletin__campaign"), bulletin__slug=slug, number=number
    )


@require_safe
@public_page(LATEST)
def bulletin_list(request: HttpRequest) -> HttpResponse:
    return render(request, "bulletins/bulletin_list.html", {"bulletins": published_bulletins()})


@require_safe
@public_page(LATEST)
def bulletin_detail(request: HttpRequest, slug: str) -> HttpResponse:
    revision = current_revision(slug=slug)
    if revision is None:
        # A draft, which only staff see, as a preview computed now. Reading who asks makes the
        # response private: the page cache passes it on without keeping it.
        return _render_preview(request, _get_bulletin_for_staff(request, slug))
    return _render_revision(request, bulletin=revision.bulletin, revision=revision)


@require_safe
@public_page(REVISION)
def revision_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    revision = _get_published_revision(slug, number)
    return _render_revision(request, bulletin=revision.bulletin, revision=revision)


@require_safe
def bulletin_preview(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_preview(request, _get_bulletin_for_staff(request, slug))


@require_safe
@public_page(FROZEN)
def revision_csv(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    revision = _get_published_revision(slug, number)
    response = _attachment(
        # A byte-order mark so that spreadsheet software opens the UTF-8 file with its accents.
        "\ufeff" + downloads.revision_csv(revision.snapshot),
        content_type="text/csv; charset=utf-8",
        filename=f"amrc-bulletin-{slug}-r{number}.csv",
    )
    response["Last-Modified"] = http_date(revision.published_at.timestamp())
    return response


@require_safe
@public_page(FROZEN)
def revision_json(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    revision = _get_published_revision(slug, number)
    response = _attachment(
        downloads.revision_json(revision.snapshot),
        content_type="application/json; charset=utf-8",
        filename=f"amrc-bulletin-{slug}-r{number}.json",
    )
    response["Last-Modified"] = http_date(revision.published_at.timestamp())
    return response


@require_safe
@public_page(LATEST)
def series_csv(request: HttpRequest) -> HttpResponse:
    return _attachment(
        "\ufeff" + downloads.series_csv(published_series()),
        content_type="text/csv; charset=utf-8",
        filename="amrc-bulletins-serie.csv",
    )


@require_safe
def revision_csv_spreadsheet(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    revision = _get_published_revision(slug, number)
    text = downloads.spreadsheet_csv(
        downloads.revision_csv(revision.snapshot), number_columns=downloads.REVISION_CSV_NUMBERS
    )
    return _attachment(
        "\ufeff" + text, content_type="text/csv; charset=utf-8", filename=f"amrc-bulletin-{slug}-r{number}-tableur.csv"
    )


@require_safe
def series_csv_spreadsheet(request: HttpRequest) -> HttpResponse:
    text = downloads.spreadsheet_csv(
        downloads.series_csv(published_series()), number_columns=downloads.SERIES_CSV_NUMBERS
    )
    return _attachment(
        "\ufeff" + text, content_type="text/csv; charset=utf-8", filename="amrc-bulletins-serie-tableur.csv"
    )


def _attachment(content: str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _render_preview(request: HttpRequest, bulletin: Bulletin) -> HttpResponse:
    snapshot = compute_bulletin_preview(bulletin=bulletin)
    return _render_page(
        request,
        bulletin=bulletin,
        snapshot=snapshot,
        title=bulletin.reader_title,
        editorial=bulletin.reader_editorial,
        revision=None,
    )


def _render_revision(request: HttpRequest, *, bulletin: Bulletin, revision: BulletinRevision) -> HttpResponse:
    return _render_page(
        request,
        bulletin=bulletin,
        snapshot=revision.snapshot,
        title=revision.reader_title,
        editorial=revision.reader_editorial,
        revision=revision,
    )


def _render_page(
    request: HttpRequest,
    *,
    bulletin: Bulletin,
    snapshot: dict,
    title: TranslatedText,
    editorial: TranslatedText,
    revision: BulletinRevision | None,
) -> HttpResponse:
    names = dimension_names()
    history = revision_history(bulletin=bulletin) if bulletin.is_published else []
    this_point = _series_point(bulletin, snapshot, revision)
    points = [point for point in published_series(until=bulletin.campaign) if point.slug != bulletin.slug]
    points.append(this_point)
    context = {
        "bulletin": bulletin,
        "revision": revision,
        "is_preview": revision is None,
        "latest_number": history[-1].number if history else None,
        "history": history,
        "snapshot": snapshot,
        "title": title,
        "editorial": editorial,
        "key_figures": presentation.key_figures(snapshot),
        "tables": presentation.tables(snapshot, names),
        "response_rows": presentation.response_rows(snapshot),
        "response_columns": presentation.RESPONSE_COLUMNS,
        "response_total": presentation.response_total(snapshot),
        "estimate_rows": presentation.estimate_rows(snapshot),
        "estimate_columns": [presentation.column_label(c) for c in presentation.ESTIMATE_COLUMNS],
        "suppressed_cells": presentation.suppressed_cells(snapshot),
        "previous": (snapshot.get("changes") or {}).get("previous"),
        "changes_companies": (snapshot.get("changes") or {}).get("companies"),
        "provisional_reasons": presentation.provisional_reasons((snapshot.get("provisional") or {}).get("reasons")),
        "is_provisional": bool(snapshot.get("provisional")),
        "series": presentation.series_context(points, chart_id="series-chart"),
        "regions": presentation.regions_context(snapshot, names),
    }
    return render(request, "bulletins/bulletin_detail.html", context)


def _series_point(bulletin: Bulletin, snapshot: dict, revision: BulletinRevision | None) -> SeriesPoint:
    """This page's own point in the series: its revision's figures, not whatever is current."""
    return SeriesPoint(
        slug=bulletin.slug,
        title=bulletin.title,
        title_translations={"ar": bulletin.title_ar, "en": bulletin.title_en},
        revision=revision.number if revision else 0,
        period_start=bulletin.campaign.period_start.isoformat(),
        period_end=bulletin.campaign.period_end.isoformat(),
        published_at=revision.published_at.isoformat() if revision else "",
        key_figures=snapshot.get("key_figures") or {},
    )


@require_safe
@public_page(LATEST)
def download_formats(request: HttpRequest) -> HttpResponse:
    """The snapshot schema and the download formats, from the one document that defines them."""
    text = (settings.BASE_DIR / "docs" / "bulletin-schema.md").read_text(encoding="utf-8")
    return render(request, "bulletins/formats.html", {"documentation": markdown(text)})
