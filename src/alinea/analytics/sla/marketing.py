"""Marketing's side of the SLA, and what sales' decisions say about MQL quality (Ibis in/out).

These are plain counts, so they stay Ibis expressions and run on the warehouse engine:

- :func:`mql_delivery`: per target and week/month, ``delivered`` = distinct leads that entered
  the MQL stage in the bucket (matching the target's segment/region, counted up to ``now``)
  against ``committed`` = the target's N; ``delivery_rate = delivered / committed``;
  ``met = delivered >= committed``. Buckets are whole UTC weeks (from Monday) or months that
  overlap the period; ``complete`` says whether the bucket had ended by ``now``.
- :func:`acceptance`: for the MQL events of each bucket, their first disposition;
  ``acceptance_rate = accepted / dispositioned`` (null without dispositions), compared with the
  policy's quality floor.
- :func:`reason_pareto`: the reasons of rejected and recycled MQL events of the period, most
  frequent first, with ``share = count / total`` and the running ``cumulative_share``;
  ``agreed`` says whether the reason is one of the policy's agreed codes for that outcome.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import ibis
import ibis.expr.types as ir
import pandas as pd

from alinea.analytics.facts import Facts
from alinea.analytics.periods import Period
from alinea.analytics.sla.gather import first_dispositions, mql_events, utc_literal
from alinea.analytics.sla.policy import DeliveryTarget, Every, SlaPolicy

_LEAD_GROUPS = {"segment": "segment", "lead_region": "region"}


def buckets(period: Period, every: Every) -> list[tuple[dt.date, dt.date]]:
    """The whole weeks (from Monday) or months that overlap ``period``, as [start, end) days.

    >>> winter = Period(dt.date(2025, 1, 15), dt.date(2025, 3, 1))
    >>> [str(start) for start, _ in buckets(winter, "month")]
    ['2025-01-01', '2025-02-01']
    >>> buckets(Period(dt.date(2025, 6, 4), dt.date(2025, 6, 5)), "week")
    [(datetime.date(2025, 6, 2), datetime.date(2025, 6, 9))]
    """
    if every == "week":
        start = period.start - dt.timedelta(days=period.start.weekday())
    else:
        start = period.start.replace(day=1)
    spans = []
    while start < period.end:
        if every == "week":
            end = start + dt.timedelta(days=7)
        else:
            end = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        spans.append((start, end))
        start = end
    return spans


def _utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def _spine(targets: Sequence[DeliveryTarget], period: Period, now: dt.datetime) -> ir.Table:
    rows = [
        {
            "target": number,
            "segment": target.segment,
            "region": target.region,
            "every": target.every,
            "bucket_start": _utc(start),
            "bucket_end": _utc(end),
            "committed": target.mqls,
            "complete": _utc(end) <= now,
        }
        for number, target in enumerate(targets)
        for start, end in buckets(period, target.every)
    ]
    frame = pd.DataFrame(rows, columns=["target", "segment", "region", "every", "bucket_start",
                                        "bucket_end", "committed", "complete"])  # fmt: skip
    schema = {"target": "int64", "segment": "string", "region": "string", "every": "string",
              "bucket_start": "timestamp('UTC')", "bucket_end": "timestamp('UTC')",
              "committed": "int64", "complete": "boolean"}  # fmt: skip
    return ibis.memtable(frame, schema=schema)


def mql_delivery(facts: Facts, policy: SlaPolicy, *, period: Period, now: dt.datetime) -> ir.Table:
    """MQLs delivered against each delivery target, per week or month of ``period``.

    Columns: ``target`` (position in the policy), ``segment``, ``region``, ``every``,
    ``period_start``, ``period_end`` (days, end excluded), ``committed``, ``delivered``,
    ``delivery_rate``, ``met``, ``complete``; ordered by target and period.
    """
    spine = _spine(policy.marketing.targets, period, now)
    changes, leads = facts.stage_changes, facts.leads
    mqls = changes.filter(changes.stage == "mql", changes.changed_at <= utc_literal(now))
    mqls = mqls.join(leads, mqls.lead_id == leads.lead_id).select(
        mqls.lead_id, mql_at=mqls.changed_at, lead_segment=leads.segment, lead_region=leads.region
    )
    matched = spine.join(
        mqls,
        [
            mqls.mql_at >= spine.bucket_start,
            mqls.mql_at < spine.bucket_end,
            spine.segment.isnull() | (spine.segment == mqls.lead_segment),
            spine.region.isnull() | (spine.region == mqls.lead_region),
        ],
    )
    counted = matched.group_by("target", "bucket_start").aggregate(
        delivered=matched.lead_id.nunique()
    )
    table = spine.left_join(
        counted,
        [spine.target == counted.target, spine.bucket_start == counted.bucket_start],
    ).select(spine, delivered=counted.delivered.fill_null(0))
    return table.select(
        "target",
        "segment",
        "region",
        "every",
        period_start=table.bucket_start.date(),
        period_end=table.bucket_end.date(),
        committed=table.committed,
        delivered=table.delivered,
        delivery_rate=table.delivered.cast("float64") / table.committed,
        met=table.delivered >= table.committed,
        complete=table.complete,
    ).order_by("target", "period_start")


def _cohort(facts: Facts, *, period: Period, now: dt.datetime) -> ir.Table:
    """MQL events of ``period`` with their lead's segment and region and first disposition."""
    events = mql_events(facts, now=now)
    events = events.filter(period.contains(events.mql_at))
    decided = first_dispositions(events, facts, now=now)
    leads = facts.leads
    return (
        events.left_join(leads, events.lead_id == leads.lead_id)
        .left_join(decided, [events.lead_id == decided.lead_id, events.mql_at == decided.mql_at])
        .select(
            events.lead_id,
            events.mql_at,
            leads.segment,
            lead_region=leads.region,
            outcome=decided.outcome,
            reason=decided.reason,
        )
    )


