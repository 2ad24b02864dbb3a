"""Definitions as plain JSON-ready data, and a readable diff between two versions.

The definitions app stores each version as the document :func:`definition_to_dict` writes and
turns it back into a spec with :func:`definition_from_dict` (which validates it through the
specs). :func:`definition_diff` says, line by line, what changed between two versions: the
evidence both team leads read before they sign.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from alinea.analytics.scoring.spec import (
    Definition,
    EngagementCriterion,
    EngagementPoints,
    FitCriterion,
    FitPoints,
    PointsModel,
)


def definition_to_dict(definition: Definition) -> dict[str, Any]:
    """The definition as nested dicts and lists (tuples become lists)."""
    document: dict[str, Any] = asdict(definition)
    return _listed(document)


def _listed(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _listed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_listed(v) for v in value]
    return value


def _fit(data: dict[str, Any]) -> FitCriterion:
    return FitCriterion(
        attribute=data["attribute"],
        any_of=tuple(data.get("any_of", ())),
        at_least=data.get("at_least"),
        at_most=data.get("at_most"),
    )


def _engagement(data: dict[str, Any]) -> EngagementCriterion:
    return EngagementCriterion(
        source=data["source"],
        at_least=int(data["at_least"]),
        window_days=float(data["window_days"]),
        types=tuple(data.get("types", ())),
    )


def _points(data: dict[str, Any] | None) -> PointsModel | None:
    if data is None:
        return None
    fit = tuple(
        FitPoints(_fit(r["criterion"]), float(r["points"]), r.get("label", ""))
        for r in data.get("fit", ())
    )
    engagement = tuple(
        EngagementPoints(**{**r, "types": tuple(r.get("types", ()))})
        for r in data.get("engagement", ())
    )
    return PointsModel(fit, engagement, floor=data.get("floor"), cap=data.get("cap"))


def definition_from_dict(data: dict[str, Any]) -> Definition:
    """The spec a stored document describes; invalid documents raise ``ValueError``/``KeyError``.

    >>> doc = {"stage": "mql", "version": "v2",
    ...        "fit": [{"attribute": "country", "any_of": ["ES"]}]}
    >>> definition_from_dict(doc).criterion_names
    ('country in ES',)
    """
    return Definition(
        stage=data["stage"],
        version=data["version"],
        fit=tuple(_fit(c) for c in data.get("fit", ())),
        engagement=tuple(_engagement(c) for c in data.get("engagement", ())),
        points=_points(data.get("points")),
        threshold=data.get("threshold"),
    )


def _rules(definition: Definition) -> dict[str, str]:
    """Each criterion and points rule under a stable key, with what it says."""
    lines = {f"criterion: {name}": "required" for name in definition.criterion_names}
    model = definition.points
    if model is not None:
        for rule in model.fit:
            lines[f"fit points: {rule.criterion.describe()}"] = f"{rule.points:+g}"
        for e in model.engagement:
            decay = f", half-life {e.half_life_days:g} d" if e.half_life_days else ""
            window = f", last {e.window_days:g} d" if e.window_days else ""
            cap = f", cap {e.cap:g}" if e.cap else ""
            lines[f"engagement points: {e.name}"] = f"{e.points:+g} per event{decay}{window}{cap}"
        lines["score floor"] = "none" if model.floor is None else f"{model.floor:g}"
        lines["score cap"] = "none" if model.cap is None else f"{model.cap:g}"
        lines["threshold"] = f"score ≥ {definition.threshold:g}"
    return lines


def definition_diff(old: Definition, new: Definition) -> list[str]:
    """What changed from ``old`` to ``new``, one line per change: ``+ added``, ``- removed``,
    ``~ key: before → after``, in the order of the new version (removals last).

    >>> a = definition_from_dict({"stage": "mql", "version": "v1",
    ...     "fit": [{"attribute": "country", "any_of": ["ES"]}]})
    >>> b = definition_from_dict({"stage": "mql", "version": "v2",
    ...     "fit": [{"attribute": "country", "any_of": ["ES", "PT"]}]})
    >>> definition_diff(a, b)
    ['+ criterion: country in ES, PT', '- criterion: country in ES']
    """
    before, after = _rules(old), _rules(new)
    lines = []
    for key, value in after.items():
        if key not in before:
            lines.append(f"+ {key}" + ("" if value == "required" else f" = {value}"))
        elif before[key] != value:
            lines.append(f"~ {key}: {before[key]} → {value}")
    lines += [
        f"- {key}" + ("" if value == "required" else f" = {value}")
        for key, value in before.items()
        if key not in after
    ]
    return lines
