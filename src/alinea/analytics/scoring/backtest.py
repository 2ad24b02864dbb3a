"""What if: a stage definition replayed over the past months, beside another one.

The span is the ``months`` calendar months before the month of ``now``. Each definition is
evaluated at the end of every month of the span (its last second, 23:59:59 UTC); a lead is an
MQL (of the definition's stage) *in month m* when it qualifies at the end of m and at no earlier
month end of the span. Lead attributes are read as stored now; events and outcomes up to ``now``.

For each would-be MQL of month m, it **became** SQL / opportunity / customer when it entered
that stage or a later one (``sql < opportunity < customer``) at or after the first day of m,
up to ``now``. **Eventual customers** are leads created before the end of the span that entered
``customer`` between the start of the span and ``now``; a definition **caught** one when it
became a customer at or after the first day of the month the definition flagged it, and
**missed** it otherwise. ``recall = caught / eventual customers``.

Load on sales is the would-be MQLs per month per lead owner (``rep_id``, ``'unassigned'`` when
the lead has no owner).

Each of the three expressions replays the definitions on its own. A page that shows all three
calls :func:`backtest_report`, which replays them once: the per-version, month and rep counts
(:func:`backtest_outcomes`) hold everything the three answers sum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import pandas as pd

from alinea.analytics.facts import Facts
from alinea.analytics.run import fetch, fetch_scalar
from alinea.analytics.scoring.rules import evaluate_snapshots
from alinea.analytics.scoring.spec import Definition

#: each outcome column → the stages that count as reaching it
OUTCOMES: dict[str, tuple[str, ...]] = {
    "became_sql": ("sql", "opportunity", "customer"),
    "became_opportunity": ("opportunity", "customer"),
    "became_customer": ("customer",),
}


def _utc_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def span_months(*, months: int, now: dt.datetime) -> list[dt.date]:
    """First days of the ``months`` calendar months before ``now``'s month, oldest first.

    >>> span_months(months=2, now=dt.datetime(2025, 3, 10, tzinfo=dt.UTC))
    [datetime.date(2025, 1, 1), datetime.date(2025, 2, 1)]
    """
    if months < 1:
        raise ValueError(f"a backtest covers at least one month, got {months}")
    year, month = now.year, now.month
    starts = []
    for _ in range(months):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        starts.append(dt.date(year, month, 1))
    return starts[::-1]


def month_ends(starts: Sequence[dt.date]) -> list[dt.datetime]:
    """The last second (UTC) of each month."""
    ends = []
    for start in starts:
        following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        ends.append(_utc_midnight(following) - dt.timedelta(seconds=1))
    return ends


def flagged_leads(
    facts: Facts, definition: Definition, *, months: int, now: dt.datetime
) -> ir.Table:
    """``version``, ``lead_id``, ``rep_id``, ``month`` (first day) and ``month_start`` (instant)
    of the month each lead first qualifies at a month end of the span."""
    starts = span_months(months=months, now=now)
    evaluated = evaluate_snapshots(facts, definition, month_ends(starts))
    first = (
        evaluated.filter(evaluated.qualified)
        .group_by("lead_id", "owner_id")
        .aggregate(first=ibis._.snapshot.min())
    )
    # months are read from the snapshot number, never from the engine's session time zone
    month = ibis.cases(*[(first.first == i, ibis.literal(s)) for i, s in enumerate(starts)])
    month_start = ibis.cases(
        *[(first.first == i, ibis.literal(_utc_midnight(s))) for i, s in enumerate(starts)]
    )
    return first.select(
        version=ibis.literal(definition.version),
        lead_id=first.lead_id,
        rep_id=first.owner_id.fill_null("unassigned"),
        month=month,
        month_start=month_start,
    )


def _latest_entries(facts: Facts, *, now: dt.datetime) -> ir.Table:
    """Per lead, the latest instant (up to ``now``) it entered each outcome's stages."""
    changes = facts.stage_changes
    changes = changes.filter(changes.changed_at <= ibis.literal(now))
    return changes.group_by(lead_id=changes.lead_id).aggregate(
        **{
            f"{name}_at": changes.changed_at.max(where=changes.stage.isin(list(stages)))
            for name, stages in OUTCOMES.items()
        }
    )


def _with_outcomes(facts: Facts, flags: ir.Table, *, now: dt.datetime) -> ir.Table:
    joined = flags.left_join(_latest_entries(facts, now=now), "lead_id").drop("lead_id_right")
    return joined.mutate(
        **{name: (joined[f"{name}_at"] >= joined.month_start).fill_null(False) for name in OUTCOMES}
    )


def _flags(
    facts: Facts, definitions: Sequence[Definition], *, months: int, now: dt.datetime
) -> ir.Table:
    if not definitions:
        raise ValueError("a backtest needs at least one definition")
    parts = [flagged_leads(facts, d, months=months, now=now) for d in definitions]
    flags = parts[0] if len(parts) == 1 else ibis.union(*parts)
    return _with_outcomes(facts, flags, now=now)


