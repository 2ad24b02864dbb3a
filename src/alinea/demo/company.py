"""The demo company as a whole: its history window, campaigns, lead plan, accounts and staff.

Everything here is decided once per build, from the seed; the chunks of leads then fill in detail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from alinea.demo.campaigns import Campaign, plan_campaigns
from alinea.demo.companies import Companies, company_book
from alinea.demo.leads import Labels, label_streams
from alinea.demo.lifecycle import definition_switch
from alinea.demo.people import Staff, hire_staff
from alinea.demo.timeline import Window, history_window
from alinea.demo.volume import LeadPlan, plan_leads


@dataclass(frozen=True)
class DemoCompany:
    window: Window
    campaigns: tuple[Campaign, ...]
    labels: Labels
    plan: LeadPlan
    companies: Companies
    staff: Staff
    #: When the stricter MQL definition (mql-v2) took effect.
    switch_at: int


def found_company(leads: int, seed: int, as_of: dt.date, rng: np.random.Generator) -> DemoCompany:
    """The company with ``leads`` leads over the 15 months ending at ``as_of``."""
    window = history_window(as_of)
    campaigns = plan_campaigns(window)
    return DemoCompany(
        window=window,
        campaigns=campaigns,
        labels=label_streams(campaigns),
        plan=plan_leads(campaigns, window, leads, rng),
        companies=company_book(leads, seed),
        staff=hire_staff(leads, window, rng),
        switch_at=definition_switch(window.first_day, window.last_day),
    )
