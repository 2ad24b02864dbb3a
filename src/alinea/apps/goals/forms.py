"""Forms of the goal pages: set a goal, add an initiative, record a check-in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alinea.analytics.metrics import METRICS
from alinea.apps.goals.models import Owner, TargetKind


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
    target_kind = forms.ChoiceField(label=_("Target kind"), choices=TargetKind.choices)
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


class CheckInForm(forms.Form):
    confidence = forms.IntegerField(label=_("Confidence (0–10)"), min_value=0, max_value=10)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea, required=False)
