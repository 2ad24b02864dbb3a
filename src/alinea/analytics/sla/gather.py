"""The facts behind each SLA clock, one row per MQL event, as one Ibis expression.

This half of the SLA runs on the warehouse engine (DuckDB, PostgreSQL, …): the joins and
aggregates that reduce every MQL's assignments, activities and dispositions to a handful of
instants. Firsts and lasts are ``argmin``/``argmax`` aggregates, not ranking windows (a window
sorts every fact of every event); the events, the one window left (each lead's next MQL event),
are a named CTE, computed once for the three joins that read them. The business-time half
(:mod:`alinea.analytics.sla.clocks`) then works on those instants in numpy.

An **MQL event** is a lead entering the MQL stage; a lead recycled and qualified again has a new
event, with its own clocks. Facts belong to the event they follow: from its ``mql_at`` (included)
to the lead's next MQL event (excluded). Only facts up to ``now`` count, so a clock can be replayed
as it stood at any moment.
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.datatypes as idt
import ibis.expr.types as ir

from alinea.analytics.facts import Facts
from alinea.analytics.periods import Period
from alinea.analytics.sla.policy import SalesCommitment

EVENT_KEY = ("lead_id", "mql_at")


def utc_literal(now: dt.datetime) -> ir.TimestampScalar:
    """``now`` as an Ibis UTC timestamp; naive datetimes are refused."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    return ibis.timestamp(now.astimezone(dt.UTC))


def mql_events(facts: Facts, *, now: dt.datetime) -> ir.Table:
    """Every MQL event up to ``now``: ``lead_id``, ``mql_at`` and ``next_mql_at`` (the lead's
    next MQL event, or null)."""
    changes = facts.stage_changes
    mqls = changes.filter(changes.stage == "mql", changes.changed_at <= utc_literal(now))
    window = ibis.window(group_by=mqls.lead_id, order_by=mqls.changed_at)
    return mqls.select(
        mqls.lead_id,
        mql_at=mqls.changed_at,
        next_mql_at=mqls.changed_at.lead().over(window),
    )


def _in_event(events: ir.Table, table: ir.Table, instant: str) -> list[ir.BooleanValue]:
    at = table[instant]
    return [
        events.lead_id == table.lead_id,
        at >= events.mql_at,
        events.next_mql_at.isnull() | (at < events.next_mql_at),
    ]


def _assignment(events: ir.Table, facts: Facts, now: ir.TimestampScalar) -> ir.Table:
    """The rep of each event: the latest assignment at or before the MQL, else the first after;
    and the lead's current owner: its latest assignment up to ``now`` (``current_rep_id``).

    Aggregates rather than a ranking window (several times faster on a million events); of two
    assignments of the lead at the very same instant, either may be the event's rep, and the
    greatest ``rep_id`` is the current owner. The owner reads every assignment of the lead, so
    the next event's bound is a filter of the event's rep, not of the join.
    """
    assignments = facts.assignments.select("lead_id", "rep_id", "assigned_at")
    assignments = assignments.filter(assignments.assigned_at <= now)
    joined = events.join(assignments, events.lead_id == assignments.lead_id).select(
        events.lead_id,
        events.mql_at,
        events.next_mql_at,
        assignments.rep_id,
        assignments.assigned_at,
    )
    at = joined.assigned_at
    in_event = joined.next_mql_at.isnull() | (at < joined.next_mql_at)
    before, after = in_event & (at <= joined.mql_at), in_event & (at > joined.mql_at)
    found = joined.group_by(*EVENT_KEY).aggregate(
        last_before=at.max(where=before),
        rep_before=joined.rep_id.argmax(at, where=before),
        first_after=at.min(where=after),
        rep_after=joined.rep_id.argmin(at, where=after),
        # a (time, rep) key: the latest, then the greatest rep (PostgreSQL has no FIRST)
        current_rep_id=joined.rep_id.argmax(ibis.struct({"at": at, "rep": joined.rep_id})),
    )
    missing = found.last_before.isnull()
    return found.select(
        *EVENT_KEY,
        rep_id=ibis.ifelse(missing, found.rep_after, found.rep_before),
        assigned_at=found.last_before.fill_null(found.first_after),
        current_rep_id=found.current_rep_id,
    )


_UTC_INSTANT = idt.Timestamp(timezone="UTC")


@ibis.udf.agg.builtin(name="min", signature=((_UTC_INSTANT, idt.int64), idt.Array(_UTC_INSTANT)))
def _smallest(arg, n):
    """DuckDB's ``min(arg, n)``: the ``n`` smallest values, in order (duplicates kept)."""


def _kth_smallest(at: ir.TimestampColumn, k: int) -> ir.TimestampScalar:
    """The K-th of the group's instants in order: DuckDB keeps only the K smallest of each group
    (a bounded heap); other engines sort the whole array."""
    if ibis.get_backend(at).name == "duckdb":
        return _smallest(at, k)[k - 1]
    return at.collect().sort()[k - 1]


