from django.urls import path

from public import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("aide/", views.help_page, name="help"),
    path("contact/", views.contact, name="contact"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("manifest.webmanifest", views.web_manifest, name="manifest"),
]
