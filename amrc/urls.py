from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.forms import LoginForm
from public.views import favicon

admin.site.site_header = _("Administration de la plateforme AMRC")
admin.site.site_title = _("Administration AMRC")
admin.site.index_title = _("Registre, déclarations et publications")

# Addresses without a language: browsers ask for the icon at the root.
urlpatterns = [
    path("favicon.ico", favicon),
]
# The language is part of the address: French, the default, without a prefix; /ar/ and /en/ for
# the others. A page's content then depends on its URL alone, so public pages need no cookie to
# be read in Arabic and a shared cache can keep each language's copy.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("connexion/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("espace/", include("portal.urls")),
    path("compte/", include("accounts.urls")),
    path("bulletins/", include("bulletins.urls")),
    path("", include("public.urls")),
    prefix_default_language=False,
)
