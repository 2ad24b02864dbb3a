"""Marketing spend per day, channel and campaign, consistent with the leads each stream brings.

Each stream costs its channel's cost per lead times the leads it is expected to bring that day, with
some day-to-day noise: paid search and conferences are expensive per lead, paid social is cheap per
lead but low quality, organic search and referral carry small content and programme costs, direct
traffic costs nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alinea.demo import columns
from alinea.demo.deals import CURRENCY
from alinea.demo.profiles import CHANNEL_PROFILES
from alinea.demo.timeline import Window
from alinea.demo.volume import LeadPlan
from alinea.warehouse.schema import CHANNELS

_NOISE = 0.15


def daily_spend(plan: LeadPlan, rng: np.random.Generator) -> np.ndarray:
    """Money spent per stream and day (same shape as ``plan.expected``)."""
    cost_per_lead = np.array([p.cost_per_lead for p in CHANNEL_PROFILES])[plan.stream_channel]
    noise = np.exp(_NOISE * rng.standard_normal(plan.expected.shape))
    return np.round(plan.expected * cost_per_lead[:, None] * noise, 2)


def spend_frame(plan: LeadPlan, window: Window, rng: np.random.Generator) -> pd.DataFrame:
    """The ``spend`` facts: one row per day and stream with money spent ('' = no campaign)."""
    amount = daily_spend(plan, rng)
    stream, day = np.nonzero(amount >= 0.01)
    dates = window.dates()
    names = [c.name or "" for c in plan.campaigns]
    channels = plan.stream_channel
    return pd.DataFrame(
        {
            "day": [dates[d] for d in day],
            "channel": columns.labels(CHANNELS, channels[stream]),
            "campaign": columns.labels(names, stream),
            "amount": amount[stream, day],
            "currency": columns.labels([CURRENCY], np.zeros(len(stream), dtype=np.int64)),
        }
    )
