"""The meetings pages: the list (plan a review, start a session) and one review with its agenda,
frozen numbers and decisions. Thin: forms, permissions, rendering. Sessions: ``session_views``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alinea.apps.accounts.models import User
from alinea.apps.reviews import services
from alinea.apps.reviews.forms import DecisionForm, ReviewForm, SessionForm
from alinea.apps.reviews.labels import snapshot_context
from alinea.apps.reviews.meetings import decision_record, may_run_meetings
from alinea.apps.reviews.models import Review, ReviewStatus
from alinea.apps.reviews.selectors import (
    get_review_for,
    participants_by_team,
    review_list,
    review_numbers,
    session_list,
)
from alinea.web.warehouse import get_warehouse


def user_of(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, problems in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, exc.messages)


def run_or_report(
    request: HttpRequest, done: str, service: Callable[..., Any], **kwargs: Any
) -> bool:
    """Run a service; a refusal or an invalid request becomes an error message."""
    try:
        service(**kwargs)
    except PermissionDenied:
        messages.error(request, _("Only marketing and sales members may do this."))
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, done)
        return True
    return False


def meetings_page(request: HttpRequest) -> HttpResponse:
    """Reviews and sessions; the forms to plan a review and to start a session."""
    actor, now = user_of(request), timezone.now()
    kind = request.POST.get("kind")
    review_form = ReviewForm(request.POST if kind == "review" else None, prefix="review")
    session_form = SessionForm(request.POST if kind == "session" else None, prefix="session")
    form = review_form if kind == "review" else session_form
    if request.method == "POST" and form.is_valid():
        try:
            if form is review_form:
                made: Any = services.review_create(actor=actor, now=now, **form.cleaned_data)
                messages.success(request, _("Review planned."))
                return redirect("reviews:review", review_id=made.pk)
            made = services.session_create(actor=actor, now=now, **form.cleaned_data)
            return redirect("reviews:session", session_id=made.pk)
        except PermissionDenied:
            form.add_error(None, _("Only marketing and sales members may do this."))
        except ValidationError as exc:
            form_errors(form, exc)
    context = {
        "reviews": review_list(),
        "sessions": session_list(),
        "review_form": review_form,
        "session_form": session_form,
        "can_run": may_run_meetings(actor),
    }
    return render(request, "reviews/index.html", context)


def _review(request: HttpRequest, review_id: int) -> Review:
    try:
        return get_review_for(user_of(request), review_id)
    except Review.DoesNotExist:
        raise Http404(_("No such review.")) from None


def review_page(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    now, can_run = timezone.now(), may_run_meetings(user_of(request))
    numbers = review_numbers(get_warehouse(), review, now=now)
    context = {
        "review": review,
        "agenda": snapshot_context(numbers),
        "closing": snapshot_context(review.closing_snapshot) if review.closing_snapshot else None,
        "live": review.status == ReviewStatus.PLANNED,
        "attendees": participants_by_team(list(review.participants.all())),
        "decision_form": DecisionForm(),
        "can_run": can_run,
        "can_decide": can_run and review.status == ReviewStatus.OPEN,
        "decide_url": reverse("reviews:review_act", args=[review.pk, "decision"]),
    }
    return render(request, "reviews/review.html", context)


@require_POST
def review_act(request: HttpRequest, review_id: int, what: str) -> HttpResponse:
    """Open or close the review, or record a decision."""
    review, actor, now = _review(request, review_id), user_of(request), timezone.now()
    if what in ("open", "close"):
        service = services.review_open if what == "open" else services.review_close
        done = _("Review opened: the agenda's numbers are frozen.") if what == "open" else None
        run_or_report(
            request, done or _("Review closed."), service,
            actor=actor, con=get_warehouse(), review=review, now=now,
        )  # fmt: skip
    elif what == "decision":
        form = DecisionForm(request.POST)
        if form.is_valid():
            run_or_report(
                request, _("Decision recorded."), decision_record,
                actor=actor, review=review, text=form.cleaned_data["text"], now=now,
            )  # fmt: skip
    else:
        raise Http404
    return redirect("reviews:review", review_id=review.pk)
