from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from alinea.apps.accounts.selectors import memberships_of
from alinea.web.sections import SECTIONS


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu (with the current section marked) and the signed-in user's teams."""
    match = request.resolver_match
    current = match.view_name if match else ""
    namespace = match.namespace if match else ""
    groups: dict[str, list[dict[str, Any]]] = {}
    for section in SECTIONS:
        own_namespace = section.url_name.split(":")[0]
        active = current == section.url_name or (section.built and namespace == own_namespace)
        groups.setdefault(str(section.group), []).append(
            {"section": section, "url": reverse(section.url_name), "active": active}
        )
    user = getattr(request, "user", None)
    teams = memberships_of(user) if user is not None and user.is_authenticated else []
    return {"nav_groups": list(groups.items()), "my_memberships": teams}
