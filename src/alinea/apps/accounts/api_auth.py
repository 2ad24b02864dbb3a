"""How the REST API knows who is calling: an API token, or the browser's login session."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth

from alinea.apps.accounts.models import User
from alinea.apps.accounts.services import api_token_authenticate

MISSING_CREDENTIALS = (
    "Authentication required: send an API token as 'Authorization: Bearer <token>' "
    "(create one on the API tokens page) or log in."
)


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer alinea_…``: a token that is unknown or revoked is refused (401)."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = api_token_authenticate(secret=token.strip())
        if user is None:
            raise AuthenticationError(message="Invalid or revoked API token.")
        return user


class LoginSessionAuth(SessionAuth):
    """A browser that is logged in to alinea (unsafe methods need the CSRF token)."""


API_AUTH = [ApiTokenAuth(), LoginSessionAuth()]


def api_user(request: HttpRequest) -> User:
    """The user an API request acts as (token or login session); 401 without one."""
    auth = getattr(request, "auth", None)
    user = auth if isinstance(auth, User) else request.user
    if not isinstance(user, User):
        raise HttpError(401, "Authentication required.")
    return user
