"""Every error the API answers is JSON with a ``detail`` message a person can act on."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from alinea.apps.accounts.api_auth import MISSING_CREDENTIALS

logger = logging.getLogger("alinea.api")


def install_error_handlers(api: NinjaAPI) -> None:
    # ninja types a handler's exception as `E | type[E]`; the handlers receive instances
    def authentication(request: HttpRequest, exc: Any) -> HttpResponse:
        default = exc.message == AuthenticationError().message
        response = api.create_response(
            request, {"detail": MISSING_CREDENTIALS if default else exc.message}, status=401
        )
        response["WWW-Authenticate"] = 'Bearer realm="alinea"'
        return response

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": exc.message}, status=exc.status_code)

    def validation(request: HttpRequest, exc: Any) -> HttpResponse:
        problems = [_describe(error) for error in exc.errors]
        detail = "Invalid request: " + "; ".join(problems)
        return api.create_response(request, {"detail": detail, "errors": exc.errors}, status=422)

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        message = str(exc) if str(exc) else "Not found."
        return api.create_response(request, {"detail": message}, status=404)

    def forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
        message = str(exc) or "You are not allowed to do this."
        return api.create_response(request, {"detail": message}, status=403)

    def unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        detail = "Internal server error. The error was logged; please try again or report it."
        return api.create_response(request, {"detail": detail}, status=500)

    api.add_exception_handler(AuthenticationError, authentication)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(ValidationError, validation)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(Exception, unexpected)


def _describe(error: dict[str, Any]) -> str:
    """``query parameter 'today': Input should be a valid date …`` from one pydantic error."""
    location = [str(part) for part in error.get("loc", ())]
    where, field = (location[0], ".".join(location[1:])) if location else ("", "")
    kind = {"query": "query parameter", "path": "path parameter", "body": "body field"}.get(
        where, where or "field"
    )
    message = str(error.get("msg", "invalid value"))
    return f"{kind} {field!r}: {message}" if field else f"{kind}: {message}"
