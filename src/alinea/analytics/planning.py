"""The alignment plan: from a revenue or deals goal back up the funnel to the leads it needs.

Reverse funnel, stage by stage (each rate is the measured share passing to the next stage):

    deals         = revenue goal ÷ average deal size          (or the deals goal itself)
    opportunities = deals ÷ win rate
    SQLs          = opportunities ÷ SQL→opportunity rate
    MQLs          = SQLs ÷ MQL→SQL rate
    leads         = MQLs ÷ lead→MQL rate

Per week = total ÷ (period days ÷ 7). Deals close during the period, so each earlier stage must
arrive earlier by the cycle times below it: opportunities ``opportunity_to_close`` days before,
SQLs that plus ``sql_to_opportunity`` days, and so on. The plan is then set beside marketing's
goals, the SLA volume commitment and sales capacity (reps × MQLs each can work a week), and every
gap is said in a sentence, both ways, with the number that would close it.

>>> plan = alignment_plan(PlanSpec(
...     period=Period(dt.date(2025, 4, 1), dt.date(2025, 6, 30)), goal_kind="revenue",
...     goal=600_000, average_deal_size=20_000,
...     rates=FunnelRates(lead_to_mql=0.5, mql_to_sql=0.5, sql_to_opportunity=0.5, win_rate=0.25),
...     cycle_days=CycleDays(10, 5, 7, 30)))
>>> [(need.stage, need.total) for need in plan.needs]
[('deals', 30.0), ('opportunities', 120.0), ('sqls', 240.0), ('mqls', 480.0), ('leads', 960.0)]
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from alinea.analytics.periods import Period

GOAL_KINDS: tuple[str, ...] = ("revenue", "deals")


@dataclass(frozen=True)
class FunnelRates:
    """Measured shares passing each step (fractions, 0.25 for 25 %)."""

    lead_to_mql: float
    mql_to_sql: float
    sql_to_opportunity: float
    win_rate: float

    def __post_init__(self) -> None:
        for name in ("lead_to_mql", "mql_to_sql", "sql_to_opportunity", "win_rate"):
            value = getattr(self, name)
            if not 0 < value <= 1:
                raise ValueError(
                    f"{name} must be above 0 and at most 1 to plan backwards, not {value}"
                )


@dataclass(frozen=True)
class CycleDays:
    """Measured days each step takes (typically medians)."""

    lead_to_mql: float
    mql_to_sql: float
    sql_to_opportunity: float
    opportunity_to_close: float


@dataclass(frozen=True)
class PlanSpec:
    """A sales goal and what the plan is compared with.

    ``marketing_mql_goal`` / ``marketing_lead_goal``: marketing's goals (totals for the period);
    ``sla_mqls_per_week``: the SLA's delivery commitment; ``reps`` × ``mqls_per_rep_per_week``:
    sales capacity. Every comparison is optional.
    """

    period: Period
    goal_kind: str
    goal: float
    rates: FunnelRates
    cycle_days: CycleDays
    average_deal_size: float | None = None
    marketing_mql_goal: float | None = None
    marketing_lead_goal: float | None = None
    sla_mqls_per_week: float | None = None
    reps: int | None = None
    mqls_per_rep_per_week: float | None = None

    def __post_init__(self) -> None:
        if self.goal_kind not in GOAL_KINDS:
            raise ValueError(f"goal_kind must be one of {', '.join(GOAL_KINDS)}")
        if self.goal <= 0:
            raise ValueError(f"the goal must be above 0, not {self.goal}")
        if self.goal_kind == "revenue" and not (self.average_deal_size or 0) > 0:
            raise ValueError("a revenue goal needs an average deal size above 0")

    @property
    def weeks(self) -> float:
        return self.period.days / 7


@dataclass(frozen=True)
class StageNeed:
    """How many of ``stage`` the goal needs, per week, and the days they must arrive in
    (``arrive_from`` included, ``arrive_until`` excluded)."""

    stage: str
    total: float
    per_week: float
    lead_days: float
    arrive_from: dt.date
    arrive_until: dt.date


#: Every sentence and proposal of a gap: message id → English text with ``{param}`` placeholders
#: (parameters come formatted). The web app translates by message id with the same parameters.
MESSAGES: dict[str, str] = {
    "covers.marketing_mqls": (
        "marketing's MQL goal covers {pct} of what the {goal} goal needs "
        "({offered} of {needed} MQLs)"
    ),
    "covers.marketing_leads": (
        "marketing's lead goal covers {pct} of what the {goal} goal needs "
        "({offered} of {needed} leads)"
    ),
    "covers.sla": (
        "the SLA commitment covers {pct} of what the {goal} goal needs "
        "({offered} of {needed} MQLs a week)"
    ),
    "raise.marketing_mqls": "raise it to {raise_to} MQLs, or lower the {goal} goal",
    "raise.marketing_leads": "raise it to {raise_to} leads, or lower the {goal} goal",
    "raise.sla": "raise it to {raise_to} MQLs a week, or lower the {goal} goal",
    "surplus.marketing_mqls": "{difference} MQLs more than needed: the {goal} goal could go up",
    "surplus.marketing_leads": "{difference} leads more than needed: the {goal} goal could go up",
    "surplus.sla": "{difference} MQLs a week more than needed: the {goal} goal could go up",
    "even": "nothing to close",
    "capacity.capacity_need": (
        "sales can work {pct} of the MQLs the goal needs "
        "({capacity} of {per_week} a week: {reps} reps × {per_rep})"
    ),
    "capacity.capacity_plan": (
        "sales can work {pct} of the MQLs marketing plans "
        "({capacity} of {per_week} a week: {reps} reps × {per_rep})"
    ),
    "capacity.short": "{reps_needed} reps would be needed, or fewer MQLs each of higher quality",
    "capacity.room": "room for {room} more MQLs a week",
}


@dataclass(frozen=True)
class Gap:
    """One comparison: ``ratio`` = what is offered ÷ what is needed; ``difference_per_week``
    (negative when short); ``sentence`` and ``proposal`` in plain English, also as message ids
    (keys of ``MESSAGES``) with their ``params``."""

    about: str
    ratio: float
    difference_per_week: float
    sentence: str
    proposal: str
    message: str = ""
    proposal_message: str = ""
    params: Mapping[str, str] = field(default_factory=dict)


def _gap(
    about: str, ratio: float, difference: float, message: str, proposal: str, /, **params: str
) -> Gap:
    return Gap(
        about, ratio, difference, MESSAGES[message].format(**params),
        MESSAGES[proposal].format(**params), message, proposal, params,
    )  # fmt: skip


@dataclass(frozen=True)
class AlignmentPlan:
    spec: PlanSpec
    needs: tuple[StageNeed, ...]
    gaps: tuple[Gap, ...]

    def need(self, stage: str) -> StageNeed:
        return next(n for n in self.needs if n.stage == stage)


def _totals(spec: PlanSpec) -> list[tuple[str, float, float]]:
    """``(stage, total, days before the close)`` from deals up to leads."""
    deals = spec.goal
    if spec.goal_kind == "revenue":
        assert spec.average_deal_size is not None
        deals = spec.goal / spec.average_deal_size
    rates, cycle = spec.rates, spec.cycle_days
    steps = (
        ("opportunities", rates.win_rate, cycle.opportunity_to_close),
        ("sqls", rates.sql_to_opportunity, cycle.sql_to_opportunity),
        ("mqls", rates.mql_to_sql, cycle.mql_to_sql),
        ("leads", rates.lead_to_mql, cycle.lead_to_mql),
    )
    found = [("deals", float(deals), 0.0)]
    for stage, rate, days in steps:
        _, total, lag = found[-1]
        found.append((stage, total / rate, lag + days))
    return found


def stage_needs(spec: PlanSpec) -> tuple[StageNeed, ...]:
    """The reverse funnel: what every stage needs, per week and when."""
    needs = []
    for stage, total, lag in _totals(spec):
        shift = dt.timedelta(days=math.ceil(lag))
        needs.append(
            StageNeed(
                stage=stage,
                total=round(total, 9),
                per_week=round(total / spec.weeks, 9),
                lead_days=lag,
                arrive_from=spec.period.start - shift,
                arrive_until=spec.period.end - shift,
            )
        )
    return tuple(needs)


def _pct(ratio: float) -> str:
    return f"{ratio:.0%}".replace("%", " %")


def _n(value: float) -> str:
    return f"{value:,.0f}"


def _coverage(about: str, offered: float, needed: float, goal: str) -> Gap:
    """``offered`` against ``needed`` (same unit and span) as a sentence and a proposal."""
    ratio = offered / needed
    if ratio < 1:
        proposal = f"raise.{about}"
    elif ratio > 1:
        proposal = f"surplus.{about}"
    else:
        proposal = "even"
    return _gap(
        about, ratio, offered - needed, f"covers.{about}", proposal,
        pct=_pct(ratio), goal=goal, offered=_n(offered), needed=_n(needed),
        raise_to=_n(math.ceil(needed)), difference=_n(offered - needed),
    )  # fmt: skip


def gaps(spec: PlanSpec, needs: tuple[StageNeed, ...]) -> tuple[Gap, ...]:
    """Every comparison the spec allows, in a fixed order: marketing's MQL goal, its lead goal,
    the SLA commitment, then sales capacity against the need and against marketing's plan."""
    mqls = next(n for n in needs if n.stage == "mqls")
    leads = next(n for n in needs if n.stage == "leads")
    goal = spec.goal_kind
    found: list[Gap] = []
    if spec.marketing_mql_goal is not None:
        found.append(_coverage("marketing_mqls", spec.marketing_mql_goal, mqls.total, goal))
    if spec.marketing_lead_goal is not None:
        found.append(_coverage("marketing_leads", spec.marketing_lead_goal, leads.total, goal))
    if spec.sla_mqls_per_week is not None:
        found.append(_coverage("sla", spec.sla_mqls_per_week, mqls.per_week, goal))
    if spec.reps is not None and spec.mqls_per_rep_per_week is not None:
        found.extend(_capacity(spec, mqls.per_week))
    return tuple(found)


def _capacity(spec: PlanSpec, needed_per_week: float) -> list[Gap]:
    assert spec.reps is not None
    assert spec.mqls_per_rep_per_week is not None
    capacity = spec.reps * spec.mqls_per_rep_per_week
    planned = [("capacity_need", needed_per_week)]
    if spec.marketing_mql_goal is not None:
        planned.append(("capacity_plan", spec.marketing_mql_goal / spec.weeks))
    found = []
    for about, per_week in planned:
        ratio = capacity / per_week
        proposal = "capacity.short" if ratio < 1 else "capacity.room"
        found.append(
            _gap(
                about, ratio, capacity - per_week, f"capacity.{about}", proposal,
                pct=_pct(ratio), capacity=_n(capacity), per_week=_n(per_week),
                reps=str(spec.reps), per_rep=_n(spec.mqls_per_rep_per_week),
                reps_needed=str(math.ceil(per_week / spec.mqls_per_rep_per_week)),
                room=_n(capacity - per_week),
            )
        )  # fmt: skip
    return found


def alignment_plan(spec: PlanSpec) -> AlignmentPlan:
    """The reverse funnel of ``spec`` and its gaps."""
    needs = stage_needs(spec)
    return AlignmentPlan(spec, needs, gaps(spec, needs))
