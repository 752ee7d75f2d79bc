from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from members.models import SectorFigure


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html", {"sector_figures": SectorFigure.objects.all()})
