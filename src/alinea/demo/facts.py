"""A simulated chunk as the warehouse's fact tables: codes become text, seconds become UTC times.

Only what has happened by the end of as_of is kept: later events are left out, deals closing
later are open, and each lead's owner is the rep it was last assigned to by then.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alinea.demo import catalogue, columns
from alinea.demo.chunk import ChunkHistory
from alinea.demo.companies import COUNTRIES
from alinea.demo.company import DemoCompany
from alinea.demo.deals import CURRENCY, DEAL_STAGES
from alinea.demo.lifecycle import DEFINITION_VERSIONS
from alinea.demo.people import actor_codes, actor_labels
from alinea.demo.profiles import CHANNEL_PROFILES
from alinea.demo.rows import Rows
from alinea.demo.sales_work import ACTIVITY_OUTCOMES, ACTIVITY_TYPES, REASONS
from alinea.warehouse.schema import (
    CHANNELS,
    DEAL_STATUSES,
    DISPOSITION_OUTCOMES,
    LIFECYCLE_STAGES,
    SEGMENTS,
    TOUCHPOINT_TYPES,
)

LEAD_ID_WIDTH = 7


def _lead_ids(history: ChunkHistory, lead: np.ndarray) -> pd.Series:
    return columns.ids("L", history.leads.number[lead], LEAD_ID_WIDTH)


def _by_time(rows: Rows, horizon: int) -> Rows:
    """The rows that happened by ``horizon``, ordered by lead and time."""
    return rows.where(rows["at"] <= horizon).ordered("lead", "at")


def _owners(assignments: Rows, count: int) -> np.ndarray:
    """Per lead, the rep of its latest assignment (-1 if never assigned)."""
    last = np.r_[assignments["lead"][1:] != assignments["lead"][:-1], True]
    owner = np.full(count, -1)
    owner[assignments["lead"][last]] = assignments["rep"][last]
    return owner


def leads_frame(company: DemoCompany, history: ChunkHistory, owner: np.ndarray) -> pd.DataFrame:
    leads, labels, book = history.leads, company.labels, company.companies
    everyone = np.arange(len(leads))
    return pd.DataFrame(
        {
            "lead_id": _lead_ids(history, everyone),
            "created_at": columns.utc(leads.created),
            "channel": columns.labels(CHANNELS, leads.channel),
            "source": columns.labels(labels.sources, leads.source),
            "campaign": columns.labels(labels.campaigns, leads.campaign),
            "landing_page": columns.labels(labels.pages, leads.page),
            "segment": columns.labels(SEGMENTS, leads.segment),
            "industry": columns.labels(catalogue.INDUSTRIES, book.industry(leads.company)),
            "company": columns.text(book.names(leads.company, leads.country)),
            "company_size": book.employees(leads.company, leads.segment),
            "country": columns.labels(COUNTRIES, leads.country),
            "region": columns.labels(catalogue.REGION_NAMES, leads.region),
            "job_role": columns.labels(catalogue.JOB_ROLES, leads.job_role),
            "owner_id": columns.labels(company.staff.ids, owner),
        }
    )


def stage_changes_frame(company: DemoCompany, history: ChunkHistory, rows: Rows) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lead_id": _lead_ids(history, rows["lead"]),
            "stage": columns.labels(LIFECYCLE_STAGES, rows["stage"]),
            "changed_at": columns.utc(rows["at"]),
            "changed_by": columns.labels(actor_labels(company.staff), actor_codes(rows["by"])),
            "definition_version": columns.labels(DEFINITION_VERSIONS, rows["version"]),
        }
    )


def assignments_frame(company: DemoCompany, history: ChunkHistory, rows: Rows) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lead_id": _lead_ids(history, rows["lead"]),
            "rep_id": columns.labels(company.staff.ids, rows["rep"]),
            "assigned_at": columns.utc(rows["at"]),
            "assigned_by": columns.labels(actor_labels(company.staff), actor_codes(rows["by"])),
        }
    )


def activities_frame(company: DemoCompany, history: ChunkHistory, rows: Rows) -> pd.DataFrame:
    numbers = history.leads.number[rows["lead"]]
    rank = columns.rank_within(rows["lead"])
    return pd.DataFrame(
        {
            "activity_id": columns.sub_ids("A", numbers, LEAD_ID_WIDTH, rank, 2),
            "lead_id": _lead_ids(history, rows["lead"]),
            "rep_id": columns.labels(company.staff.ids, rows["rep"]),
            "occurred_at": columns.utc(rows["at"]),
            "type": columns.labels(ACTIVITY_TYPES, rows["type"]),
            "outcome": columns.labels(ACTIVITY_OUTCOMES, rows["outcome"]),
        }
    )


def dispositions_frame(company: DemoCompany, history: ChunkHistory, rows: Rows) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lead_id": _lead_ids(history, rows["lead"]),
            "rep_id": columns.labels(company.staff.ids, rows["rep"]),
            "decided_at": columns.utc(rows["at"]),
            "outcome": columns.labels(DISPOSITION_OUTCOMES, rows["outcome"]),
            "reason": columns.labels(REASONS, rows["reason"]),
        }
    )


def deals_frame(company: DemoCompany, history: ChunkHistory, horizon: int) -> pd.DataFrame:
    deals = history.deals.where(history.deals.created_at <= horizon)
    status = deals.status(horizon)
    closed = status != DEAL_STATUSES.index("open")
    lost = status == DEAL_STATUSES.index("lost")
    return pd.DataFrame(
        {
            "deal_id": columns.ids("D", history.leads.number[deals.lead], LEAD_ID_WIDTH),
            "lead_id": _lead_ids(history, deals.lead),
            "account": columns.text(
                company.companies.names(
                    history.leads.company[deals.lead], history.leads.country[deals.lead]
                )
            ),
            "product": columns.labels(catalogue.PRODUCTS, deals.product),
            "rep_id": columns.labels(company.staff.ids, deals.ae),
            "created_at": columns.utc(deals.created_at),
            "closed_at": columns.utc(deals.closes_at, present=closed),
            "stage": columns.labels(DEAL_STAGES, deals.stage(horizon)),
            "status": columns.labels(DEAL_STATUSES, status),
            "amount": deals.amount,
            "currency": columns.labels([CURRENCY], np.zeros(len(deals.lead), dtype=np.int64)),
            "lost_reason": columns.labels(
                catalogue.LOST_REASONS, np.where(lost, deals.lost_reason, -1)
            ),
        }
    )


def touchpoints_frame(company: DemoCompany, history: ChunkHistory, rows: Rows) -> pd.DataFrame:
    numbers = history.leads.number[rows["lead"]]
    rank = columns.rank_within(rows["lead"])
    labels = company.labels
    media = [p.medium for p in CHANNEL_PROFILES]
    return pd.DataFrame(
        {
            "touchpoint_id": columns.sub_ids("T", numbers, LEAD_ID_WIDTH, rank, 2),
            "lead_id": _lead_ids(history, rows["lead"]),
            "occurred_at": columns.utc(rows["at"]),
            "type": columns.labels(TOUCHPOINT_TYPES, rows["type"]),
            "channel": columns.labels(CHANNELS, rows["channel"]),
            "source": columns.labels(labels.sources, rows["source"]),
            "medium": columns.labels(media, rows["channel"]),
            "campaign": columns.labels(labels.campaigns, rows["campaign"]),
            "landing_page": columns.labels(labels.pages, rows["page"]),
        }
    )


def chunk_facts(company: DemoCompany, history: ChunkHistory) -> dict[str, pd.DataFrame]:
    """The chunk's facts per fact table, as of the end of the history."""
    horizon = company.window.horizon
    assignments = _by_time(history.assignments, horizon)
    owner = _owners(assignments, len(history.leads))
    return {
        "leads": leads_frame(company, history, owner),
        "stage_changes": stage_changes_frame(
            company, history, _by_time(history.stage_changes, horizon)
        ),
        "touchpoints": touchpoints_frame(company, history, _by_time(history.touchpoints, horizon)),
        "assignments": assignments_frame(company, history, assignments),
        "activities": activities_frame(company, history, _by_time(history.activities, horizon)),
        "dispositions": dispositions_frame(
            company, history, _by_time(history.dispositions, horizon)
        ),
        "deals": deals_frame(company, history, horizon),
    }
