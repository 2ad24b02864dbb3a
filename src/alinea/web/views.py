"""The shell's own pages: the placeholder of sections not built yet, and error pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader

from alinea.web.sections import SECTIONS_BY_KEY


def home(request: HttpRequest) -> HttpResponse:
    return redirect("scoreboard:index")


def section_not_built(request: HttpRequest, key: str) -> HttpResponse:
    section = SECTIONS_BY_KEY.get(key)
    if section is None or section.built:
        raise Http404(key)
    return render(request, "web/not_built.html", {"section": section})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # no request context: whatever failed may be what a context processor needs
    return HttpResponse(loader.get_template("500.html").render(), status=500)
