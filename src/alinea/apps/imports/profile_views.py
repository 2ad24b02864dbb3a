"""The mappings page: the built-in profiles (read-only, copied to be changed) and the saved
mappings, each edited, renamed or deleted on its own page."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alinea.apps.imports import services
from alinea.apps.imports.forms import CopyMappingForm, EditMappingForm
from alinea.apps.imports.models import MappingProfile
from alinea.apps.imports.selectors import (
    MappingChoice,
    get_mapping_profile_for,
    mapping_choices,
    mapping_named,
)
from alinea.apps.imports.views import signed_in_user

_NOT_ALLOWED = gettext_lazy("Only members of a team may change mappings.")


def data_mappings(request: HttpRequest) -> HttpResponse:
    """Every mapping: built-in profiles with a copy form, saved mappings with their actions."""
    choices = mapping_choices()
    context = {
        "built_in": [c for c in choices if c.built_in],
        "saved": [c for c in choices if not c.built_in],
        "can_edit": services.can_import(signed_in_user(request)),
    }
    return render(request, "imports/mappings.html", context)


def _choice_or_404(request: HttpRequest, name: str) -> MappingChoice:
    found = next((c for c in mapping_choices() if c.name == name), None)
    if found is None or (found.profile and not _visible(request, found.profile)):
        raise Http404(_("No such mapping."))
    return found


def _visible(request: HttpRequest, profile: MappingProfile) -> bool:
    try:
        get_mapping_profile_for(request.user, profile.name)
    except MappingProfile.DoesNotExist:
        return False
    return True


def data_mapping(request: HttpRequest, name: str) -> HttpResponse:
    """One mapping: a saved one is edited and renamed here; a built-in one is shown and copied."""
    choice = _choice_or_404(request, name)
    definition = json.dumps(choice.mapping.to_dict(), ensure_ascii=False, indent=2)
    form = EditMappingForm(initial={"name": name, "definition": definition})
    if request.method == "POST" and choice.profile is not None:
        form = EditMappingForm(request.POST)
        if form.is_valid() and _change(request, choice.profile, form):
            messages.success(request, _("The mapping was saved."))
            return redirect("imports:mapping", name=form.cleaned_data["name"])
    context = {
        "choice": choice,
        "definition": definition,
        "form": form,
        "copy_form": CopyMappingForm(initial={"name": f"{name}-copy"}, prefix="copy"),
        "can_edit": services.can_import(signed_in_user(request)),
    }
    return render(request, "imports/mapping.html", context)


def _change(request: HttpRequest, profile: MappingProfile, form: EditMappingForm) -> bool:
    actor = signed_in_user(request)
    name, definition = form.cleaned_data["name"], form.cleaned_data["definition"]
    try:
        with transaction.atomic():
            services.mapping_profile_update(actor=actor, profile=profile, definition=definition)
            if name != profile.name:
                services.mapping_profile_rename(actor=actor, profile=profile, name=name)
    except PermissionDenied:
        form.add_error(None, _NOT_ALLOWED)
        return False
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error("name" if field == "name" else "definition", problems)
        return False
    return True


@require_POST
def data_mapping_copy(request: HttpRequest, name: str) -> HttpResponse:
    """Save an editable copy of a built-in profile or of a saved mapping."""
    _choice_or_404(request, name)
    form = CopyMappingForm(request.POST, prefix="copy")
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("name", [])))
        return redirect("imports:mapping", name=name)
    copy = form.cleaned_data["name"]
    try:
        services.mapping_profile_copy(
            actor=signed_in_user(request), source=mapping_named(name), name=copy
        )
    except PermissionDenied:
        messages.error(request, _NOT_ALLOWED)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Copied. You can now edit %(name)s.") % {"name": copy})
        return redirect("imports:mapping", name=copy)
    return redirect("imports:mapping", name=name)


@require_POST
def data_mapping_delete(request: HttpRequest, name: str) -> HttpResponse:
    choice = _choice_or_404(request, name)
    if choice.profile is None:
        messages.error(request, _("Built-in profiles cannot be deleted."))
        return redirect("imports:mapping", name=name)
    try:
        services.mapping_profile_delete(actor=signed_in_user(request), profile=choice.profile)
    except PermissionDenied:
        messages.error(request, _NOT_ALLOWED)
        return redirect("imports:mapping", name=name)
    messages.success(request, _("The mapping %(name)s was deleted.") % {"name": name})
    return redirect("imports:mappings")
