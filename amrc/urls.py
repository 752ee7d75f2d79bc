from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.forms import LoginForm

admin.site.site_header = _("Administration de la plateforme AMRC")
admin.site.site_title = _("Administration AMRC")
admin.site.index_title = _("Registre, déclarations et publications")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("connexion/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("espace/", include("portal.urls")),
    path("compte/", include("accounts.urls")),
    path("bulletins/", include("bulletins.urls")),
    path("", include("public.urls")),
]
