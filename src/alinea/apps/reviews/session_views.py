"""The goal-setting session page (meeting mode): a timer per team, the five questions for each goal
on the agenda, decisions, and the minutes. Thin: forms, permissions, rendering."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alinea.apps.reviews import services
from alinea.apps.reviews.forms import AnswersForm, DecisionForm, TimerForm, answers_form_for
from alinea.apps.reviews.labels import TEAM_LABELS
from alinea.apps.reviews.meetings import MEETING_TEAMS, decision_record, may_run_meetings
from alinea.apps.reviews.models import GoalSession, Question, SessionStatus
from alinea.apps.reviews.selectors import (
    agenda_goals,
    get_session_for,
    participants_by_team,
    session_minutes,
    time_used,
)
from alinea.apps.reviews.views import run_or_report, user_of
from alinea.web.warehouse import get_warehouse


def _session(request: HttpRequest, session_id: int) -> GoalSession:
    try:
        return get_session_for(user_of(request), session_id)
    except GoalSession.DoesNotExist:
        raise Http404(_("No such session.")) from None


def _timers(session: GoalSession) -> list[dict[str, object]]:
    used = time_used(session, timezone.now())
    return [
        {
            "team": team,
            "label": TEAM_LABELS[team],
            "used": round(used[team], 1),
            "budget": session.seconds_per_team,
            "running": session.running_team == team,
        }
        for team in MEETING_TEAMS
    ]


def session_page(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    is_open = session.status == SessionStatus.OPEN
    can_run = is_open and may_run_meetings(user_of(request))
    context = {
        "session": session,
        "is_open": is_open,
        "timers": _timers(session),
        "questions": Question.choices,
        "forms": [(g, answers_form_for(g, f"goal-{g.pk}")) for g in agenda_goals(session)],
        "minutes": session_minutes(session),
        "attendees": participants_by_team(list(session.participants.all())),
        "decision_form": DecisionForm(),
        "can_run": can_run,
        "can_decide": can_run,
        "decide_url": reverse("reviews:session_act", args=[session.pk, "decision"]),
    }
    return render(request, "reviews/session.html", context)


@require_POST
def session_answers(request: HttpRequest, session_id: int, goal_id: int) -> HttpResponse:
    """Write the answers to the five questions for one goal."""
    session = _session(request, session_id)
    goal = next((g for g in agenda_goals(session) if g.pk == goal_id), None)
    if goal is None:
        raise Http404(_("This goal is not on the session's agenda."))
    form = AnswersForm(request.POST, prefix=f"goal-{goal_id}")
    if not form.is_valid():
        messages.error(
            request, "; ".join(str(e) for errors in form.errors.values() for e in errors)
        )
    else:
        run_or_report(
            request, _("Answers written into the goal “%(goal)s”.") % {"goal": goal.title},
            services.session_answers_record, actor=user_of(request), con=get_warehouse(),
            session=session, goal=goal, answers=form.answers(), now=timezone.now(),
        )  # fmt: skip
    return redirect(f"{session_url(session)}#goal-{goal_id}")


def session_url(session: GoalSession) -> str:
    return reverse("reviews:session", kwargs={"session_id": session.pk})


@require_POST
def session_act(request: HttpRequest, session_id: int, what: str) -> HttpResponse:
    """Start or stop a team's timer, record a decision, or close the session."""
    session, actor, now = _session(request, session_id), user_of(request), timezone.now()
    if what == "timer":
        form = TimerForm(request.POST)
        team = form.cleaned_data["team"] if form.is_valid() else ""
        if team:
            run_or_report(
                request, _("%(team)s has the floor.") % {"team": TEAM_LABELS[team]},
                services.session_timer_start, actor=actor, session=session, team=team, now=now,
            )  # fmt: skip
        else:
            run_or_report(
                request, _("Timer stopped."), services.session_timer_stop,
                actor=actor, session=session, now=now,
            )  # fmt: skip
    elif what == "decision":
        decision = DecisionForm(request.POST)
        if decision.is_valid():
            run_or_report(
                request, _("Decision recorded."), decision_record,
                actor=actor, session=session, text=decision.cleaned_data["text"], now=now,
            )  # fmt: skip
    elif what == "close":
        run_or_report(
            request, _("Session closed: the minutes are final."), services.session_close,
            actor=actor, session=session, now=now,
        )  # fmt: skip
    else:
        raise Http404
    return redirect(session_url(session))
