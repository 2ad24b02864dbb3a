"""How many leads arrive on each day in each stream (channel × campaign) of the history.

The plan is drawn once for the whole history (a multinomial over streams × days), so the total is
exactly the requested number of leads and the chunks that follow only add detail to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alinea.demo.campaigns import Campaign
from alinea.demo.profiles import CHANNEL_PROFILES
from alinea.demo.seasonality import season
from alinea.demo.timeline import Window
from alinea.warehouse.schema import CHANNELS

#: After a conference, badge scans keep arriving for a couple of days at a lower rate.
_EVENT_SHAPE = np.array([1.0, 1.0, 1.0, 0.6, 0.3])


@dataclass(frozen=True)
class LeadPlan:
    """Expected and drawn lead counts per stream and day, and every lead's day and stream."""

    campaigns: tuple[Campaign, ...]
    #: Expected leads per stream and day (float), shape (streams, days).
    expected: np.ndarray
    #: Day index and stream index of every lead, ordered by day.
    day: np.ndarray
    stream: np.ndarray

    @property
    def stream_channel(self) -> np.ndarray:
        """Channel index of each stream."""
        return np.array([CHANNELS.index(c.channel) for c in self.campaigns])


def _event_days(campaign: Campaign, window: Window) -> np.ndarray:
    running = campaign.running(window).astype(float)
    first = int(np.argmax(running))
    shaped = np.zeros(window.days)
    span = min(int(running.sum()), len(_EVENT_SHAPE), window.days - first)
    shaped[first : first + span] = _EVENT_SHAPE[:span]
    return shaped


def stream_weights(campaigns: tuple[Campaign, ...], window: Window) -> np.ndarray:
    """Share of all leads per stream and day; each channel's streams add up to its share."""
    seasonal = season(window)
    weights = np.zeros((len(campaigns), window.days))
    for i, campaign in enumerate(campaigns):
        if campaign.kind == "event":
            weights[i] = campaign.lift * _event_days(campaign, window)
        else:
            weights[i] = campaign.lift * campaign.running(window) * seasonal
    channel_of = np.array([CHANNELS.index(c.channel) for c in campaigns])
    for index, profile in enumerate(CHANNEL_PROFILES):
        rows = channel_of == index
        total = weights[rows].sum()
        if total > 0:
            weights[rows] *= profile.share / total
    return weights / weights.sum()


def plan_leads(
    campaigns: tuple[Campaign, ...], window: Window, leads: int, rng: np.random.Generator
) -> LeadPlan:
    """Draw how many of ``leads`` arrive per stream and day, and list them day by day."""
    weights = stream_weights(campaigns, window)
    by_day = weights.T.ravel()  # day-major, so the expanded leads come out in day order
    counts = rng.multinomial(leads, by_day / by_day.sum())
    cells = np.repeat(np.arange(len(by_day), dtype=np.int64), counts)
    day, stream = np.divmod(cells, len(campaigns))
    return LeadPlan(
        campaigns=campaigns,
        expected=weights * leads,
        day=day.astype(np.int32),
        stream=stream.astype(np.int32),
    )
