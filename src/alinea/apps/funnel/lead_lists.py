"""The leads behind a number: every count on the funnel page links to the list of its leads.

A list is a *kind* (registered in ``LEAD_LISTS``) plus a ``ListSelection`` naming the cell:

- ``reached``: the leads counted at a step (``stage``), optionally of one breakdown ``value`` and
  one cohort period (``cohort``, the first day of a period of ``params.grain``). On the cohort
  basis the period is that of the lead's entry into step 1, on the event basis that of the step —
  the same rule as ``alinea.analytics.funnel.funnel``, so a list has exactly as many leads as the
  number it stands behind;
- ``dropped``: leads of mature cohorts whose last step was ``stage`` (``funnel.drop_offs``);
- ``stalled``: leads sitting in ``stage`` longer than its threshold (``funnel.stalls``);
- ``converted``: leads that went from ``from_stage`` to ``to_stage`` in a number of days within
  histogram ``bin`` (``funnel.timing``).

Each list is ordered, paged in the engine, and carries the lead's channel, segment, campaign,
region and owner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from alinea.analytics.facts import Facts
from alinea.analytics.funnel import DEFAULT_BIN_EDGES, GRAINS, drop_offs, lead_steps
from alinea.analytics.funnel.breakdown import with_breakdown
from alinea.analytics.funnel.stalls import stalled_leads
from alinea.analytics.funnel.timing import conversion_days
from alinea.analytics.periods import Period
from alinea.apps.funnel.params import FunnelParams, ParameterError
from alinea.apps.funnel.selectors import Row, records, stall_spec
from alinea.apps.funnel.source import FactSource

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
#: Columns every list carries after its own, from ``leads`` and ``people``.
LEAD_COLUMNS: tuple[str, ...] = ("channel", "segment", "campaign", "region", "owner_name")


@dataclass(frozen=True)
class ListSelection:
    """Which cell's leads to list (see the module docstring)."""

    kind: str
    stage: str | None = None
    value: str | None = None
    cohort: dt.date | None = None
    bin: int | None = None


Build = Callable[[Facts, FunnelParams, ListSelection], ir.Table]


@dataclass(frozen=True)
class LeadList:
    """A kind of list: its own columns (after ``lead_id``), its order and how to build it."""

    columns: tuple[str, ...]
    order: tuple[str, ...]
    build: Build
    needs_stage: bool = True


def _cohort_period(params: FunnelParams, cohort: dt.date) -> Period:
    grain = GRAINS[params.grain]
    start = grain.start_of(cohort)
    if start != cohort:
        raise ParameterError("cohort", f"{cohort} is not the first day of a {params.grain}")
    step = {"week": 7, "month": 31, "quarter": 92}[params.grain]
    return Period(start, grain.start_of(start + dt.timedelta(days=step)))


def _by_value(table: ir.Table, selection: ListSelection) -> ir.Table:
    if selection.value is None:
        return table
    return table.filter(table.breakdown == selection.value)


def _reached(facts: Facts, params: FunnelParams, selection: ListSelection) -> ir.Table:
    spec = params.spec(grain=None)
    assert selection.stage is not None
    step = spec.step_of(selection.stage)
    leads = with_breakdown(facts, lead_steps(facts, spec, params.now), spec.breakdown, spec.top_n)
    anchor = f"step_{1 if params.basis == 'cohort' else step}_at"
    kept = leads.filter(leads[f"step_{step}_at"].notnull(), params.period.contains(leads[anchor]))
    if selection.cohort is not None:
        period = _cohort_period(params, selection.cohort)
        kept = kept.filter(period.contains(kept[anchor]))
    kept = _by_value(kept, selection)
    return kept.select("lead_id", "breakdown", reached_at=kept[f"step_{step}_at"])


def _dropped(facts: Facts, params: FunnelParams, selection: ListSelection) -> ir.Table:
    dropped = drop_offs(facts, params.spec(grain=params.grain), params.now)
    if selection.stage is not None:
        dropped = dropped.filter(dropped.stage == selection.stage)
    dropped = _by_value(dropped, selection)
    if selection.cohort is not None:
        dropped = dropped.filter(dropped.period == ibis.literal(selection.cohort))
    return dropped.select("lead_id", "breakdown", "stage", "next_stage", "reached_at")


def _stalled(facts: Facts, params: FunnelParams, selection: ListSelection) -> ir.Table:
    stalled = stalled_leads(facts, stall_spec(params), params.now)
    if selection.stage is not None:
        stalled = stalled.filter(stalled.stage == selection.stage)
    return stalled.select("lead_id", "stage", "entered_at", "age_days", "threshold_days")


def _converted(facts: Facts, params: FunnelParams, selection: ListSelection) -> ir.Table:
    days = conversion_days(
        facts,
        params.spec(grain=None),
        params.now,
        from_stage=params.from_stage,
        to_stage=params.to_stage,
    )
    days = _by_value(days, selection)
    if selection.bin is not None:
        lower = DEFAULT_BIN_EDGES[selection.bin]
        days = days.filter(days.days >= lower)
        if selection.bin + 1 < len(DEFAULT_BIN_EDGES):
            days = days.filter(days.days < DEFAULT_BIN_EDGES[selection.bin + 1])
    return days.select("lead_id", "breakdown", "days")


