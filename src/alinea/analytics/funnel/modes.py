"""Funnel modes: how a lead's stage history turns into the time it reached each step.

A mode is a function from the *first entries* of a lead — the first instant it entered each funnel
stage, ``None`` for a stage it never entered — to the instant it reached each step (``None`` when it
does not count at that step). Both modes are registered in ``FUNNEL_MODES`` under one signature;
a new mode is one more function in the dict.

- ``"any"`` (skipped stages count as passed): a lead counts at step *k* if it ever entered stage *k*
  or any later funnel stage; it reached step *k* at the earliest of those entries. A lead that went
  lead → SQL counts as an MQL at the instant it became an SQL.
- ``"ordered"`` (HubSpot's "all stages in order"): a lead counts at step *k* only if it entered
  every stage 1..*k* and each first entry came no earlier than the previous one; it reached step *k*
  at its first entry into stage *k*. A lead that went lead → SQL counts at step 1 only. Modes read
  first entries only, so a lead that entered MQL before it ever entered lead never counts at
  step 2, even if it is recycled to lead later and qualifies again.

Ties: two first entries at the same instant are read in funnel order (the earlier stage first), so
a lead created as a lead and an MQL in the same instant passes both steps, zero days apart.

Both modes give non-decreasing step times, and a lead that counts at step *k* counts at every
earlier step, so "leads at step *k*" never exceeds "leads at step *k − 1*".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ibis
import ibis.expr.types as ir

StepTimes = Callable[[Sequence[ir.TimestampValue]], list[ir.TimestampValue]]


def _missing(like: ir.TimestampValue) -> ir.TimestampValue:
    return ibis.null(like.type().copy(nullable=True))


def any_stage_steps(firsts: Sequence[ir.TimestampValue]) -> list[ir.TimestampValue]:
    """Step *k* is reached at the earliest first entry into stage *k* or any later stage.

    ``LEAST`` ignores NULLs on every supported engine, so a skipped stage does not hide later ones.
    """
    steps: list[ir.TimestampValue] = []
    for k in range(len(firsts)):
        later = list(firsts[k:])
        steps.append(later[0] if len(later) == 1 else ibis.least(*later))
    return steps


def ordered_steps(firsts: Sequence[ir.TimestampValue]) -> list[ir.TimestampValue]:
    """Step *k* is reached at the first entry into stage *k*, if it is no earlier than step *k − 1*.

    A NULL comparison (the stage, or the previous step, is missing) drops the lead from that step
    on, because ``CASE WHEN NULL`` takes the ``ELSE`` branch.
    """
    steps = [firsts[0]]
    for first in firsts[1:]:
        previous = steps[-1]
        steps.append(ibis.ifelse(first >= previous, first, _missing(first)))
    return steps


#: name → how first entries become step times. Documented in docs/funnel.md as well.
FUNNEL_MODES: dict[str, StepTimes] = {
    "any": any_stage_steps,
    "ordered": ordered_steps,
}
