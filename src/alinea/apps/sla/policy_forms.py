"""The forms of a draft's terms on the agreement page: the numbers (``PolicyNumbersForm``) and one
formset each for delivery targets, agreed reasons and business calendars.

Each calendar row is checked the way the analytics core will read it (IANA time zone, opening
hours per weekday as ``HH:MM-HH:MM`` intervals, holidays of a country/subdivision the ``holidays``
package knows), so a mistake shows next to its field instead of failing later. A formset absent
from the POST keeps the draft's current rows (a client may change the numbers alone).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from alinea.analytics.sla import calendar as core_calendar
from alinea.apps.sla.models import CalendarScope, Every, Outcome
from alinea.apps.sla.terms import CalendarTerms, ReasonTerms, TargetTerms

WEEKDAYS = core_calendar.WEEKDAYS
DAY_LABELS = {
    "monday": _("Monday"),
    "tuesday": _("Tuesday"),
    "wednesday": _("Wednesday"),
    "thursday": _("Thursday"),
    "friday": _("Friday"),
    "saturday": _("Saturday"),
    "sunday": _("Sunday"),
}


# The selects start empty ("—"), so the blank row left for adding one submits nothing and is
# skipped; a filled row must choose.


class TargetForm(forms.Form):
    mqls = forms.IntegerField(label=_("MQLs"), min_value=1)
    every = forms.ChoiceField(label=_("every"), choices=[("", "—"), *Every.choices])
    segment = forms.CharField(label=_("segment"), max_length=64, required=False)
    region = forms.CharField(label=_("region"), max_length=64, required=False)


class ReasonForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=[("", "—"), *Outcome.choices])
    code = forms.CharField(label=_("code"), max_length=100)
    label = forms.CharField(label=_("label"), max_length=200, required=False)


def _hours_field(day: str) -> forms.CharField:
    return forms.CharField(label=DAY_LABELS[day], max_length=200, required=False)


class CalendarForm(forms.Form):
    scope = forms.ChoiceField(label=_("applies to"), choices=[("", "—"), *CalendarScope.choices])
    key = forms.CharField(label=_("team manager id or region"), max_length=64, required=False)
    timezone = forms.CharField(label=_("time zone"), max_length=64)
    country = forms.CharField(label=_("holidays of country"), max_length=8, required=False)
    subdivision = forms.CharField(label=_("holidays of subdivision"), max_length=16, required=False)
    monday = _hours_field("monday")
    tuesday = _hours_field("tuesday")
    wednesday = _hours_field("wednesday")
    thursday = _hours_field("thursday")
    friday = _hours_field("friday")
    saturday = _hours_field("saturday")
    sunday = _hours_field("sunday")

    def _hours(self, data: dict[str, Any]) -> dict[str, list[str]]:
        week: dict[str, list[str]] = {}
        for day in WEEKDAYS:
            intervals = [i.strip() for i in str(data.get(day) or "").split(",") if i.strip()]
            try:
                core_calendar.weekly_hours({day: intervals})
            except ValueError as exc:
                self.add_error(day, str(exc))
            if intervals:
                week[day] = intervals
        return week

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["country"] = str(data.get("country") or "").strip().upper()
        data["subdivision"] = str(data.get("subdivision") or "").strip().upper()
        data["hours"] = self._hours(data)
        if data.get("scope") == CalendarScope.DEFAULT and data.get("key"):
            self.add_error("key", _("The default calendar applies to everyone: leave this empty."))
        if data.get("scope") in (CalendarScope.TEAM, CalendarScope.REGION) and not data.get("key"):
            self.add_error("key", _("Name the team's manager id or the region."))
        if self.errors or "timezone" not in data:
            return data
        self._check_calendar(data)
        return data

    def _check_calendar(self, data: dict[str, Any]) -> None:
        try:
            core_calendar.BusinessCalendar(
                timezone=data["timezone"],
                week=core_calendar.weekly_hours(data["hours"]),
                country=data["country"] or None,
                subdivision=data["subdivision"] or None,
            )
        except ValueError as exc:
            text = str(exc)
            if "time zone" in text:
                field = "timezone"
            elif "holiday" in text:
                field = "subdivision" if data["subdivision"] else "country"
            else:
                field = None
            self.add_error(field, text)


class _RowsFormSet(BaseFormSet):
    """Rows left blank are ignored; rows marked for deletion are dropped."""

    def rows(self) -> list[dict[str, Any]]:
        return [
            f.cleaned_data
            for f in self.forms
            if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


class _UniqueRowsFormSet(_RowsFormSet):
    key_fields: tuple[str, ...] = ()
    duplicate_message: Any = ""

    def clean(self) -> None:
        if any(self.errors):
            return
        seen = set()
        for row in self.rows():
            key = tuple(row.get(name) for name in self.key_fields)
            if key in seen:
                shown = " / ".join(str(part) for part in key)
                raise forms.ValidationError(self.duplicate_message, params={"key": shown})
            seen.add(key)


class ReasonFormSet(_UniqueRowsFormSet):
    key_fields = ("outcome", "code")
    duplicate_message = _("The reason %(key)s is listed twice.")


class CalendarFormSet(_UniqueRowsFormSet):
    key_fields = ("scope", "key")
    duplicate_message = _("Two calendars apply to %(key)s.")

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        defaults = [row for row in self.rows() if row["scope"] == CalendarScope.DEFAULT]
        if len(defaults) != 1:
            raise forms.ValidationError(_("Keep exactly one default calendar."))


_options: dict[str, Any] = {"extra": 1, "can_delete": True}
TargetRows = formset_factory(TargetForm, formset=_RowsFormSet, **_options)
ReasonRows = formset_factory(ReasonForm, formset=ReasonFormSet, **_options)
CalendarRows = formset_factory(CalendarForm, formset=CalendarFormSet, **_options)
PREFIXES = {"targets": TargetRows, "reasons": ReasonRows, "calendars": CalendarRows}


def _calendar_initial(calendar: CalendarTerms) -> dict[str, str]:
    row = {k: getattr(calendar, k) for k in ("scope", "key", "timezone", "country", "subdivision")}
    return row | {day: ", ".join(calendar.hours.get(day, [])) for day in WEEKDAYS}


def term_formsets(
    targets: tuple[TargetTerms, ...],
    reasons: tuple[ReasonTerms, ...],
    calendars: tuple[CalendarTerms, ...],
    data: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The three formsets, filled with the draft's rows (and bound to ``data`` if given)."""
    initial = {
        "targets": [vars(t) for t in targets],
        "reasons": [vars(r) for r in reasons],
        "calendars": [_calendar_initial(c) for c in calendars],
    }
    if data is not None:  # posted rows stand on their own: a row counts when it is filled
        return {prefix: factory(data, prefix=prefix) for prefix, factory in PREFIXES.items()}
    return {
        prefix: factory(initial=initial[prefix], prefix=prefix)
        for prefix, factory in PREFIXES.items()
    }


def posted(data: Mapping[str, Any], prefix: str) -> bool:
    """Whether the POST carries the formset ``prefix`` at all."""
    return f"{prefix}-TOTAL_FORMS" in data


def rows_as_terms(prefix: str, rows: list[dict[str, Any]]) -> tuple[Any, ...]:
    """Cleaned rows of one formset as the terms dataclasses."""
    if prefix == "targets":
        return tuple(TargetTerms(r["mqls"], r["every"], r["segment"], r["region"]) for r in rows)
    if prefix == "reasons":
        return tuple(ReasonTerms(r["outcome"], r["code"], r["label"]) for r in rows)
    return tuple(
        CalendarTerms(
            r["timezone"], r["hours"], r["scope"], r["key"], r["country"], r["subdivision"]
        )
        for r in rows
    )
