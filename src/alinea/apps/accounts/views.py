from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from alinea.apps.accounts.forms import ApiTokenCreateForm
from alinea.apps.accounts.models import ApiToken, User
from alinea.apps.accounts.selectors import api_tokens_of, get_api_token_for
from alinea.apps.accounts.services import api_token_create, api_token_revoke


def _signed_in(request: HttpRequest) -> User:
    """The user of a page request (``LoginRequiredMiddleware`` already sent others to log in)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


@never_cache
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The signed-in user's tokens; creating one shows its secret once, on this response only."""
    user = _signed_in(request)
    form = ApiTokenCreateForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        new_secret = api_token_create(actor=user, user=user, name=form.cleaned_data["name"])
        form = ApiTokenCreateForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": api_tokens_of(user), "new_secret": new_secret},
    )


@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    user = _signed_in(request)
    try:
        token = get_api_token_for(user, token_id)
    except ApiToken.DoesNotExist:
        raise Http404(_("No such API token.")) from None
    api_token_revoke(actor=user, token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")
