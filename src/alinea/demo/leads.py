"""Who the leads are: when they arrive, through which stream, from which company and country.

A chunk of leads takes its days and streams from the history-wide ``LeadPlan`` and adds everything
else (time of day, segment, account, contact role, source, landing page) from the chunk's generator.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alinea.demo import catalogue
from alinea.demo.campaigns import Campaign
from alinea.demo.companies import COUNTRY_REGION, Companies
from alinea.demo.profiles import CHANNEL_PROFILES, SEGMENT_MIX
from alinea.demo.seasonality import local_time_of_day
from alinea.demo.timeline import HOUR, Window
from alinea.demo.volume import LeadPlan
from alinea.warehouse.schema import CHANNELS


@dataclass(frozen=True)
class Labels:
    """Text the lead codes point into: campaigns, sources and landing pages of the history."""

    campaigns: tuple[str, ...]
    sources: tuple[str, ...]
    pages: tuple[str, ...]
    #: Per stream: campaign, source and page codes (-1 when the stream does not fix them).
    stream_campaign: np.ndarray
    stream_source: np.ndarray
    stream_page: np.ndarray


def _codes(values: list[str | None], labels: tuple[str, ...]) -> np.ndarray:
    return np.array([labels.index(v) if v else -1 for v in values], dtype=np.int64)


def label_streams(campaigns: tuple[Campaign, ...]) -> Labels:
    """Collect every campaign name, source and landing page the streams can produce."""
    names = tuple(dict.fromkeys(c.name for c in campaigns if c.name))
    sources = {s: None for p in CHANNEL_PROFILES for s in p.sources}
    sources.update({c.source: None for c in campaigns if c.source})
    pages = {page: None for p in CHANNEL_PROFILES for page in p.landing_pages}
    pages.update({c.landing_page: None for c in campaigns if c.landing_page})
    source_list, page_list = tuple(sources), tuple(pages)
    return Labels(
        campaigns=names,
        sources=source_list,
        pages=page_list,
        stream_campaign=_codes([c.name for c in campaigns], names),
        stream_source=_codes([c.source for c in campaigns], source_list),
        stream_page=_codes([c.landing_page for c in campaigns], page_list),
    )


@dataclass(frozen=True)
class Leads:
    """One chunk of leads; every array has one entry per lead."""

    number: np.ndarray
    created: np.ndarray
    channel: np.ndarray
    campaign: np.ndarray
    source: np.ndarray
    page: np.ndarray
    segment: np.ndarray
    company: np.ndarray
    country: np.ndarray
    region: np.ndarray
    job_role: np.ndarray

    def __len__(self) -> int:
        return len(self.number)


def _segments(channel: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    cumulative = np.cumsum(np.array(SEGMENT_MIX), axis=1)[channel]
    return (rng.random(len(channel))[:, None] > cumulative[:, :-1]).sum(axis=1)


def choose_per_channel(
    channel: np.ndarray,
    options: list[np.ndarray],
    weights: list[np.ndarray],
    rng: np.random.Generator,
) -> np.ndarray:
    chosen = np.zeros(len(channel), dtype=np.int64)
    for index in range(len(CHANNELS)):
        rows = channel == index
        p = weights[index] / weights[index].sum()
        chosen[rows] = rng.choice(options[index], size=int(rows.sum()), p=p)
    return chosen


def _sources_and_pages(
    channel: np.ndarray, stream: np.ndarray, labels: Labels, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    source_options = [
        np.array([labels.sources.index(s) for s in p.sources]) for p in CHANNEL_PROFILES
    ]
    source_weights = [np.array(p.source_weights, float) for p in CHANNEL_PROFILES]
    page_options = [
        np.array([labels.pages.index(x) for x in p.landing_pages]) for p in CHANNEL_PROFILES
    ]
    page_weights = [np.ones(len(p.landing_pages)) for p in CHANNEL_PROFILES]
    source = choose_per_channel(channel, source_options, source_weights, rng)
    page = choose_per_channel(channel, page_options, page_weights, rng)
    fixed_source, fixed_page = labels.stream_source[stream], labels.stream_page[stream]
    return np.where(fixed_source >= 0, fixed_source, source), np.where(
        fixed_page >= 0, fixed_page, page
    )


def draw_leads(
    plan: LeadPlan,
    first: int,
    count: int,
    *,
    window: Window,
    labels: Labels,
    companies: Companies,
    rng: np.random.Generator,
) -> Leads:
    """Leads ``first`` to ``first + count - 1`` (0-based positions in the plan)."""
    day = plan.day[first : first + count]
    stream = plan.stream[first : first + count]
    channel = plan.stream_channel[stream]
    segment = _segments(channel, rng)
    company = companies.pick(segment, rng)
    country = companies.country(company)
    region = COUNTRY_REGION[country]
    offset = np.array([r.lead_utc_offset for r in catalogue.REGIONS])[region] * HOUR
    weekend = np.array([d.weekday() >= 5 for d in window.dates()])[day]
    created = window.day_starts()[day] + local_time_of_day(rng, weekend) - offset
    source, page = _sources_and_pages(channel, stream, labels, rng)
    role_weights = np.array(catalogue.JOB_ROLE_WEIGHTS, float)
    return Leads(
        number=np.arange(first + 1, first + count + 1, dtype=np.int64),
        created=np.clip(created, window.start, window.horizon),
        channel=channel,
        campaign=labels.stream_campaign[stream],
        source=source,
        page=page,
        segment=segment,
        company=company,
        country=country,
        region=region,
        job_role=rng.choice(len(role_weights), size=count, p=role_weights / role_weights.sum()),
    )
