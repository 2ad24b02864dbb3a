"""The scorecard's frames as rows for the template, with people's names beside their ids."""

from __future__ import annotations

from typing import Any

import pandas as pd
from ibis.backends import BaseBackend

from alinea.analytics.facts import Facts
from alinea.analytics.run import fetch
from alinea.apps.sla.labels import CLOCK_LABELS, GROUP_LABELS, STATUS_LABELS
from alinea.apps.sla.scorecard import GROUPS, Scorecard

#: The delivery table shows the latest periods of each target (the chart shows them all).
DELIVERY_ROWS = 4
_GROUP_COLUMN = {"rep": "rep_id", "team": "manager_id", "region": "rep_region"}


def _value(value: Any) -> Any:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): _value(v) for k, v in row.items()} for row in frame.to_dict("records")]


def people_names(con: BaseBackend) -> dict[str, str]:
    people = fetch(Facts.of(con).people.select("person_id", "name"))
    return dict(zip(people["person_id"].astype(str), people["name"].astype(str), strict=True))


def _by_group(card: Scorecard, group: str, names: dict[str, str]) -> list[dict[str, Any]]:
    """One row per group value: each clock's compliance side by side, worst response first."""
    frame = card.compliance_by[group]
    column = _GROUP_COLUMN[group]
    wide = frame.pivot_table(
        index=column,
        columns="clock",
        values=["compliance_rate", "decided", "mqls"],
        dropna=False,
        aggfunc="first",
    )
    rows = []
    for key in wide.index:
        rates = {c: _value(wide.loc[key, ("compliance_rate", c)]) for c in CLOCK_LABELS}
        name = names.get(str(key), "") if group != "region" else ""
        rows.append(
            {
                "key": key,
                "name": name,
                "mqls": int(wide.loc[key, ("mqls", "response")]),
                "rates": [rates[c] for c in CLOCK_LABELS],
                "response": rates["response"],
            }
        )
    return sorted(rows, key=lambda r: (r["response"] is None, r["response"] or 0.0))


def tables(con: BaseBackend, card: Scorecard) -> dict[str, Any]:
    names = people_names(con)
    queue = card.breach_queue.assign(
        clock_label=card.breach_queue["clock"].map(lambda c: str(CLOCK_LABELS[c])),
        status_label=card.breach_queue["status"].map(lambda s: str(STATUS_LABELS[s])),
        rep_name=card.breach_queue["current_rep_id"].map(lambda r: names.get(str(r), "")),
    )
    totals = card.compliance_total.assign(
        clock_label=card.compliance_total["clock"].map(lambda c: str(CLOCK_LABELS[c]))
    )
    return {
        "clock_labels": list(CLOCK_LABELS.values()),
        "totals": _records(totals),
        "delivery": _records(card.delivery.groupby("target").tail(DELIVERY_ROWS)),
        "acceptance": _records(card.acceptance),
        "by_group": [
            {"key": g, "label": GROUP_LABELS[g], "rows": _by_group(card, g, names)} for g in GROUPS
        ],
        "percentiles": _records(card.percentiles),
        "queue": _records(queue),
        "pareto": _records(card.pareto),
    }
