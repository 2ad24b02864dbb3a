"""Per-lead SLA clocks: due times, business time elapsed and a status, for every MQL event.

Three clocks run from the **clock start** (the MQL instant, or the later of the MQL and its
assignment when the policy says so), in business time of the rep's calendar:

- ``response``: the first contact attempt within ``first_response_hours`` business hours;
- ``attempts``: the K-th contact attempt within ``attempts_within_days`` business days;
- ``disposition``: a disposition within ``disposition_within_days`` business days.

Each clock's status at ``now``: **met** (done at or before its due time), **breached** (done after
it, or not done and the due time has passed), **at_risk** (not done, not due yet, less than
``at_risk_share`` of the allowed business time left) or **pending** (not done, more time left).

The work is split in two: :func:`alinea.analytics.sla.gather.sla_facts` is an Ibis expression
that the engine runs (joins and window functions per MQL event); :func:`clocks_of` does the
business time in numpy, calendar by calendar (a handful), never lead by lead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from alinea.analytics import run
from alinea.analytics.facts import Facts
from alinea.analytics.periods import Period
from alinea.analytics.sla.business_time import (
    HOUR_NS,
    due_after_days,
    due_after_ns,
    elapsed_since,
    from_utc_ns,
    to_utc_ns,
)
from alinea.analytics.sla.calendar import BusinessCalendar
from alinea.analytics.sla.gather import sla_facts
from alinea.analytics.sla.policy import CalendarRules, SalesCommitment, SlaPolicy

CLOCKS: tuple[str, ...] = ("response", "attempts", "disposition")
STATUSES: tuple[str, ...] = ("met", "breached", "at_risk", "pending")
STATUS_DTYPE = pd.CategoricalDtype(list(STATUSES))
_REP_KEYS = ["manager_id", "rep_region", "rep_timezone"]


def group_numbers(columns: Sequence[pd.Series]) -> tuple[np.ndarray, np.ndarray]:
    """A group number for every row (rows with equal values in every column, missing values
    alike, share one; numbers follow no particular order) and the first row of each group.

    Each column is factorized on its own and the codes combined as integers: hashing several
    object columns together costs several times more on a million rows.
    """
    combined, bound = np.zeros(len(columns[0]) if columns else 0, dtype=np.int64), 1
    for column in columns:
        codes, values = pd.factorize(column)  # missing: -1
        if bound * (len(values) + 1) > 2**62:  # keep the combined numbers in int64
            combined = pd.factorize(combined)[0]
            bound = int(combined.max()) + 1
        combined = combined * (len(values) + 1) + codes + 1
        bound *= len(values) + 1
    # numbered in order of first appearance (hashing, no sort): the running maximum of the
    # numbers grows exactly at each group's first row
    numbers, _ = pd.factorize(combined)
    if not len(numbers):
        return numbers, np.zeros(0, dtype=np.int64)
    running = np.maximum.accumulate(numbers)
    return numbers, np.flatnonzero(np.r_[True, running[1:] > running[:-1]])


def _profiles(frame: pd.DataFrame) -> tuple[np.ndarray, list[tuple]]:
    """The rep profile number of every row and the distinct profiles, missing values as ""."""
    numbers, first = group_numbers([frame[name] for name in _REP_KEYS])
    keys = frame[_REP_KEYS].iloc[first].itertuples(index=False, name=None)
    return numbers, [tuple("" if pd.isna(v) else v for v in key) for key in keys]


def _calendars(frame: pd.DataFrame, rules: CalendarRules) -> tuple[np.ndarray, list]:
    """The calendar index of every row and the distinct calendars (one per rep profile)."""
    if frame.empty:
        return np.zeros(0, dtype=np.int64), []
    codes, profiles = _profiles(frame)
    calendars: list[BusinessCalendar] = []
    position: dict[BusinessCalendar, int] = {}
    per_profile = []
    for manager_id, region, timezone in profiles:
        try:
            calendar = rules.calendar_for(
                manager_id=manager_id or None, region=region or None, timezone=timezone or None
            )
        except ValueError as exc:
            raise ValueError(
                f"people.timezone of a rep in {region or 'no region'}: {exc}"
            ) from None
        if calendar not in position:
            position[calendar] = len(calendars)
            calendars.append(calendar)
        per_profile.append(position[calendar])
    return np.asarray(per_profile, dtype=np.int64)[codes], calendars


def _status(
    done: np.ndarray, missing: np.ndarray, due: np.ndarray, now: int, left: np.ndarray, risk: float
) -> pd.Categorical:
    met = ~missing & (done <= due)
    breached = (~missing & (done > due)) | (missing & (now > due))
    at_risk = missing & (now <= due) & (left < risk)
    codes = np.select([met, breached, at_risk], [0, 1, 2], 3).astype(np.int8)
    return pd.Categorical.from_codes(codes, dtype=STATUS_DTYPE)


def _times(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    return to_utc_ns(frame[column]) if len(frame) else (np.zeros(0, np.int64), np.zeros(0, bool))


#: The instants clocks_of reads, each turned into UTC ns once.
_INSTANTS = ("mql_at", "assigned_at", "responded_at", "kth_attempt_at", "decided_at")


def _clock_start(instants: dict, policy: SlaPolicy) -> np.ndarray:
    mql, _ = instants["mql_at"]
    if policy.sales.clock_starts == "mql":
        return mql
    assigned, unassigned = instants["assigned_at"]
    return np.where(unassigned, mql, np.maximum(mql, assigned))


def _business_time(
    calendar: BusinessCalendar, policy: SlaPolicy, start: np.ndarray, ends: dict, now: int
) -> dict[str, np.ndarray]:
    """Due times and business time elapsed for the rows of one calendar."""
    sales = policy.sales
    responded = np.where(ends["responded"][1], now, ends["responded"][0])
    decided = np.where(ends["decided"][1], now, ends["decided"][0])
    allowed = round(sales.first_response_hours * HOUR_NS)
    attempts_due = due_after_days(calendar, start, sales.attempts_within_days)
    same_days = sales.disposition_within_days == sales.attempts_within_days
    (to_response, _), (to_now, days_now), (_, to_decision) = elapsed_since(
        calendar, start, [responded, np.array([now], dtype=np.int64), decided]
    )
    return {
        "response_due": due_after_ns(calendar, start, allowed),
        "attempts_due": attempts_due,
        "disposition_due": attempts_due
        if same_days
        else due_after_days(calendar, start, sales.disposition_within_days),
        "response_ns": np.maximum(to_response, 0),
        "response_ns_now": np.maximum(to_now, 0),
        "days_now": np.maximum(days_now, 0.0),
        "disposition_days": np.maximum(to_decision, 0.0),
    }


def _per_calendar(
    frame: pd.DataFrame, policy: SlaPolicy, start: np.ndarray, instants: dict, now: int
) -> dict[str, np.ndarray]:
    row_calendar, calendars = _calendars(frame, policy.calendars)
    calendars = calendars or [policy.calendars.default]  # no rows: empty columns all the same
    ends = {"responded": instants["responded_at"], "decided": instants["decided_at"]}
    out: dict[str, np.ndarray] = {}
    # rows grouped by calendar with one stable sort, rather than a scan of all rows per calendar
    order = np.argsort(row_calendar, kind="stable")
    bounds = np.searchsorted(row_calendar[order], np.arange(len(calendars) + 1))
    for index, calendar in enumerate(calendars):
        rows = order[bounds[index] : bounds[index + 1]]
        subset = {name: (ns[rows], gone[rows]) for name, (ns, gone) in ends.items()}
        for name, values in _business_time(calendar, policy, start[rows], subset, now).items():
            out.setdefault(name, np.empty(len(frame), dtype=values.dtype))[rows] = values
    zones = np.array([c.timezone for c in calendars] or [""], dtype=object)
    out["calendar_zone"] = zones[row_calendar] if len(frame) else np.zeros(0, dtype=object)
    return out


def _now_ns(now: dt.datetime) -> int:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    return int(to_utc_ns([now])[0][0])


def _identity(
    frame: pd.DataFrame, instants: dict, times: dict, start: np.ndarray
) -> dict[str, object]:
    out: dict[str, object] = {"lead_id": frame["lead_id"].to_numpy()}
    out["mql_at"] = from_utc_ns(instants["mql_at"][0])  # not to_numpy(): objects, slow
    for name in ["segment", "lead_region", "rep_id", "manager_id"]:
        out[name] = frame[name].to_numpy()
    out["rep_region"] = frame["rep_region"].to_numpy()
    out["current_rep_id"] = frame["current_rep_id"].to_numpy()
    out["calendar_zone"] = times["calendar_zone"]
    out["clock_start"] = from_utc_ns(start)
    return out


def _response(instants: dict, sales: SalesCommitment, times: dict, now: int) -> dict:
    responded, waiting = instants["responded_at"]
    due = times["response_due"]
    left = (sales.first_response_hours * HOUR_NS - times["response_ns_now"]) / HOUR_NS
    share = left / sales.first_response_hours
    return {
        "response_due_at": from_utc_ns(due),
        "responded_at": from_utc_ns(responded, waiting),
        "response_hours": times["response_ns"] / HOUR_NS,
        "response_hours_left": np.where(waiting, left, np.nan),
        "response_status": _status(responded, waiting, due, now, share, sales.at_risk_share),
    }


def _attempts(
    frame: pd.DataFrame, instants: dict, sales: SalesCommitment, times: dict, now: int
) -> dict:
    kth, too_few = instants["kth_attempt_at"]
    due = times["attempts_due"]
    left = sales.attempts_within_days - times["days_now"]
    share = left / sales.attempts_within_days
    return {
        "attempts": frame["attempts"].to_numpy(dtype=np.int64),
        "kth_attempt_at": from_utc_ns(kth, too_few),
        "attempts_due_at": from_utc_ns(due),
        "attempts_days_left": np.where(too_few, left, np.nan),
        "attempts_status": _status(kth, too_few, due, now, share, sales.at_risk_share),
    }


def _disposition(
    frame: pd.DataFrame, instants: dict, sales: SalesCommitment, times: dict, now: int
) -> dict:
    decided, undecided = instants["decided_at"]
    due = times["disposition_due"]
    left = sales.disposition_within_days - times["days_now"]
    share = left / sales.disposition_within_days
    return {
        "decided_at": from_utc_ns(decided, undecided),
        "outcome": frame["outcome"].to_numpy(),
        "reason": frame["reason"].to_numpy(),
        "disposition_due_at": from_utc_ns(due),
        "disposition_days": times["disposition_days"],
        "disposition_days_left": np.where(undecided, left, np.nan),
        "disposition_status": _status(decided, undecided, due, now, share, sales.at_risk_share),
    }


def clocks_of(frame: pd.DataFrame, policy: SlaPolicy, *, now: dt.datetime) -> pd.DataFrame:
    """The SLA clocks of the MQL events gathered by :func:`~alinea.analytics.sla.gather.sla_facts`.

    Returns one row per event: identity (``lead_id``, ``mql_at``, ``segment``, ``lead_region``,
    ``rep_id``, ``manager_id``, ``rep_region``, ``current_rep_id``, ``calendar_zone``,
    ``clock_start``); the response clock (``response_due_at``, ``responded_at``,
    ``response_hours`` — business hours to the response, or so far —, ``response_hours_left``,
    ``response_status``); the attempts clock (``attempts``, ``kth_attempt_at``,
    ``attempts_due_at``, ``attempts_days_left``, ``attempts_status``); the disposition clock
    (``decided_at``, ``outcome``, ``reason``, ``disposition_due_at``, ``disposition_days`` —
    business days to the decision, or so far —, ``disposition_days_left``,
    ``disposition_status``); and ``recycle_due`` (undecided past the policy's unworked-lead
    window). ``*_left`` is NaN once the clock is done; statuses are categoricals of
    :data:`STATUSES`.
    """
    now_ns = _now_ns(now)
    instants = {name: _times(frame, name) for name in _INSTANTS}
    start = _clock_start(instants, policy)
    times = _per_calendar(frame, policy, start, instants, now_ns)
    out = _identity(frame, instants, times, start)
    out |= _response(instants, policy.sales, times, now_ns)
    out |= _attempts(frame, instants, policy.sales, times, now_ns)
    out |= _disposition(frame, instants, policy.sales, times, now_ns)
    unworked_after = policy.recycling.unworked_after_days
    undecided = instants["decided_at"][1]
    out["recycle_due"] = (
        undecided & (times["days_now"] >= unworked_after)
        if unworked_after is not None
        else np.zeros(len(frame), dtype=bool)
    )
    return pd.DataFrame(out)


def lead_clocks(
    facts: Facts, policy: SlaPolicy, *, period: Period, now: dt.datetime
) -> pd.DataFrame:
    """The SLA clocks of every MQL event in ``period``, as they stand at ``now``.

    Runs :func:`~alinea.analytics.sla.gather.sla_facts` on the warehouse (through
    :func:`alinea.analytics.run.fetch_arrow`) and :func:`clocks_of` on the result.

    >>> from alinea.warehouse import connect
    >>> from alinea.analytics.sla.calendar import BusinessCalendar
    >>> from alinea.analytics.sla.policy import (
    ...     CalendarRules, MarketingCommitment, SalesCommitment, SlaPolicy)
    >>> policy = SlaPolicy(
    ...     marketing=MarketingCommitment(targets=(), quality_floor=0.6),
    ...     sales=SalesCommitment(first_response_hours=4, attempts=3, attempts_within_days=5,
    ...                           disposition_within_days=10),
    ...     calendars=CalendarRules(BusinessCalendar.weekdays("Europe/Madrid", "09:00-18:00")))
    >>> now = dt.datetime(2025, 6, 2, 12, tzinfo=dt.UTC)
    >>> clocks = lead_clocks(Facts.of(connect("duckdb://")), policy,
    ...                      period=Period(dt.date(2025, 5, 1), dt.date(2025, 6, 1)), now=now)
    >>> len(clocks), list(clocks.columns[:3])
    (0, ['lead_id', 'mql_at', 'segment'])
    """
    gathered = run.fetch_arrow(sla_facts(facts, policy.sales, period=period, now=now))
    # Arrow straight to pandas: timestamps stay datetime64[us, UTC], which clocks_of reads as is
    frame = gathered.to_pandas(split_blocks=True, self_destruct=True)
    del gathered
    return clocks_of(frame, policy, now=now)
