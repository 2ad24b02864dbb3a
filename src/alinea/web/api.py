"""The REST API: one NinjaAPI under ``/api/``; each app contributes a router.

Authentication: ``Authorization: Bearer <token>`` (tokens from the API tokens page or
``alinea.apps.accounts.services.api_token_create``), or the session of a logged-in browser.
The OpenAPI document is at ``/api/openapi.json``, the interactive docs at ``/api/docs`` (Swagger UI
served from django-ninja's packaged files, no CDN).
"""

from __future__ import annotations

from ninja import NinjaAPI, Swagger

from alinea.apps.accounts.api_auth import API_AUTH
from alinea.apps.definitions.api import router as definitions_router
from alinea.apps.funnel.api import metrics_router
from alinea.apps.funnel.api import router as funnel_router
from alinea.apps.goals.api import router as goals_router
from alinea.apps.imports.api import router as imports_router
from alinea.apps.reviews.api import router as reviews_router
from alinea.apps.scoreboard.api import router as scoreboard_router
from alinea.apps.sla.api import router as sla_router
from alinea.web.api_errors import install_error_handlers

api = NinjaAPI(
    title="alinea API",
    version="1",
    description=(
        "Sales and marketing alignment on real data. Every number is computed from the facts in "
        "the warehouse. Authenticate with `Authorization: Bearer <token>`; create a token on the "
        "API tokens page of the web app."
    ),
    auth=API_AUTH,
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": True}),
)
install_error_handlers(api)
api.add_router("/scoreboard", scoreboard_router, tags=["scoreboard"])
api.add_router("/sla", sla_router, tags=["sla"])
api.add_router("/definitions", definitions_router, tags=["definitions"])
api.add_router("/funnel", funnel_router, tags=["funnel"])
api.add_router("/metrics", metrics_router, tags=["metrics"])
api.add_router("/goals", goals_router, tags=["goals"])
api.add_router("/imports", imports_router, tags=["imports"])
api.add_router("/reviews", reviews_router, tags=["reviews"])
