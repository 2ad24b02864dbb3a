"""Deals: one per opportunity, owned by the lead's AE, won or lost after a segment-typical cycle.

Amounts are lognormal by segment (USD): small businesses ~5–15k, mid-market ~20–60k, enterprise
~80–400k. A deal still open at as_of has no closed_at and sits in an open pipeline stage.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from alinea.demo import catalogue
from alinea.demo.leads import Leads
from alinea.demo.profiles import CHANNEL_PROFILES, SEGMENT_PROFILES
from alinea.demo.timeline import DAY, NEVER, lognormal_seconds

CURRENCY = "USD"
#: Deal stages: the open pipeline stages, then the two closed ones.
DEAL_STAGES = (*catalogue.OPEN_DEAL_STAGES, "closed won", "closed lost")
OPEN, WON, LOST = 0, 1, 2


@dataclass(frozen=True)
class Deals:
    """Deals of the chunk's opportunities; ``lead`` is the chunk position of each deal's lead."""

    lead: np.ndarray
    ae: np.ndarray
    created_at: np.ndarray
    #: When the deal closes (it may be after as_of: then it is still open).
    closes_at: np.ndarray
    won: np.ndarray
    amount: np.ndarray
    product: np.ndarray
    lost_reason: np.ndarray

    def where(self, mask: np.ndarray) -> Deals:
        """The deals where ``mask`` holds."""
        return Deals(**{f.name: getattr(self, f.name)[mask] for f in fields(self)})

    def status(self, horizon: int) -> np.ndarray:
        closed = self.closes_at <= horizon
        return np.where(closed, np.where(self.won, WON, LOST), OPEN)

    def stage(self, horizon: int) -> np.ndarray:
        """Open deals advance through the pipeline stages as their cycle elapses."""
        elapsed = (horizon - self.created_at) / np.maximum(self.closes_at - self.created_at, 1)
        steps = len(catalogue.OPEN_DEAL_STAGES)
        open_stage = np.minimum((np.clip(elapsed, 0, 1) * steps).astype(np.int64), steps - 1)
        status = self.status(horizon)
        return np.select([status == WON, status == LOST], [steps, steps + 1], open_stage)


def _amounts(segment: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    median = np.array([p.amount_median for p in SEGMENT_PROFILES])[segment]
    sigma = np.array([p.amount_sigma for p in SEGMENT_PROFILES])[segment]
    low = np.array([p.amount_bounds[0] for p in SEGMENT_PROFILES])[segment]
    high = np.array([p.amount_bounds[1] for p in SEGMENT_PROFILES])[segment]
    amount = median * np.exp(sigma * rng.standard_normal(len(segment)))
    return np.round(np.clip(amount, low, high), -2)


def _products(segment: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    weights = np.array([p.product_weights for p in SEGMENT_PROFILES], float)
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)[segment]
    return (rng.random(len(segment))[:, None] > cumulative[:, :-1]).sum(axis=1)


def open_deals(
    leads: Leads, opportunity_at: np.ndarray, ae: np.ndarray, rng: np.random.Generator
) -> Deals:
    """A deal for every lead that became an opportunity, with its eventual outcome."""
    lead = np.flatnonzero(opportunity_at < NEVER)
    n = len(lead)
    segment = leads.segment[lead]
    win_rate = np.array([p.win_rate for p in SEGMENT_PROFILES])[segment]
    win_factor = np.array([p.win_factor for p in CHANNEL_PROFILES])[leads.channel[lead]]
    cycle = np.array([p.days_to_close for p in SEGMENT_PROFILES])[segment] * DAY
    lost_weights = np.array(catalogue.LOST_WEIGHTS, float)
    return Deals(
        lead=lead,
        ae=ae[lead],
        created_at=opportunity_at[lead],
        closes_at=opportunity_at[lead] + lognormal_seconds(rng, cycle, 0.6, n),
        won=rng.random(n) < np.minimum(win_rate * win_factor, 0.8),
        amount=_amounts(segment, rng),
        product=_products(segment, rng),
        lost_reason=rng.choice(len(lost_weights), n, p=lost_weights / lost_weights.sum()),
    )
