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


class DocumentError(ValueError):
    """A stored document that does not describe a definition; the message names the field (as a
    path, ``points.engagement[0].cap``) and the value found there."""


def _object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DocumentError(f"{path} is an object of fields, got {value!r}")
    return value


def _where(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _text(data: dict[str, Any], key: str, path: str, *, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        what = "is missing" if key not in data else f"is text, got {value!r}"
        raise DocumentError(f"{_where(path, key)} {what}")
    return value


def _texts(data: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
    value = data.get(key) or []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise DocumentError(f"{_where(path, key)} is a list of text values, got {value!r}")
    return tuple(value)


def _number(data: dict[str, Any], key: str, path: str, *, required: bool = False) -> float | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        what = "is missing" if key not in data else f"is a number, got {value!r}"
        raise DocumentError(f"{_where(path, key)} {what}")
    return value


def _whole(data: dict[str, Any], key: str, path: str) -> int:
    value = _number(data, key, path, required=True)
    if value is None or value != int(value):
        raise DocumentError(f"{_where(path, key)} is a whole number, got {data[key]!r}")
    return int(value)


def _rows(data: dict[str, Any], key: str, path: str) -> list[tuple[str, dict[str, Any]]]:
    value = data.get(key) or []
    if not isinstance(value, list | tuple):
        raise DocumentError(f"{_where(path, key)} is a list, got {value!r}")
    where = _where(path, key)
    return [(f"{where}[{i}]", _object(row, f"{where}[{i}]")) for i, row in enumerate(value)]


_FIT = ("attribute", "any_of", "at_least", "at_most")
_ENGAGEMENT = ("source", "at_least", "window_days", "types")
_FIT_POINTS = ("criterion", "points", "label")
_ENGAGEMENT_POINTS = (
    "source", "points", "types", "half_life_days", "window_days", "cap", "label",
)  # fmt: skip
_POINTS = ("fit", "engagement", "floor", "cap")
_DEFINITION = ("stage", "version", "fit", "engagement", "points", "threshold")


def _checked(data: dict[str, Any], path: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise DocumentError(f"{path or 'the document'} has an unknown field {unknown[0]!r}")
    return data


def _fit(data: dict[str, Any], path: str) -> FitCriterion:
    data = _checked(data, path, _FIT)
    return FitCriterion(
        attribute=_text(data, "attribute", path),
        any_of=_texts(data, "any_of", path),
        at_least=_number(data, "at_least", path),
        at_most=_number(data, "at_most", path),
    )


def _engagement(data: dict[str, Any], path: str) -> EngagementCriterion:
    data = _checked(data, path, _ENGAGEMENT)
    return EngagementCriterion(
        source=_text(data, "source", path),  # type: ignore[arg-type]
        at_least=_whole(data, "at_least", path),
        window_days=float(_number(data, "window_days", path, required=True)),  # type: ignore[arg-type]
        types=_texts(data, "types", path),
    )


def _fit_points(data: dict[str, Any], path: str) -> FitPoints:
    data = _checked(data, path, _FIT_POINTS)
    criterion = _object(data.get("criterion"), f"{path}.criterion")
    return FitPoints(
        _fit(criterion, f"{path}.criterion"),
        float(_number(data, "points", path, required=True)),  # type: ignore[arg-type]
        _text(data, "label", path, default=""),
    )


def _engagement_points(data: dict[str, Any], path: str) -> EngagementPoints:
    data = _checked(data, path, _ENGAGEMENT_POINTS)
    return EngagementPoints(
        source=_text(data, "source", path),  # type: ignore[arg-type]
        points=_number(data, "points", path, required=True),  # type: ignore[arg-type]
        types=_texts(data, "types", path),
        half_life_days=_number(data, "half_life_days", path),
        window_days=_number(data, "window_days", path),
        cap=_number(data, "cap", path),
        label=_text(data, "label", path, default=""),
    )


def _points(data: Any) -> PointsModel | None:
    if data is None:
        return None
    data = _checked(_object(data, "points"), "points", _POINTS)
    return PointsModel(
        tuple(_fit_points(r, p) for p, r in _rows(data, "fit", "points")),
        tuple(_engagement_points(r, p) for p, r in _rows(data, "engagement", "points")),
        floor=_number(data, "floor", "points"),
        cap=_number(data, "cap", "points"),
    )


def definition_from_dict(data: dict[str, Any]) -> Definition:
    """The spec a stored document describes. A document that does not describe one raises
    :class:`DocumentError` (a ``ValueError``) naming the field and the value found, e.g.
    ``threshold is a number, got 'ten'``; a document whose values break a spec's rules raises
    the spec's ``ValueError``.

    >>> doc = {"stage": "mql", "version": "v2",
    ...        "fit": [{"attribute": "country", "any_of": ["ES"]}]}
    >>> definition_from_dict(doc).criterion_names
    ('country in ES',)
    >>> definition_from_dict({**doc, "points": {"fit": []}, "threshold": "ten"})
    Traceback (most recent call last):
    ...
    alinea.analytics.scoring.document.DocumentError: threshold is a number, got 'ten'
    """
    data = _checked(_object(data, "the document"), "", _DEFINITION)
    return Definition(
        stage=_text(data, "stage", ""),
        version=_text(data, "version", ""),
        fit=tuple(_fit(c, p) for p, c in _rows(data, "fit", "")),
        engagement=tuple(_engagement(c, p) for p, c in _rows(data, "engagement", "")),
        points=_points(data.get("points")),
        threshold=_number(data, "threshold", ""),
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
