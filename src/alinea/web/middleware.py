"""Two rules that hold for every request: pages need a login, and the API always answers JSON."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import HttpRequest, HttpResponseBase, JsonResponse

#: Everything under this path is the REST API (see ``alinea.web.api``).
API_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Redirect anonymous visitors of any page to the login page.

    The API is exempt: it authenticates each request itself (API token or session) and answers
    401 in JSON rather than redirecting to an HTML login form.
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if is_api_request(request):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class ApiErrorsAsJsonMiddleware:
    """Turn any non-JSON error response under ``/api/`` into ``{"detail": "..."}``.

    The API's own exception handlers already answer JSON; this catches what happens outside them:
    an unknown route (404), a method the route does not allow (405), a failing middleware (500).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not is_api_request(request) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        replacement = JsonResponse(
            {"detail": _detail(request, response.status_code)}, status=response.status_code
        )
        if allow := response.get("Allow"):
            replacement["Allow"] = allow
        return replacement


def _detail(request: HttpRequest, status: int) -> str:
    if status == HTTPStatus.NOT_FOUND:
        return f"No API endpoint at {request.path}. The endpoints are listed at {API_PREFIX}docs."
    if status == HTTPStatus.METHOD_NOT_ALLOWED:
        return f"{request.method} is not allowed on {request.path}."
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return "Internal server error. The error was logged; please try again or report it."
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP error {status}"
