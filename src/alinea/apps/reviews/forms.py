"""Forms of the meeting pages: start a session, plan a review, answer the five questions, decide."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from alinea.apps.accounts.models import User
from alinea.apps.goals.models import AskTeam, Goal, ResourceKind
from alinea.apps.reviews.meetings import MEETING_TEAMS
from alinea.apps.reviews.services import Answers


def _team_members() -> QuerySet[User]:
    members = User.objects.filter(is_active=True, memberships__team__slug__in=MEETING_TEAMS)
    return members.distinct().order_by("username")


class _UserChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class _MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    participants = _UserChoice(
        label=_("Participants (both teams)"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["participants"].queryset = _team_members()  # type: ignore[attr-defined]


class SessionForm(_MeetingForm):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput({"type": "date"}))
    budget_minutes = forms.IntegerField(
        label=_("Time budget (minutes)"),
        min_value=2,
        initial=60,
        help_text=_("Split equally: half for marketing, half for sales."),
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Goals on the agenda"),
        queryset=Goal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = Goal.objects.order_by("period_start", "id")  # type: ignore[attr-defined]


class ReviewForm(_MeetingForm):
    scheduled_for = forms.DateField(label=_("Date"), widget=forms.DateInput({"type": "date"}))


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


class AnswersForm(forms.Form):
    """The five questions for one goal; every line of a list box is one item."""

    title = forms.CharField(label=_("What do we want?"), max_length=200, required=False)
    why = forms.CharField(label=_("Why does it matter?"), widget=forms.Textarea, required=False)
    initiatives = forms.CharField(
        label=_("Initiatives (one per line)"), widget=forms.Textarea, required=False
    )
    obstacles = forms.CharField(
        label=_("Obstacles (one per line)"), widget=forms.Textarea, required=False
    )
    resource_kind = forms.ChoiceField(
        label=_("Kind of resource"), choices=ResourceKind.choices, initial=ResourceKind.DATA
    )
    resources = forms.CharField(
        label=_("Resources needed (one per line)"), widget=forms.Textarea, required=False
    )
    asked_team = forms.ChoiceField(label=_("Asked team"), choices=AskTeam.choices)
    asks = forms.CharField(
        label=_("Asks of the other team (one per line)"), widget=forms.Textarea, required=False
    )

    def answers(self) -> Answers:
        data = self.cleaned_data
        return Answers(
            title=data["title"] or None,
            why=data["why"] or None,
            initiatives=_lines(data["initiatives"]),
            obstacles=_lines(data["obstacles"]),
            resource_kind=data["resource_kind"],
            resources=_lines(data["resources"]),
            asked_team=data["asked_team"],
            asks=_lines(data["asks"]),
        )


def answers_form_for(goal: Goal, prefix: str) -> AnswersForm:
    """An empty form for ``goal``: what and why filled in, the other team asked by default."""
    other = "sales" if goal.owner == "marketing" else "marketing"
    initial = {"title": goal.title, "why": goal.why, "asked_team": other}
    return AnswersForm(prefix=prefix, initial=initial)


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))


class TimerForm(forms.Form):
    team = forms.ChoiceField(choices=[(t, t) for t in MEETING_TEAMS], required=False)
