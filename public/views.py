from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from bulletins import presentation
from bulletins.selectors import latest_published_revision, published_bulletins, published_series
from members.models import SectorFigure
from public.page_cache import LATEST, public_page

HOME_BULLETINS = 12


@require_safe
@public_page(LATEST)
def home(request: HttpRequest) -> HttpResponse:
    """What the platform is, the latest published key figures and the bulletins. Everything here
    comes from stored snapshots, so the page costs the same whatever the size of the registry."""
    latest = latest_published_revision()
    points = published_series()
    context = {
        "sector_figures": SectorFigure.objects.all(),
        "bulletins": published_bulletins()[:HOME_BULLETINS],
        "latest": latest,
        "key_figures": presentation.key_figures(latest.snapshot) if latest else [],
        "previous": (latest.snapshot.get("changes") or {}).get("previous") if latest else None,
        "series": presentation.series_context(points, chart_id="home-series-chart") if points else None,
    }
    return render(request, "public/home.html", context)