def _contacts(
    events: ir.Table, facts: Facts, sales: SalesCommitment, now: ir.TimestampScalar
) -> ir.Table:
    """First contact, the K-th contact and the number of contacts of each event.

    The K-th contact instant is the K-th of the event's contact instants in order (an array
    aggregate: no ranking window, which cost most of the gather on a million events).
    ``responder_id`` is the rep of a first contact (any of them when several share the instant).
    """
    activities = facts.activities.select("lead_id", "occurred_at", "rep_id", "type")
    contacts = activities.filter(
        activities.type.isin(list(sales.contact_types)), activities.occurred_at <= now
    )
    joined = events.join(contacts, _in_event(events, contacts, "occurred_at")).select(
        events.lead_id, events.mql_at, contacts.occurred_at, contacts.rep_id
    )
    return joined.group_by(*EVENT_KEY).aggregate(
        responded_at=joined.occurred_at.min(),
        responder_id=joined.rep_id.argmin(joined.occurred_at),
        attempts=joined.count(),
        kth_attempt_at=_kth_smallest(joined.occurred_at, sales.attempts),
    )


def first_dispositions(events: ir.Table, facts: Facts, *, now: dt.datetime) -> ir.Table:
    """The first disposition of each event: ``decided_at``, ``outcome``, ``reason``,
    ``decided_by``; events without one have no row.

    Aggregates rather than a ranking window. The natural key (``lead_id``, ``decided_at``)
    leaves no two dispositions of a lead at one instant; should a warehouse hold some anyway,
    the outcome first in alphabetical order is taken (and a reason and rep of that instant).
    """
    dispositions = facts.dispositions.select("lead_id", "decided_at", "outcome", "reason", "rep_id")
    dispositions = dispositions.filter(dispositions.decided_at <= utc_literal(now))
    joined = events.join(dispositions, _in_event(events, dispositions, "decided_at")).select(
        events.lead_id,
        events.mql_at,
        dispositions.decided_at,
        dispositions.outcome,
        dispositions.reason,
        dispositions.rep_id,
    )
    at = joined.decided_at
    return joined.group_by(*EVENT_KEY).aggregate(
        decided_at=at.min(),
        outcome=joined.outcome.argmin(ibis.struct({"at": at, "outcome": joined.outcome})),
        reason=joined.reason.argmin(at),
        decided_by=joined.rep_id.argmin(at),
    )


def sla_facts(
    facts: Facts, sales: SalesCommitment, *, period: Period, now: dt.datetime
) -> ir.Table:
    """One row per MQL event whose ``mql_at`` falls in ``period`` (and is not after ``now``).

    Columns: ``lead_id``, ``mql_at``, ``segment``, ``lead_region``; the rep of the event
    (``rep_id``, ``assigned_at``, ``manager_id``, ``rep_region``, ``rep_timezone``) and the lead's
    current owner (``current_rep_id``: latest assignment, else ``leads.owner_id``); contacts
    (``responded_at``, ``responder_id``, ``attempts``, ``kth_attempt_at`` — the instant of the
    K-th contact attempt); the first disposition (``decided_at``, ``outcome``, ``reason``,
    ``decided_by``). Missing facts are null; ``attempts`` is 0 without contacts.
    """
    at = utc_literal(now)
    events = mql_events(facts, now=now)
    # a named CTE: computed once, not once per join that reads it
    events = events.filter(period.contains(events.mql_at)).alias("sla_events")
    leads, people = facts.leads, facts.people
    assigned = _assignment(events, facts, at)
    contacts = _contacts(events, facts, sales, at)
    decided = first_dispositions(events, facts, now=now)
    keys = [events[k] for k in EVENT_KEY]
    joined = (
        events.left_join(leads, events.lead_id == leads.lead_id)
        .left_join(assigned, [assigned[k] == key for k, key in zip(EVENT_KEY, keys, strict=True)])
        .left_join(people, assigned.rep_id == people.person_id)
        .left_join(contacts, [contacts[k] == key for k, key in zip(EVENT_KEY, keys, strict=True)])
        .left_join(decided, [decided[k] == key for k, key in zip(EVENT_KEY, keys, strict=True)])
    )
    return joined.select(
        events.lead_id,
        events.mql_at,
        leads.segment,
        lead_region=leads.region,
        rep_id=assigned.rep_id,
        assigned_at=assigned.assigned_at,
        manager_id=people.manager_id,
        rep_region=people.region,
        rep_timezone=people.timezone,
        current_rep_id=assigned.current_rep_id.fill_null(leads.owner_id),
        responded_at=contacts.responded_at,
        responder_id=contacts.responder_id,
        attempts=contacts.attempts.fill_null(0),
        kth_attempt_at=contacts.kth_attempt_at,
        decided_at=decided.decided_at,
        outcome=decided.outcome,
        reason=decided.reason,
        decided_by=decided.decided_by,
    )
