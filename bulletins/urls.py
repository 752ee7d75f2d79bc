from django.urls import path

from bulletins import views
from bulletins.feeds import BulletinFeed
from public.page_cache import LATEST, public_page

app_name = "bulletins"

urlpatterns = [
    path("", views.bulletin_list, name="list"),
    path("atom.xml", public_page(LATEST)(BulletinFeed()), name="feed"),
    path("serie.csv", views.series_csv, name="series-csv"),
    path("serie-tableur.csv", views.series_csv_spreadsheet, name="series-csv-spreadsheet"),
    path("documentation/formats/", views.download_formats, name="formats"),
    path("<slug:slug>/", views.bulletin_detail, name="detail"),
    path("<slug:slug>/apercu/", views.bulletin_preview, name="preview"),
    path("<slug:slug>/revisions/<int:number>/", views.revision_detail, name="revision"),
    path("<slug:slug>/revisions/<int:number>/bulletin.csv", views.revision_csv, name="revision-csv"),
    path(
        "<slug:slug>/revisions/<int:number>/bulletin-tableur.csv",
        views.revision_csv_spreadsheet,
        name="revision-csv-spreadsheet",
    ),
    path("<slug:slug>/revisions/<int:number>/bulletin.json", views.revision_json, name="revision-json"),
]