def acceptance(
    facts: Facts,
    policy: SlaPolicy,
    *,
    period: Period,
    now: dt.datetime,
    every: Every = "month",
    by: Sequence[str] = (),
) -> ir.Table:
    """Acceptance of the MQL events of each week/month (by ``segment``/``lead_region``).

    Columns: ``period_start`` (the first day of the week or month), the ``by`` columns, ``mqls``,
    ``dispositioned``, ``accepted``, ``rejected``, ``recycled``, ``acceptance_rate``,
    ``quality_floor``, ``floor_met`` (null without dispositions).
    """
    unknown = [g for g in by if g not in _LEAD_GROUPS]
    if unknown:
        raise ValueError(f"acceptance groups are {list(_LEAD_GROUPS)}, not {unknown}")
    cohort = _cohort(facts, period=period, now=now)
    bucket = cohort.mql_at.truncate("W" if every == "week" else "M").date()
    outcome = cohort.outcome

    def count(condition: ir.BooleanValue) -> ir.IntegerScalar:
        return cohort.count(where=condition.fill_null(False))

    table = cohort.group_by(list(by), period_start=bucket).aggregate(
        mqls=cohort.count(),
        dispositioned=count(outcome.notnull()),
        accepted=count(outcome == "accepted"),
        rejected=count(outcome == "rejected"),
        recycled=count(outcome == "recycled"),
    )
    table = table.mutate(
        acceptance_rate=table.accepted.cast("float64") / table.dispositioned.nullif(0),
        quality_floor=ibis.literal(policy.marketing.quality_floor, "float64"),
    )
    table = table.mutate(floor_met=table.acceptance_rate >= table.quality_floor)
    first = ["period_start", *by]
    return table.select(*first, *[c for c in table.columns if c not in first]).order_by(*first)


def reason_pareto(
    facts: Facts,
    policy: SlaPolicy,
    *,
    period: Period,
    now: dt.datetime,
    outcomes: Sequence[str] = ("rejected", "recycled"),
) -> ir.Table:
    """Reasons for rejecting or recycling the MQL events of ``period``, most frequent first.

    Columns: ``outcome``, ``reason``, ``count``, ``share``, ``cumulative_share``, ``agreed``.
    """
    cohort = _cohort(facts, period=period, now=now)
    chosen = cohort.filter(cohort.outcome.isin(list(outcomes)))
    counted = chosen.group_by(chosen.outcome, reason=chosen.reason.fill_null("(none)")).aggregate(
        count=chosen.count()
    )
    order = [counted["count"].desc(), counted.outcome, counted.reason]
    total = counted["count"].sum().over(ibis.window())
    running = counted["count"].sum().over(ibis.cumulative_window(order_by=order))
    agreed = [f"{o}:{code}" for o in outcomes for code in policy.recycling.agreed(o)]
    key = counted.outcome.concat(":", counted.reason)
    return counted.select(
        "outcome",
        "reason",
        "count",
        share=counted["count"].cast("float64") / total,
        cumulative_share=running.cast("float64") / total,
        agreed=key.isin(agreed) if agreed else ibis.literal(False),
    ).order_by(ibis.desc("count"), "outcome", "reason")