def backtest_months(
    facts: Facts, definitions: Sequence[Definition], *, months: int, now: dt.datetime
) -> ir.Table:
    """Per definition ``version`` and ``month``: ``mqls`` it would have produced and how many of
    them ``became_sql`` / ``became_opportunity`` / ``became_customer``, with the matching
    ``*_rate`` (precision). Months without MQLs have no row."""
    flags = _flags(facts, definitions, months=months, now=now)
    counts = flags.group_by("version", "month").aggregate(
        mqls=flags.count(), **{name: flags[name].sum() for name in OUTCOMES}
    )
    rates = {
        name.replace("became_", "") + "_rate": counts[name].cast("float64") / counts.mqls
        for name in OUTCOMES
    }
    return counts.mutate(**rates).order_by("version", "month")


def _eventual_customers(
    facts: Facts, *, starts: Sequence[dt.date], now: dt.datetime
) -> ir.IntegerScalar:
    span_start = ibis.literal(_utc_midnight(starts[0]))
    span_end = ibis.literal(month_ends(starts)[-1])
    changes = facts.stage_changes
    customers = (
        changes.filter(
            (changes.stage == "customer")
            & (changes.changed_at >= span_start)
            & (changes.changed_at <= ibis.literal(now))
        )
        .select("lead_id")
        .distinct()
    )
    leads = facts.leads
    customers = customers.semi_join(leads.filter(leads.created_at <= span_end), "lead_id")
    return customers.count()


def backtest_recall(
    facts: Facts, definitions: Sequence[Definition], *, months: int, now: dt.datetime
) -> ir.Table:
    """Per definition ``version``: ``eventual_customers``, ``caught``, ``missed``, ``recall``."""
    starts = span_months(months=months, now=now)
    eventual = _eventual_customers(facts, starts=starts, now=now)
    flags = _flags(facts, definitions, months=months, now=now)
    caught = (
        flags.filter(flags.became_customer).group_by("version").aggregate(caught=ibis._.count())
    )
    versions = ibis.memtable({"version": [d.version for d in definitions]})
    table = versions.left_join(caught, "version").drop("version_right")
    table = table.mutate(eventual_customers=eventual, caught=table.caught.fill_null(0))
    return table.select(
        "version",
        "eventual_customers",
        "caught",
        missed=table.eventual_customers - table.caught,
        recall=ibis.ifelse(
            table.eventual_customers > 0,
            table.caught.cast("float64") / table.eventual_customers,
            ibis.null("float64"),
        ),
    )


def backtest_outcomes(
    facts: Facts, definitions: Sequence[Definition], *, months: int, now: dt.datetime
) -> ir.Table:
    """Per definition ``version``, ``month`` and ``rep_id``: the would-be ``mqls`` and how many
    of them ``became_sql`` / ``became_opportunity`` / ``became_customer``."""
    flags = _flags(facts, definitions, months=months, now=now)
    return flags.group_by("version", "month", "rep_id").aggregate(
        mqls=flags.count(), **{name: flags[name].sum() for name in OUTCOMES}
    )


def backtest_rep_load(
    facts: Facts, definitions: Sequence[Definition], *, months: int, now: dt.datetime
) -> ir.Table:
    """Per definition ``version``, ``month`` and ``rep_id``: the would-be ``mqls`` handed over."""
    flags = _flags(facts, definitions, months=months, now=now)
    load = flags.group_by("version", "month", "rep_id").aggregate(mqls=flags.count())
    return load.order_by("version", "month", "rep_id")


@dataclass(frozen=True)
class BacktestReport:
    """The three answers of a backtest, as :func:`backtest_months`, :func:`backtest_recall`
    and :func:`backtest_rep_load` give them (``recall`` in the order of the definitions)."""

    months: pd.DataFrame
    recall: pd.DataFrame
    rep_load: pd.DataFrame


def backtest_report(
    facts: Facts, definitions: Sequence[Definition], *, months: int, now: dt.datetime
) -> BacktestReport:
    """The three answers from one replay of the definitions: :func:`backtest_outcomes` is
    fetched once (a row per version, month and rep) and summed, and the eventual customers
    are counted apart (they do not depend on the definitions)."""
    outcomes = fetch(backtest_outcomes(facts, definitions, months=months, now=now))
    starts = span_months(months=months, now=now)
    eventual = int(fetch_scalar(_eventual_customers(facts, starts=starts, now=now)))
    counted = ["mqls", *OUTCOMES]
    outcomes[counted] = outcomes[counted].astype("int64")
    per_month = (
        outcomes.groupby(["version", "month"], as_index=False, sort=True)[counted]
        .sum()
        .reset_index(drop=True)
    )
    for name in OUTCOMES:
        rate = name.replace("became_", "") + "_rate"
        per_month[rate] = per_month[name].astype("float64") / per_month.mqls
    versions = [d.version for d in definitions]
    caught = outcomes.groupby("version").became_customer.sum().reindex(versions, fill_value=0)
    recall = pd.DataFrame(
        {
            "version": versions,
            "eventual_customers": eventual,
            "caught": caught.to_numpy().astype("int64"),
        }
    )
    recall["missed"] = recall.eventual_customers - recall.caught
    recall["recall"] = recall.caught.astype("float64") / eventual if eventual else float("nan")
    rep_load = outcomes.sort_values(["version", "month", "rep_id"], ignore_index=True)
    return BacktestReport(
        months=per_month, recall=recall, rep_load=rep_load[["version", "month", "rep_id", "mqls"]]
    )