LEAD_LISTS: dict[str, LeadList] = {
    "reached": LeadList(("breakdown", "reached_at"), ("reached_at", "lead_id"), _reached),
    "dropped": LeadList(
        ("breakdown", "stage", "next_stage", "reached_at"),
        ("reached_at", "lead_id"),
        _dropped,
        needs_stage=False,
    ),
    "stalled": LeadList(
        ("stage", "entered_at", "age_days", "threshold_days"),
        ("-age_days", "lead_id"),
        _stalled,
        needs_stage=False,
    ),
    "converted": LeadList(("breakdown", "days"), ("days", "lead_id"), _converted, False),
}


def _optional(values: Mapping[str, str], name: str) -> str | None:
    text = (values.get(name) or "").strip()
    return text or None


def list_selection(values: Mapping[str, str], params: FunnelParams) -> ListSelection:
    """Read ``kind``, ``stage``, ``value``, ``cohort`` and ``bin``; ``ParameterError`` if wrong."""
    kind = _optional(values, "kind") or "reached"
    if kind not in LEAD_LISTS:
        raise ParameterError("kind", f"unknown list {kind!r}; use one of {', '.join(LEAD_LISTS)}")
    stage = _optional(values, "stage")
    stages = stall_spec(params).watched if kind == "stalled" else params.stages
    if stage is None and LEAD_LISTS[kind].needs_stage:
        raise ParameterError("stage", f"name the step whose leads to list: {', '.join(stages)}")
    if stage is not None and stage not in stages:
        raise ParameterError("stage", f"{stage!r} is not one of {', '.join(stages)}")
    cohort_text = _optional(values, "cohort")
    try:
        cohort = dt.date.fromisoformat(cohort_text) if cohort_text else None
    except ValueError:
        raise ParameterError("cohort", f"{cohort_text!r} is not a date (YYYY-MM-DD)") from None
    if cohort is not None:
        _cohort_period(params, cohort)
    bin_text = _optional(values, "bin")
    if bin_text is not None and (not bin_text.isdigit() or int(bin_text) >= len(DEFAULT_BIN_EDGES)):
        raise ParameterError("bin", f"use a bin number from 0 to {len(DEFAULT_BIN_EDGES) - 1}")
    value = _optional(values, "value")
    return ListSelection(kind, stage, value, cohort, int(bin_text) if bin_text else None)


def _with_lead_details(facts: Facts, listed: ir.Table) -> ir.Table:
    leads = facts.leads.select(
        "channel", "segment", "campaign", "region", "owner_id", detail_lead="lead_id"
    )
    people = facts.people.select(owner_person="person_id", owner_name="name")
    joined = listed.left_join(leads, listed.lead_id == leads.detail_lead)
    named = joined.left_join(people, joined.owner_id == people.owner_person)
    return named.drop("detail_lead", "owner_person")


def _ordered(table: ir.Table, order: tuple[str, ...]) -> ir.Table:
    keys = [ibis.desc(key[1:]) if key.startswith("-") else ibis.asc(key) for key in order]
    return table.order_by(keys)


def lead_list(
    facts: Facts,
    params: FunnelParams,
    selection: ListSelection,
    *,
    page: tuple[int, int] | None = None,
) -> ir.Table:
    """The whole list as an expression: ``lead_id``, the kind's columns, then ``LEAD_COLUMNS``
    and ``owner_id``, in the kind's order; only the rows of ``page`` (limit, offset) if given.

    The lead details are joined after paging: each list row has one lead, and leads and people
    have one row per id, so the joins neither add nor drop rows.
    """
    kind = LEAD_LISTS[selection.kind]
    listed = _ordered(kind.build(facts, params, selection), kind.order)
    if page is not None:
        listed = listed.limit(page[0], offset=page[1])
    detailed = _with_lead_details(facts, listed)
    return _ordered(
        detailed.select("lead_id", *kind.columns, *LEAD_COLUMNS, "owner_id"), kind.order
    )


def list_columns(selection: ListSelection) -> tuple[str, ...]:
    return ("lead_id", *LEAD_LISTS[selection.kind].columns, *LEAD_COLUMNS)


@dataclass(frozen=True)
class LeadPage:
    count: int
    page: int
    size: int
    columns: tuple[str, ...]
    rows: list[Row]

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.size))


def lead_page(
    source: FactSource,
    params: FunnelParams,
    selection: ListSelection,
    *,
    page: int = 1,
    size: int = DEFAULT_PAGE_SIZE,
) -> LeadPage:
    """One page (numbered from 1) of the list; a page past the end is empty."""

    def counted() -> ir.Table:
        listed = LEAD_LISTS[selection.kind].build(source.facts, params, selection)
        return listed.aggregate(leads=listed.count())

    count = int(source.fetch(("list-count", params, selection), counted)["leads"].iloc[0])
    frame = source.fetch(
        ("list-page", params, selection, page, size),
        lambda: lead_list(source.facts, params, selection, page=(size, (page - 1) * size)),
    )
    return LeadPage(count, page, size, list_columns(selection), records(frame))


def lead_rows(source: FactSource, params: FunnelParams, selection: ListSelection) -> list[Row]:
    """Every row of the list (for CSV export)."""
    key = ("list-all", params, selection)
    return records(source.fetch(key, lambda: lead_list(source.facts, params, selection)))
