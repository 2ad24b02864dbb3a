"""What a funnel question asks: the frozen spec every funnel function takes, and ``now``."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from alinea.analytics.funnel.dimensions import LEAD_DIMENSIONS
from alinea.analytics.funnel.grains import GRAINS, Grain
from alinea.analytics.funnel.modes import FUNNEL_MODES
from alinea.analytics.periods import Period
from alinea.warehouse.schema import LIFECYCLE_STAGES

#: The default funnel: every lifecycle stage from lead on (subscribers are an audience, not a step).
DEFAULT_STAGES: tuple[str, ...] = tuple(s for s in LIFECYCLE_STAGES if s != "subscriber")

#: How rows are assigned to periods: by the lead's entry into step 1, or by each step's own date.
BASES: tuple[str, ...] = ("cohort", "event")


@dataclass(frozen=True)
class FunnelSpec:
    """A funnel over lifecycle stages.

    - ``stages``: the steps, in order (any subset of the lifecycle, in lifecycle order or not);
    - ``mode``: a key of ``FUNNEL_MODES`` — ``"any"`` (skipped stages count as passed, the default)
      or ``"ordered"`` (every stage, each first entry no earlier than the previous step);
    - ``basis``: ``"cohort"`` (rows by the period the lead entered step 1, conversions counted
      within ``window_days`` of that entry) or ``"event"`` (each step counted in the period it
      happened; no window);
    - ``grain``: ``"week"``, ``"month"``, ``"quarter"`` or ``None`` (one row per step for the whole
      ``period``);
    - ``period``: only leads that entered step 1 in it (cohort basis) / steps that happened in it
      (event basis); ``None`` for all history before ``now``;
    - ``breakdown``: a lead dimension (``LEAD_DIMENSIONS``) or ``None``; values beyond the ``top_n``
      held by the most leads are grouped as ``"(other)"`` (see ``breakdown``).

    >>> FunnelSpec(stages=("mql", "sql"), mode="ordered").steps
    ((1, 'mql'), (2, 'sql'))
    """

    stages: tuple[str, ...] = DEFAULT_STAGES
    mode: str = "any"
    basis: str = "cohort"
    grain: str | None = "month"
    window_days: int = 90
    period: Period | None = None
    breakdown: str | None = None
    top_n: int = 10

    def __post_init__(self) -> None:
        object.__setattr__(self, "stages", tuple(self.stages))
        _check_stages(self.stages)
        _check_choice("mode", self.mode, FUNNEL_MODES)
        _check_choice("basis", self.basis, BASES)
        if self.grain is not None:
            _check_choice("grain", self.grain, GRAINS)
        if self.breakdown is not None:
            _check_choice("breakdown", self.breakdown, LEAD_DIMENSIONS)
        if self.window_days < 1:
            raise ValueError(f"window_days must be at least 1, not {self.window_days}")
        if self.top_n < 1:
            raise ValueError(f"top_n must be at least 1, not {self.top_n}")

    @property
    def steps(self) -> tuple[tuple[int, str], ...]:
        """``(step number, stage)`` pairs, numbered from 1."""
        return tuple(enumerate(self.stages, start=1))

    @property
    def cohort_grain(self) -> Grain | None:
        return GRAINS[self.grain] if self.grain is not None else None

    def step_of(self, stage: str) -> int:
        """The step number of ``stage`` in this funnel."""
        if stage not in self.stages:
            raise ValueError(f"{stage!r} is not a step of this funnel: {', '.join(self.stages)}")
        return self.stages.index(stage) + 1


def _check_stages(stages: tuple[str, ...]) -> None:
    if len(stages) < 2:
        raise ValueError(f"a funnel needs at least two stages, got {stages!r}")
    if len(set(stages)) != len(stages):
        raise ValueError(f"a funnel lists each stage once, got {stages!r}")
    unknown = [s for s in stages if s not in LIFECYCLE_STAGES]
    if unknown:
        lifecycle = ", ".join(LIFECYCLE_STAGES)
        raise ValueError(f"unknown stages {unknown}; the lifecycle is {lifecycle}")


def _check_choice(what: str, value: str, known: Collection[str]) -> None:
    if value not in known:
        raise ValueError(f"unknown {what} {value!r}; known: {', '.join(known)}")
