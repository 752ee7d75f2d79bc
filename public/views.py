from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from amrc.lib.translated_text import reader_language
from bulletins import presentation
from bulletins.selectors import latest_published_revision, published_bulletins, published_series
from measures.models import Campaign
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


def _contact() -> dict[str, str]:
    return {"contact_email": settings.CONTACT_EMAIL, "contact_phone": settings.CONTACT_PHONE}


@require_safe
def help_page(request: HttpRequest) -> HttpResponse:
    """How a member company declares, by when, and whom to ask; with the collections open now."""
    campaigns = Campaign.objects.open().order_by("due_on", "pk")
    return render(request, "public/help.html", {"campaigns": campaigns, **_contact()})


@require_safe
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "public/contact.html", _contact())


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    """What the platform keeps about companies and their users, who sees it, for how long, and how
    to exercise one's rights under law 09-08."""
    context = {
        **_contact(),
        "privacy_email": settings.PRIVACY_EMAIL,
        "cndp_declaration": settings.CNDP_DECLARATION,
        "invitation_days": settings.INVITATION_VALIDITY_DAYS,
    }
    return render(request, "public/privacy.html", context)


@require_safe
def web_manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest, in the language of its address: a phone that adds the site to its home
    screen names it, and opens it, in the reader's language."""
    manifest = {
        "name": _("Plateforme sectorielle AMRC"),
        "short_name": _("AMRC"),
        "description": _("Les chiffres de la relation client au Maroc, publiés par l'association."),
        "lang": reader_language(),
        "dir": "rtl" if get_language_bidi() else "ltr",
        "start_url": reverse("public:home"),
        "scope": "/",
        "display": "minimal-ui",
        "background_color": "#ffffff",
        "theme_color": "#0b4f6c",
        "icons": [
            {"src": static("img/favicon.svg"), "type": "image/svg+xml", "sizes": "any"},
            {"src": static("img/icon-192.png"), "type": "image/png", "sizes": "192x192"},
            {"src": static("img/icon-512.png"), "type": "image/png", "sizes": "512x512"},
            {
                "src": static("img/icon-maskable-512.png"),
                "type": "image/png",
                "sizes": "512x512",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(
        manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False, "indent": 2}
    )


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico where no page names an icon (a feed, a downloaded file)."""
    return redirect(static("img/favicon.ico"), permanent=True)
