"""Forms of the goal pages: set a goal, and add to it (initiatives, obstacles, resource needs,
asks, links, check-ins), change an initiative's status, answer an ask."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alinea.analytics.metrics import METRICS
from alinea.apps.goals.models import (
    AskTeam,
    Goal,
    InitiativeStatus,
    Owner,
    ResourceKind,
    TargetKind,
)

TARGET_HELP = _(
    "Absolute value: the number to reach (a rate as a fraction, 0.25 for 25 %). "
    "Relative change: per cent of the baseline, +5 turns 20 % into 21 %. "
    "Percentage points: for rates only, +5 turns 20 % into 25 %."
)


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    why = forms.CharField(label=_("Why it matters"), widget=forms.Textarea, required=False)
    owner = forms.ChoiceField(label=_("Owner team"), choices=Owner.choices)
    metric = forms.ChoiceField(label=_("Metric"), choices=[(m, m) for m in METRICS])
    segment_dimension = forms.CharField(
        label=_("Segment: dimension"), max_length=64, required=False, help_text=_("e.g. channel")
    )
    segment_values = forms.CharField(
        label=_("Segment: values"),
        max_length=400,
        required=False,
        help_text=_("comma-separated, e.g. paid_search, organic_search"),
    )
    target_kind = forms.ChoiceField(
        label=_("Target kind"), choices=TargetKind.choices, help_text=TARGET_HELP
    )
    target_amount = forms.FloatField(
        label=_("Target"),
        help_text=_("+5 with a relative change is +5 %; with points, +5 pp; a rate as 0.25"),
    )
    period_start = forms.DateField(label=_("First day"), widget=forms.DateInput({"type": "date"}))
    period_last_day = forms.DateField(label=_("Last day"), widget=forms.DateInput({"type": "date"}))
    cadence_days = forms.IntegerField(label=_("Review every (days)"), min_value=1, required=False)
    window_days = forms.IntegerField(
        label=_("Conversion window (days)"), min_value=1, initial=90, required=False
    )

    def goal_fields(self) -> dict[str, Any]:
        """The cleaned data as ``goal_create`` keyword arguments."""
        data = dict(self.cleaned_data)
        dimension = data.pop("segment_dimension", "").strip()
        values = [v.strip() for v in data.pop("segment_values", "").split(",") if v.strip()]
        data["segment"] = {dimension: values} if dimension and values else {}
        data["window_days"] = data.get("window_days") or 90
        return data


class InitiativeForm(forms.Form):
    title = forms.CharField(label=_("Initiative"), max_length=200)
    owner = forms.CharField(label=_("Owner"), max_length=100, required=False)
    due = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput({"type": "date"}))


class InitiativeStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=InitiativeStatus.choices)


class ObstacleForm(forms.Form):
    description = forms.CharField(label=_("Obstacle"), widget=forms.Textarea({"rows": 2}))


class ResourceNeedForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of resource"), choices=ResourceKind.choices)
    description = forms.CharField(label=_("What is needed"), widget=forms.Textarea({"rows": 2}))


class AskForm(forms.Form):
    asked_team = forms.ChoiceField(label=_("Team asked"), choices=AskTeam.choices)
    request = forms.CharField(label=_("Request"), widget=forms.Textarea({"rows": 2}))


class AnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Accept")), ("no", _("Decline"))],
        coerce=lambda value: value == "yes",
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea({"rows": 2}))


class LinkForm(forms.Form):
    supports = forms.ModelChoiceField(label=_("This goal supports"), queryset=Goal.objects.none())

    def __init__(self, *args: Any, goal: Goal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["supports"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Goal.objects.exclude(pk=goal.pk).exclude(supported_by__goal=goal)


class CheckInForm(forms.Form):
    confidence = forms.IntegerField(label=_("Confidence (0–10)"), min_value=0, max_value=10)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea, required=False)


class PlanForm(forms.Form):
    """What the alignment plan is compared with; empty fields are measured or read from the SLA."""

    lookback_days = forms.IntegerField(
        label=_("Rates measured over (days)"), min_value=7, initial=182, required=False
    )
    sla_mqls_per_week = forms.FloatField(
        label=_("SLA commitment (MQLs a week)"), min_value=0, required=False
    )
    reps = forms.IntegerField(label=_("Sales reps"), min_value=1, required=False)
    mqls_per_rep_per_week = forms.FloatField(
        label=_("MQLs a rep can work a week"), min_value=0.1, required=False
    )


class GoalChangeForm(forms.Form):
    """New values for what a goal promises; both team leads sign them before they apply."""

    metric = GoalForm.base_fields["metric"]
    segment_dimension = GoalForm.base_fields["segment_dimension"]
    segment_values = GoalForm.base_fields["segment_values"]
    target_kind = GoalForm.base_fields["target_kind"]
    target_amount = GoalForm.base_fields["target_amount"]
    period_start = GoalForm.base_fields["period_start"]
    period_last_day = GoalForm.base_fields["period_last_day"]
    reason = forms.CharField(
        label=_("Why change it"), widget=forms.Textarea({"rows": 2}), required=False
    )

    @classmethod
    def for_goal(cls, goal: Goal, **kwargs: Any) -> GoalChangeForm:
        pairs: list[tuple[str, list[str]]] = [*goal.segment.items(), ("", [])]
        dimension, values = pairs[0]
        initial = {
            "metric": goal.metric,
            "segment_dimension": dimension,
            "segment_values": ", ".join(values),
            "target_kind": goal.target_kind,
            "target_amount": goal.target_amount,
            "period_start": goal.period_start,
            "period_last_day": goal.period_last_day,
        }
        return cls(initial=initial, prefix="change", **kwargs)

    def change_fields(self) -> dict[str, Any]:
        """The cleaned data as ``goal_change_propose`` keyword arguments."""
        data = dict(self.cleaned_data)
        dimension = data.pop("segment_dimension", "").strip()
        values = [v.strip() for v in data.pop("segment_values", "").split(",") if v.strip()]
        data["segment"] = {dimension: values} if dimension and values else {}
        return data


class SignForm(forms.Form):
    side = forms.ChoiceField(choices=AskTeam.choices)
