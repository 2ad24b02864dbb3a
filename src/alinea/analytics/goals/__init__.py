"""Goals analytics: targets, baselines, probability of success, progress and SMART/FAST checks.

Pure: frozen specs in, numbers out; never imports Django. The goals app turns its models into a
``GoalSpec`` and calls ``evaluate_goal``.
"""

from alinea.analytics.goals.baseline import Baseline, trend_projection
from alinea.analytics.goals.checks import Findings, LetterCheck, fast, smart
from alinea.analytics.goals.evaluate import GoalEvaluation, Settings, evaluate_goal
from alinea.analytics.goals.progress import Progress, pace_at, status_for
from alinea.analytics.goals.series import PeriodValue, measure_periods, previous_period
from alinea.analytics.goals.simulate import Forecast, Known, Weeks, simulate, summarise
from alinea.analytics.goals.spec import GoalSpec
from alinea.analytics.goals.target import (
    AbsoluteTarget,
    PointsChange,
    RelativeChange,
    Target,
    TargetError,
    describe_target,
    make_target,
    target_value,
)

__all__ = [
    "AbsoluteTarget",
    "Baseline",
    "Findings",
    "Forecast",
    "GoalEvaluation",
    "GoalSpec",
    "Known",
    "LetterCheck",
    "PeriodValue",
    "PointsChange",
    "Progress",
    "RelativeChange",
    "Settings",
    "Target",
    "TargetError",
    "Weeks",
    "describe_target",
    "evaluate_goal",
    "fast",
    "make_target",
    "measure_periods",
    "pace_at",
    "previous_period",
    "simulate",
    "smart",
    "status_for",
    "summarise",
    "target_value",
    "trend_projection",
]
