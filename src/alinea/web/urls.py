from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from alinea.web import views
from alinea.web.api import api
from alinea.web.sections import SECTIONS

_not_built = [
    path(f"{section.key}/", views.section_not_built, {"key": section.key}, name=section.key)
    for section in SECTIONS
    if not section.built
]

urlpatterns = [
    path("", views.home, name="home"),
    path("scoreboard/", include("alinea.apps.scoreboard.urls")),
    path("goals/", include("alinea.apps.goals.urls")),
    path("sla/", include("alinea.apps.sla.urls")),
    path("definitions/", include("alinea.apps.definitions.urls")),
    path("funnel/", include("alinea.apps.funnel.urls")),
    path("reviews/", include("alinea.apps.reviews.urls")),
    path("data/", include("alinea.apps.imports.urls")),
    path("audit/", include("alinea.apps.audit.urls")),
    path("accounts/", include("alinea.apps.accounts.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/", api.urls),
    path("", include((_not_built, "sections"))),
]

handler404 = views.page_not_found
handler500 = views.server_error
