"""One chunk of leads, simulated end to end: qualification, sales work, deals and touchpoints.

Everything is vectorised over the chunk's leads; no Python loop runs per lead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alinea.demo import lifecycle as stages
from alinea.demo.company import DemoCompany
from alinea.demo.deals import Deals, open_deals
from alinea.demo.handoff import deal_meetings, hand_off
from alinea.demo.leads import Leads, draw_leads
from alinea.demo.people import system_actor
from alinea.demo.profiles import SEGMENT_PROFILES
from alinea.demo.rows import Rows
from alinea.demo.sales_work import MqlWork, work_mqls
from alinea.demo.timeline import NEVER
from alinea.demo.touchpoints import journeys


@dataclass(frozen=True)
class ChunkHistory:
    """Everything that happens to a chunk's leads, including what would happen after as_of."""

    leads: Leads
    stage_changes: Rows
    assignments: Rows
    activities: Rows
    dispositions: Rows
    deals: Deals
    touchpoints: Rows


def _mql_rounds(
    company: DemoCompany, leads: Leads, mql_at: np.ndarray, rng: np.random.Generator
) -> tuple[MqlWork, MqlWork]:
    """Sales work on first-time MQLs, then on the recycled ones that qualify again (same SDR)."""
    staff = company.staff
    lead = np.flatnonzero(mql_at < NEVER)
    boost = np.where(mql_at[lead] >= company.switch_at, stages.V2_ACCEPT_BOOST, 1.0)
    sdr = staff.pick_sdrs(leads.region[lead], rng)
    first = work_mqls(
        lead, mql_at[lead], sdr, leads=leads, staff=staff, rng=rng, accept_boost=boost
    )
    again, requalified_at = stages.requalify(first, rng)
    boost = np.where(requalified_at[again] >= company.switch_at, stages.V2_ACCEPT_BOOST, 1.0)
    second = work_mqls(
        first.lead[again],
        requalified_at[again],
        first.rep[again],
        leads=leads,
        staff=staff,
        rng=rng,
        accept_boost=boost * stages.REQUALIFIED_ACCEPT_BOOST,
    )
    return first, second


def _stage_changes(
    company: DemoCompany,
    leads: Leads,
    marketing: stages.Qualification,
    rounds: tuple[MqlWork, MqlWork],
    sales: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    deals: Deals,
) -> Rows:
    """Every stage change of the chunk, along each lead's path."""
    sql_at, qualified_by, opportunity_at, ae = sales
    everyone = np.arange(len(leads))
    won_at = np.where(deals.won, deals.closes_at, NEVER)
    return Rows.concat(
        [
            stages.stage_rows(
                stages.SUBSCRIBER, everyone, marketing.subscriber_at, system_actor("system")
            ),
            stages.stage_rows(stages.LEAD, everyone, leads.created, system_actor("web-form")),
            *(stages.mql_rows(r.lead, r.mql_at, company.switch_at) for r in rounds),
            *(stages.recycled_rows(r) for r in rounds),
            stages.stage_rows(stages.SQL, everyone, sql_at, qualified_by),
            stages.stage_rows(stages.OPPORTUNITY, everyone, opportunity_at, ae),
            stages.stage_rows(stages.CUSTOMER, deals.lead, won_at, deals.ae),
        ]
    )


def simulate_chunk(
    company: DemoCompany, first: int, count: int, rng: np.random.Generator
) -> ChunkHistory:
    """Leads ``first`` … ``first + count - 1`` of the plan and all that happens to them."""
    window, staff = company.window, company.staff
    leads = draw_leads(
        company.plan,
        first,
        count,
        window=window,
        labels=company.labels,
        companies=company.companies,
        rng=rng,
    )
    marketing = stages.qualify(
        leads, window_start=window.start, switch_at=company.switch_at, rng=rng
    )
    rounds = _mql_rounds(company, leads, marketing.mql_at, rng)
    sql_at, qualified_by = stages.sales_qualified(
        leads, list(rounds), marketing.demo_request_at, rng
    )
    handoff = hand_off(leads, sql_at, qualified_by, staff=staff, rng=rng)
    opportunity_at = stages.opportunities(leads, handoff.discovery_at, rng)
    deals = open_deals(leads, opportunity_at, handoff.ae, rng)
    pace = np.array([p.pace for p in SEGMENT_PROFILES])[leads.segment[deals.lead]]
    meetings = deal_meetings(
        deals.lead, deals.ae, deals.created_at, deals.closes_at, pace=pace, staff=staff, rng=rng
    )
    sales = (sql_at, qualified_by, opportunity_at, handoff.ae)
    nurtured = (marketing.mql_at < NEVER) | (marketing.subscriber_at < NEVER)
    touchpoints = journeys(
        leads,
        nurtured,
        window_start=window.start,
        campaigns=company.campaigns,
        labels=company.labels,
        rng=rng,
    )
    return ChunkHistory(
        leads=leads,
        stage_changes=_stage_changes(company, leads, marketing, rounds, sales, deals),
        assignments=Rows.concat([*(r.assignments() for r in rounds), handoff.assignments]),
        activities=Rows.concat([*(r.activities for r in rounds), handoff.activities, meetings]),
        dispositions=Rows.concat([r.dispositions() for r in rounds]),
        deals=deals,
        touchpoints=touchpoints,
    )
