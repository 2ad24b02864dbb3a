"""The goal page's words in the user's language: SMART/FAST reasons and the target statement.

The analytics core gives each reason as a message id with parameters (``checks.MESSAGES``); here
every id has its translatable text with the same ``{param}`` placeholders.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alinea.analytics.goals import LetterCheck
from alinea.analytics.goals.target import format_value
from alinea.analytics.planning import Gap
from alinea.apps.goals.models import Goal, GoalChange, Owner, TargetKind

REASONS: dict[str, Promise] = {
    "specific.missing": _("missing {missing}"),
    "specific.ok": _("{metric} for {segment}, owned by {owner}"),
    "measurable.unknown_metric": _("'{metric}' is not in the catalog"),
    "measurable.no_facts": _("no facts yet to compute it on (the current value is undefined)"),
    "measurable.ok": _("current value {value}, from {count} records in the warehouse"),
    "achievable.target_problem": _("{problem}"),
    "achievable.short_history": _("only {weeks} past weeks of data; at least {needed} needed"),
    "achievable.ok": _(
        "target {target} is a value the metric can take; judged on {weeks} past weeks"
    ),
    "realistic.unknown": _("the probability could not be computed"),
    "realistic.unrealistic": _(
        "unrealistic: only {chance} chance of reaching the target by the end of the period"
    ),
    "realistic.ok": _("{chance} chance of reaching the target by the end of the period"),
    "time_bound.ended": _("the period ended on {last_day} before the goal was set"),
    "time_bound.left": _("{start} to {last_day}; {left} days left"),
    "time_bound.over": _("{start} to {last_day}; the period is over"),
    "frequent.no_cadence": _("no review cadence set"),
    "frequent.late": _("every {cadence} days, but {late} check-in(s) late (first due {first_due})"),
    "frequent.ok": _("every {cadence} days; {done} check-in(s), none late"),
    "ambitious.nothing": _("no target or no trend to compare it with"),
    "ambitious.within_trend": _("the target does not go beyond the baseline trend ({trend})"),
    "ambitious.too_likely": _("not ambitious: {chance} chance of reaching it as things go"),
    "ambitious.ok": _("beyond the baseline trend ({trend})"),
    "transparent.ok": _("visible to marketing and sales: goals in alinea are never private"),
}

LETTER_NAMES: dict[str, Promise] = {
    "specific": _("specific"),
    "measurable": _("measurable"),
    "achievable": _("achievable"),
    "realistic": _("realistic"),
    "time-bound": _("time-bound"),
    "frequently discussed": _("frequently discussed"),
    "ambitious": _("ambitious"),
    "transparent": _("transparent"),
}

MISSING: dict[str, Promise] = {
    "metric": _("a metric"),
    "segment": _("a segment"),
    "owner": _("an owner team"),
}


def _param(name: str, value: str | int) -> str | int:
    if name == "missing":
        return ", ".join(str(MISSING[code]) for code in str(value).split(","))
    if name == "owner" and value in Owner.values:
        return str(Owner(value).label)
    if name == "segment" and value == "all":
        return gettext("all")
    return value


def reason_text(check: LetterCheck) -> str:
    """The reason of ``check`` in the active language (its English text for an unknown id)."""
    template = REASONS.get(check.message)
    if template is None:
        return check.reason
    params = {name: _param(name, value) for name, value in check.params.items()}
    return str(template).format(**params)


def letter_name(check: LetterCheck) -> str:
    return str(LETTER_NAMES.get(check.name, check.name))


def letters(checks: tuple[LetterCheck, ...]) -> list[dict[str, object]]:
    """The checks as the page shows them: letter, translated name and reason, pass/fail."""
    return [
        {"letter": c.letter, "name": letter_name(c), "passed": c.passed, "reason": reason_text(c)}
        for c in checks
    ]


def target_statement(
    kind: str, amount: float, *, baseline: float | None, target: float | None, unit: str
) -> str:
    """Which kind of target this is and, for a change, from which baseline to which value."""
    label = TargetKind(kind).label
    if kind == TargetKind.ABSOLUTE:
        value = format_value(amount, unit)
        return gettext("{kind}: reach {value}").format(kind=label, value=value)
    if kind == TargetKind.RELATIVE:
        change = gettext("{amount} % of the baseline").format(amount=f"{amount:+g}")
    else:
        change = gettext("{amount} percentage points").format(amount=f"{amount:+g}")
    if baseline is None or target is None:
        return gettext("{kind}: {change} (no baseline measured yet)").format(
            kind=label, change=change
        )
    return gettext("{kind}: {change}, from baseline {baseline} to target {target}").format(
        kind=label,
        change=change,
        baseline=format_value(baseline, unit),
        target=format_value(target, unit),
    )


PLAN_MESSAGES: dict[str, Promise] = {
    "covers.marketing_mqls": _(
        "marketing's MQL goal covers {pct} of what the {goal} goal needs "
        "({offered} of {needed} MQLs)"
    ),
    "covers.marketing_leads": _(
        "marketing's lead goal covers {pct} of what the {goal} goal needs "
        "({offered} of {needed} leads)"
    ),
    "covers.sla": _(
        "the SLA commitment covers {pct} of what the {goal} goal needs "
        "({offered} of {needed} MQLs a week)"
    ),
    "raise.marketing_mqls": _("raise it to {raise_to} MQLs, or lower the {goal} goal"),
    "raise.marketing_leads": _("raise it to {raise_to} leads, or lower the {goal} goal"),
    "raise.sla": _("raise it to {raise_to} MQLs a week, or lower the {goal} goal"),
    "surplus.marketing_mqls": _("{difference} MQLs more than needed: the {goal} goal could go up"),
    "surplus.marketing_leads": _(
        "{difference} leads more than needed: the {goal} goal could go up"
    ),
    "surplus.sla": _("{difference} MQLs a week more than needed: the {goal} goal could go up"),
    "even": _("nothing to close"),
    "capacity.capacity_need": _(
        "sales can work {pct} of the MQLs the goal needs "
        "({capacity} of {per_week} a week: {reps} reps × {per_rep})"
    ),
    "capacity.capacity_plan": _(
        "sales can work {pct} of the MQLs marketing plans "
        "({capacity} of {per_week} a week: {reps} reps × {per_rep})"
    ),
    "capacity.short": _("{reps_needed} reps would be needed, or fewer MQLs each of higher quality"),
    "capacity.room": _("room for {room} more MQLs a week"),
}

GOAL_KINDS: dict[str, Promise] = {"revenue": _("revenue"), "deals": _("deals")}


def _plan_text(message: str, params: Mapping[str, str], english: str) -> str:
    template = PLAN_MESSAGES.get(message)
    if template is None:
        return english
    shown = {**params, "goal": str(GOAL_KINDS.get(params.get("goal", ""), params.get("goal")))}
    return str(template).format(**shown)


def gap_sentence(gap: Gap) -> str:
    """The gap in words, in the active language."""
    return _plan_text(gap.message, gap.params, gap.sentence)


def gap_proposal(gap: Gap) -> str:
    """What would close the gap, in the active language."""
    return _plan_text(gap.proposal_message, gap.params, gap.proposal)


def _value_text(name: str, value: object) -> str:
    if name == "target_kind" and value in TargetKind.values:
        return str(TargetKind(value).label)
    if name == "segment":
        pairs = value.items() if isinstance(value, dict) else []
        return "; ".join(f"{k} = {', '.join(v)}" for k, v in pairs) or gettext("all")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def change_lines(change: GoalChange) -> list[dict[str, str]]:
    """A proposed goal change as rows a person reads: field, value before, value after."""
    return [
        {
            "field": str(getattr(Goal._meta.get_field(name), "verbose_name", name)),
            "before": _value_text(name, change.before.get(name)),
            "after": _value_text(name, value),
        }
        for name, value in change.changes.items()
    ]
