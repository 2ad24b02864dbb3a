"""Forms of the SLA pages: the inbox actions and a draft version's numbers."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alinea.apps.sla.inbox import CONTACT_TYPES, OUTCOMES
from alinea.apps.sla.labels import CONTACT_LABELS, OUTCOME_LABELS
from alinea.apps.sla.models import SlaPolicy


class DispositionForm(forms.Form):
    """One decision: ``outcome`` and ``reason``, or both in ``reason_choice`` as
    ``"<outcome>|<reason>"`` (the inbox's single reject-or-recycle menu)."""

    lead_id = forms.CharField(max_length=64, widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=[(o, OUTCOME_LABELS[o]) for o in OUTCOMES], required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    reason_choice = forms.CharField(max_length=220, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        choice = str(data.get("reason_choice") or "")
        if choice:
            outcome, _sep, reason = choice.partition("|")
            data["outcome"], data["reason"] = outcome, reason
        if data.get("outcome") not in OUTCOMES:
            self.add_error("outcome", _("Choose a decision."))
        elif data["outcome"] != "accepted" and not data.get("reason"):
            self.add_error("reason", _("Choose a reason to reject or recycle an MQL."))
        return data


class AttemptForm(forms.Form):
    lead_id = forms.CharField(max_length=64, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Contact"), choices=[(k, CONTACT_LABELS[k]) for k in CONTACT_TYPES]
    )
    outcome = forms.CharField(label=_("Outcome"), max_length=64, required=False)


class PolicyNumbersForm(forms.ModelForm):
    """The numbers of a draft: both sides' commitments (targets, reasons and calendars are
    changed through the API)."""

    class Meta:
        model = SlaPolicy
        fields = [
            "quality_floor",
            "first_response_hours",
            "attempts",
            "attempts_within_days",
            "disposition_within_days",
            "clock_starts",
            "at_risk_share",
            "unworked_after_days",
            "note",
        ]
