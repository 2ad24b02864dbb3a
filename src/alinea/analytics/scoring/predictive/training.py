"""The workspace's own history as training rows for the predictive score.

One row per lead created at least ``mature_days`` before ``now`` (younger leads have not had the
time to convert): its fit attributes, the touchpoints of each type in its first ``feature_days``
(what marketing knows before sales calls), the sales activities in the same days (offered so that
the guard can flag them: they exist only after sales contact) and ``converted``: whether it
entered ``outcome_stage`` or a later stage by ``now``.

The rows are an Ibis expression; fetch them with :func:`training_rows`, which goes through
``alinea.analytics.run``.
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir
import pandas as pd

from alinea.analytics.facts import Facts
from alinea.analytics.run import fetch
from alinea.analytics.scoring.predictive.leakage import LeakageGuard
from alinea.analytics.scoring.predictive.model import PredictiveSpec
from alinea.warehouse.schema import LIFECYCLE_STAGES, TOUCHPOINT_TYPES

CATEGORICAL = (
    "channel",
    "source",
    "campaign",
    "segment",
    "industry",
    "country",
    "region",
    "job_role",
)
NUMERIC = ("company_size", "touchpoints", *(f"touchpoints_{t}" for t in TOUCHPOINT_TYPES))
AFTER_CONTACT = ("sales_activities",)


def _early(events: ir.Table, leads: ir.Table, feature_days: float) -> ir.Table:
    joined = events.join(leads.select("lead_id", "created_at"), "lead_id")
    age = joined.occurred_at.epoch_seconds() - joined.created_at.epoch_seconds()
    return joined.filter((age >= 0) & (age < feature_days * 86_400))


def training_set(
    facts: Facts,
    *,
    now: dt.datetime,
    outcome_stage: str = "customer",
    feature_days: float = 14,
    mature_days: float = 90,
) -> ir.Table:
    """``lead_id``, the :data:`CATEGORICAL` and :data:`NUMERIC` fields, ``sales_activities`` and
    ``converted`` for every mature lead."""
    if outcome_stage not in LIFECYCLE_STAGES:
        raise ValueError(f"unknown stage {outcome_stage!r}")
    later = list(LIFECYCLE_STAGES[LIFECYCLE_STAGES.index(outcome_stage) :])
    leads = facts.leads.filter(
        facts.leads.created_at <= ibis.literal(now - dt.timedelta(days=mature_days))
    )
    touches = _early(facts.touchpoints, leads, feature_days)
    counts = touches.group_by("lead_id").aggregate(
        touchpoints=touches.count(),
        **{f"touchpoints_{t}": touches.count(where=touches.type == t) for t in TOUCHPOINT_TYPES},
    )
    sales = _early(facts.activities, leads, feature_days)
    sales = sales.group_by("lead_id").aggregate(sales_activities=sales.count())
    changes = facts.stage_changes
    converted = changes.filter(
        changes.stage.isin(later) & (changes.changed_at <= ibis.literal(now))
    )
    rows = leads.select("lead_id", *CATEGORICAL, "company_size")
    rows = rows.left_join(counts, "lead_id").drop("lead_id_right")
    rows = rows.left_join(sales, "lead_id").drop("lead_id_right")
    counted = ["touchpoints", *(f"touchpoints_{t}" for t in TOUCHPOINT_TYPES), "sales_activities"]
    rows = rows.mutate(**{c: rows[c].fill_null(0) for c in counted})
    return rows.mutate(converted=rows.lead_id.isin(converted.lead_id)).order_by("lead_id")


def training_rows(
    facts: Facts, *, now: dt.datetime, **options: float | str
) -> tuple[pd.DataFrame, pd.Series]:
    """The fetched training set: the fields, and ``converted`` as 0/1."""
    rows = fetch(training_set(facts, now=now, **options)).set_index("lead_id")  # type: ignore[arg-type]
    outcome = rows.pop("converted").astype(int)
    return rows, outcome


def workspace_spec(*, overrides: tuple[str, ...] = ()) -> PredictiveSpec:
    """Every workspace field offered, sales activities declared as filled after contact."""
    return PredictiveSpec(
        categorical=CATEGORICAL,
        numeric=(*NUMERIC, *AFTER_CONTACT),
        guard=LeakageGuard(after_contact=AFTER_CONTACT, overrides=overrides),
    )
