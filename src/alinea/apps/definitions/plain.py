"""A definition in plain, translated words for the version page."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alinea.analytics.scoring.spec import (
    Definition,
    EngagementCriterion,
    EngagementPoints,
    FitCriterion,
)


def _source(name: str) -> str:
    return {"touchpoints": _("touchpoints"), "activities": _("sales activities")}.get(name, name)


#: Lead attributes in words (``alinea.analytics.scoring.spec.ATTRIBUTES``).
ATTRIBUTE_WORDS = {
    "industry": gettext_lazy("industry"),
    "country": gettext_lazy("country"),
    "job_role": gettext_lazy("job role"),
    "segment": gettext_lazy("segment"),
    "region": gettext_lazy("region"),
    "channel": gettext_lazy("channel"),
    "source": gettext_lazy("source"),
    "campaign": gettext_lazy("campaign"),
    "company_size": gettext_lazy("company size"),
}


def _attribute(name: str) -> str:
    return str(ATTRIBUTE_WORDS.get(name, name.replace("_", " ")))


def fit_words(criterion: FitCriterion) -> str:
    if criterion.any_of:
        return _("%(attribute)s is one of: %(values)s") % {
            "attribute": _attribute(criterion.attribute),
            "values": ", ".join(criterion.any_of),
        }
    low, high = criterion.at_least, criterion.at_most
    values = {"attribute": _attribute(criterion.attribute), "low": low, "high": high}
    if low is not None and high is not None:
        return _("%(attribute)s between %(low)g and %(high)g") % values
    if low is not None:
        return _("%(attribute)s at least %(low)g") % values
    return _("%(attribute)s at most %(high)g") % values


def _types(types: tuple[str, ...]) -> str:
    return ", ".join(types) if types else _("any type")


def engagement_words(criterion: EngagementCriterion) -> str:
    return _("at least %(n)d %(source)s (%(types)s) in the last %(days)g days") % {
        "n": criterion.at_least,
        "source": _source(criterion.source),
        "types": _types(criterion.types),
        "days": criterion.window_days,
    }


def points_words(rule: EngagementPoints) -> str:
    text = _("%(points)+g points per %(source)s event (%(types)s)") % {
        "points": rule.points,
        "source": _source(rule.source),
        "types": _types(rule.types),
    }
    if rule.half_life_days:
        text += ", " + _("halving every %(days)g days") % {"days": rule.half_life_days}
    if rule.window_days:
        text += ", " + _("last %(days)g days only") % {"days": rule.window_days}
    if rule.cap:
        text += ", " + _("at most %(cap)g in total") % {"cap": rule.cap}
    return text


def plain_definition(spec: Definition) -> dict[str, list[str]]:
    """``criteria`` (every one must hold) and ``points`` (how the score is built)."""
    criteria = [fit_words(c) for c in spec.fit] + [engagement_words(c) for c in spec.engagement]
    points: list[str] = []
    if spec.points is not None and spec.threshold is not None:
        model = spec.points
        points += [
            _("%(points)+g points when %(rule)s")
            % {"points": r.points, "rule": fit_words(r.criterion)}
            for r in model.fit
        ]
        points += [points_words(r) for r in model.engagement]
        if model.floor is not None or model.cap is not None:
            points.append(
                _("score kept between %(floor)s and %(cap)s")
                % {
                    "floor": "—" if model.floor is None else f"{model.floor:g}",
                    "cap": "—" if model.cap is None else f"{model.cap:g}",
                }
            )
        criteria.append(_("score at least %(threshold)g") % {"threshold": spec.threshold})
    return {"criteria": criteria, "points": points}
