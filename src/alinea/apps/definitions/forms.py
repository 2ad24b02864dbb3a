"""The rule builder: a definition written in form fields, no code.

Each kind of rule is a table of rows named ``<kind>_<i>_<field>``. The number of rows is not
fixed: a bound form has as many as the submitted data names (row numbers may have gaps), an
unbound one as many as the document has rules plus one empty row. Empty rows and rows ticked
``remove`` are ignored. The page adds rows with a plain submit button (``add=<kind>``) or, with
JavaScript, by copying the last row in the browser.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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


#: kind → (rows an empty form shows, field name → field factory), in display order.
ROWS: dict[str, tuple[int, dict[str, Any]]] = {
    "fit": (
        1,
        {
            "attribute": lambda: forms.ChoiceField(choices=ATTRIBUTE_CHOICES, required=False),
            "values": lambda: forms.CharField(required=False),
            "at_least": _number,
            "at_most": _number,
        },
    ),
    "engagement": (
        1,
        {
            "source": lambda: forms.ChoiceField(choices=SOURCE_CHOICES, required=False),
            "types": lambda: forms.CharField(required=False),
            "at_least": lambda: forms.IntegerField(required=False, min_value=1),
            "window_days": _number,
        },
    ),
    "fit_points": (
        1,
        {
            "attribute": lambda: forms.ChoiceField(choices=ATTRIBUTE_CHOICES, required=False),
            "values": lambda: forms.CharField(required=False),
            "at_least": _number,
            "at_most": _number,
            "points": _number,
        },
    ),
    "engagement_points": (
        1,
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


#: Most rows of one kind a form accepts (a bound form naming row 10,000 is not a reason to build
#: ten thousand fields).
MAX_ROWS = 50
_ROW_NAME = re.compile(r"^(?P<kind>fit_points|engagement_points|fit|engagement)_(?P<i>\d+)_")


def submitted_rows(data: Mapping[str, Any]) -> dict[str, list[int]]:
    """Kind of rule → the row numbers named in submitted data, in order."""
    found: dict[str, set[int]] = {kind: set() for kind in ROWS}
    for key in data:
        match = _ROW_NAME.match(key)
        if match and int(match["i"]) < MAX_ROWS:
            found[match["kind"]].add(int(match["i"]))
    return {kind: sorted(numbers) for kind, numbers in found.items()}


def document_rows(document: dict[str, Any]) -> dict[str, list[int]]:
    """Kind of rule → row numbers for a stored document: one per rule, plus an empty one."""
    points = document.get("points") or {}
    counts = {
        "fit": len(document.get("fit", [])),
        "engagement": len(document.get("engagement", [])),
        "fit_points": len(points.get("fit", [])),
        "engagement_points": len(points.get("engagement", [])),
    }
    return {kind: list(range(max(counts[kind] + 1, ROWS[kind][0]))) for kind in ROWS}


def with_added_row(rows: dict[str, list[int]], kind: str) -> dict[str, list[int]]:
    """``rows`` with one more (empty) row of ``kind`` at the end, unless it is full."""
    if kind not in rows or len(rows[kind]) >= MAX_ROWS:
        return rows
    numbers = rows[kind]
    return {**rows, kind: [*numbers, (numbers[-1] + 1) if numbers else 0]}


class RuleBuilderForm(forms.Form):
    """Criteria, points rules and threshold of one draft."""

    threshold = forms.FloatField(label=_("Score threshold"), required=False)
    floor = forms.FloatField(label=_("Score floor"), required=False)
    cap = forms.FloatField(label=_("Score cap"), required=False)
    note = forms.CharField(label=_("What changed and why"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, rows: dict[str, list[int]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if rows is None:
            rows = submitted_rows(self.data) if self.is_bound else {}
        self.row_numbers = {kind: rows.get(kind) or list(range(ROWS[kind][0])) for kind in ROWS}
        for kind, (_count, fields) in ROWS.items():
            for i in self.row_numbers[kind]:
                for name, factory in fields.items():
                    self.fields[f"{kind}_{i}_{name}"] = factory()
                self.fields[f"{kind}_{i}_remove"] = forms.BooleanField(
                    required=False, label=_("Remove")
                )
        self.document: dict[str, Any] = {}

    @property
    def rows(self) -> dict[str, list[list[forms.BoundField]]]:
        """Kind of rule → its rows of bound fields (the ``remove`` box last), for the template."""
        return {
            kind: [
                [self[f"{kind}_{i}_{name}"] for name in [*fields, "remove"]]
                for i in self.row_numbers[kind]
            ]
            for kind, (_count, fields) in ROWS.items()
        }

    def _filled(self, kind: str, key: str) -> list[dict[str, Any]]:
        _count, fields = ROWS[kind]
        rows = []
        for i in self.row_numbers[kind]:
            if self.cleaned_data.get(f"{kind}_{i}_remove"):
                continue
            rows.append({n: self.cleaned_data.get(f"{kind}_{i}_{n}") for n in fields})
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
