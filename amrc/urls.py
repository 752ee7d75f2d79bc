from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.forms import LoginForm
from public.views import favicon
from security.rate_limits import LOGIN, limit_posts

admin.site.site_header = _("Administration de la plateforme AMRC")
admin.site.site_title = _("Administration AMRC")
admin.site.index_title = _("Registre, déclarations et publications")

# The language is part of the address: French, the default, without a prefix; /ar/ and /en/ for
# the others. A page's content then depends on its URL alone, so public pages need no cookie to
# be read in Arabic and a shared cache can keep each language's copy.
urlpatterns = [
    path("", include("ops.urls")),
    # Browsers ask for the icon at the root, whatever the page's language.
    path("favicon.ico", favicon, name="favicon"),
    *i18n_patterns(
        path("admin/", admin.site.urls),
        path(
            "connexion/",
            limit_posts(LOGIN)(auth_views.LoginView.as_view(authentication_form=LoginForm)),
            name="login",
        ),
        path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
        path("espace/", include("portal.urls")),
        path("compte/", include("accounts.urls")),
        path("bulletins/", include("bulletins.urls")),
        path("", include("public.urls")),
        prefix_default_language=False,
    ),
]

handler500 = "ops.views.server_error"

if settings.LOADTEST_HELLO:

    def hello(request: HttpRequest) -> HttpResponse:
        """The cheapest page Django can serve through the project's middleware: the load
        benchmark's reference (bench/loadtest.py), mounted only when it asks for it."""
        return HttpResponse(b"Hello, world", content_type="text/plain")

    urlpatterns.append(path("bench/hello/", hello))
