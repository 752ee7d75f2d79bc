"""The site's URLs plus two views that fail, in every language, to see the error pages a visitor
would get."""

from django.conf.urls.i18n import i18n_patterns
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from amrc import urls as site


def fails(request: HttpRequest) -> HttpResponse:
    raise ValueError("a bug")


def loses_the_database(request: HttpRequest) -> HttpResponse:
    raise DatabaseError("server closed the connection unexpectedly")


urlpatterns = [
    *i18n_patterns(
        path("tests/fails/", fails),
        path("tests/loses-the-database/", loses_the_database),
        prefix_default_language=False,
    ),
    *site.urlpatterns,
]
handler500 = site.handler500
