"""The rule builder: a definition written in form fields, no code (a fixed number of rows per
kind of rule; empty rows are ignored)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alinea.analytics.scoring.document import definition_from_dict
from alinea.analytics.scoring.spec import ATTRIBUTES, EVENT_SOURCES
from alinea.apps.definitions.plain import ATTRIBUTE_WORDS

ATTRIBUTE_CHOICES = [("", "—"), *((a, ATTRIBUTE_WORDS.get(a, a)) for a in ATTRIBUTES)]
SOURCE_CHOICES = [("", "—"), *((s, s) for s in EVENT_SOURCES)]


def _number() -> forms.FloatField:
    return forms.FloatField(required=False)


#: kind → (number of rows, field name → field factory), in display order.
ROWS: dict[str, tuple[int, dict[str, Any]]] = {
    "fit": (
        4,
        {
            "attribute": lambda: forms.ChoiceField(choices=ATTRIBUTE_CHOICES, required=False),
            "values": lambda: forms.CharField(required=False),
            "at_least": _number,
            "at_most": _number,
        },
    ),
    "engagement": (
        3,
        {
            "source": lambda: forms.ChoiceField(choices=SOURCE_CHOICES, required=False),
            "types": lambda: forms.CharField(required=False),
            "at_least": lambda: forms.IntegerField(required=False, min_value=1),
            "window_days": _number,
        },
    ),
    "fit_points": (
        4,
        {
            "attribute": lambda: forms.ChoiceField(choices=ATTRIBUTE_CHOICES, required=False),
            "values": lambda: forms.CharField(required=False),
            "at_least": _number,
            "at_most": _number,
            "points": _number,
        },
    ),
    "engagement_points": (
        3,
        {
            "source": lambda: forms.ChoiceField(choices=SOURCE_CHOICES, required=False),
            "types": lambda: forms.CharField(required=False),
            "points": _number,
            "half_life_days": _number,
            "window_days": _number,
            "cap": _number,
        },
    ),
}


def _words(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _fit(row: dict[str, Any]) -> dict[str, Any]:
    if row["attribute"] == "company_size":
        return {"attribute": "company_size", "at_least": row["at_least"], "at_most": row["at_most"]}
    return {"attribute": row["attribute"], "any_of": _words(row["values"])}


class RuleBuilderForm(forms.Form):
    """Criteria, points rules and threshold of one draft."""

    threshold = forms.FloatField(label=_("Score threshold"), required=False)
    floor = forms.FloatField(label=_("Score floor"), required=False)
    cap = forms.FloatField(label=_("Score cap"), required=False)
    note = forms.CharField(label=_("What changed and why"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, (count, fields) in ROWS.items():
            for i in range(count):
                for name, factory in fields.items():
                    self.fields[f"{kind}_{i}_{name}"] = factory()
        self.document: dict[str, Any] = {}

    @property
    def rows(self) -> dict[str, list[list[forms.BoundField]]]:
        """Kind of rule → its rows of bound fields, for the template."""
        return {
            kind: [[self[f"{kind}_{i}_{name}"] for name in fields] for i in range(count)]
            for kind, (count, fields) in ROWS.items()
        }

    def _filled(self, kind: str, key: str) -> list[dict[str, Any]]:
        count, fields = ROWS[kind]
        rows = [{n: self.cleaned_data.get(f"{kind}_{i}_{n}") for n in fields} for i in range(count)]
        return [row for row in rows if row[key]]

    def _points(self) -> dict[str, Any] | None:
        fit = [
            {"criterion": _fit(r), "points": r["points"] or 0.0}
            for r in self._filled("fit_points", "attribute")
        ]
        engagement = [
            {
                "source": r["source"],
                "points": r["points"] or 0.0,
                "types": _words(r["types"]),
                "half_life_days": r["half_life_days"],
                "window_days": r["window_days"],
                "cap": r["cap"],
            }
            for r in self._filled("engagement_points", "source")
        ]
        if not (fit or engagement):
            return None
        data = self.cleaned_data
        return {"fit": fit, "engagement": engagement, "floor": data["floor"], "cap": data["cap"]}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        document = {
            "stage": "x",
            "version": "draft",
            "fit": [_fit(r) for r in self._filled("fit", "attribute")],
            "engagement": [
                {
                    "source": r["source"],
                    "at_least": r["at_least"] or 1,
                    "window_days": r["window_days"],
                    "types": _words(r["types"]),
                }
                for r in self._filled("engagement", "source")
            ],
            "points": self._points(),
            "threshold": data.get("threshold"),
        }
        try:
            definition_from_dict(document)
        except (ValueError, KeyError, TypeError) as exc:
            raise forms.ValidationError(str(exc)) from None
        self.document = document
        return data


def initial_from_document(document: dict[str, Any], note: str = "") -> dict[str, Any]:
    """The builder's initial values for a stored document."""
    initial: dict[str, Any] = {"threshold": document.get("threshold"), "note": note}
    for i, c in enumerate(document.get("fit", [])):
        initial.update(_fit_initial(f"fit_{i}", c))
    for i, c in enumerate(document.get("engagement", [])):
        for name in ("source", "at_least", "window_days"):
            initial[f"engagement_{i}_{name}"] = c.get(name)
        initial[f"engagement_{i}_types"] = ", ".join(c.get("types", []))
    points = document.get("points") or {}
    initial.update(floor=points.get("floor"), cap=points.get("cap"))
    for i, r in enumerate(points.get("fit", [])):
        initial.update(_fit_initial(f"fit_points_{i}", r["criterion"]))
        initial[f"fit_points_{i}_points"] = r["points"]
    for i, r in enumerate(points.get("engagement", [])):
        for name in ("source", "points", "half_life_days", "window_days", "cap"):
            initial[f"engagement_points_{i}_{name}"] = r.get(name)
        initial[f"engagement_points_{i}_types"] = ", ".join(r.get("types", []))
    return initial


def _fit_initial(prefix: str, criterion: dict[str, Any]) -> dict[str, Any]:
    return {
        f"{prefix}_attribute": criterion["attribute"],
        f"{prefix}_values": ", ".join(criterion.get("any_of", [])),
        f"{prefix}_at_least": criterion.get("at_least"),
        f"{prefix}_at_most": criterion.get("at_most"),
    }


def builder_capacity_exceeded(document: dict[str, Any]) -> bool:
    """Whether a document has more rules of some kind than the builder has rows."""
    points = document.get("points") or {}
    counts = {
        "fit": len(document.get("fit", [])),
        "engagement": len(document.get("engagement", [])),
        "fit_points": len(points.get("fit", [])),
        "engagement_points": len(points.get("engagement", [])),
    }
    return any(counts[kind] > ROWS[kind][0] for kind in ROWS)
