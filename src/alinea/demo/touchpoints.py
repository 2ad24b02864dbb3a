"""Multi-touch journeys: the interactions before a lead converts and while it is nurtured.

The earliest touch of a lead is in the lead's own channel, campaign and landing page (that is what
"first touch" means); later touches mix channels (organic search, direct visits, newsletters,
retargeting ads), the conversion is a form, and nurtured leads keep opening emails afterwards.
About 2.5 touchpoints per lead.
"""

from __future__ import annotations

import numpy as np

from alinea.demo.campaigns import Campaign
from alinea.demo.leads import Labels, Leads, choose_per_channel
from alinea.demo.profiles import CHANNEL_PROFILES
from alinea.demo.rows import Rows, rows
from alinea.demo.timeline import DAY, HOUR, lognormal_seconds
from alinea.warehouse.schema import CHANNELS, TOUCHPOINT_TYPES

#: Channels of touches other than the first, before conversion and while nurturing.
_JOURNEY_MIX = {
    "organic_search": 30,
    "direct": 22,
    "email": 20,
    "paid_search": 15,
    "paid_social": 8,
    "referral": 5,
}
_NURTURE_MIX = {"email": 60, "organic_search": 18, "direct": 10, "paid_social": 12}
_NURTURE_DAYS = 120
_TYPE = {name: TOUCHPOINT_TYPES.index(name) for name in TOUCHPOINT_TYPES}


def _mix(weights: dict[str, int], size: int, rng: np.random.Generator) -> np.ndarray:
    codes = np.array([CHANNELS.index(c) for c in weights])
    p = np.array(list(weights.values()), float)
    return rng.choice(codes, size=size, p=p / p.sum())


def _touch_types(channel: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    usual = np.array([_TYPE[p.touch_type] for p in CHANNEL_PROFILES])[channel]
    u = rng.random(len(channel))
    email = channel == CHANNELS.index("email")
    content = np.isin(channel, [CHANNELS.index("organic_search"), CHANNELS.index("email")])
    kind = np.where(email & (u < 0.35), _TYPE["email_open"], usual)
    return np.where(content & (u > 0.85), _TYPE["content_download"], kind)


def default_campaigns(campaigns: tuple[Campaign, ...], labels: Labels) -> np.ndarray:
    """Per channel, the campaign code of its first always-on campaign (-1 if it has none)."""
    found = np.full(len(CHANNELS), -1)
    for campaign in reversed(campaigns):
        if campaign.kind == "baseline" and campaign.name:
            found[CHANNELS.index(campaign.channel)] = labels.campaigns.index(campaign.name)
    return found


def _mixed_touches(
    lead: np.ndarray,
    at: np.ndarray,
    channel: np.ndarray,
    context: tuple[Labels, np.ndarray],
    rng: np.random.Generator,
) -> Rows:
    """Touches in the given channels, with a source, page and campaign typical of each channel."""
    labels, defaults = context
    sources = [np.array([labels.sources.index(s) for s in p.sources]) for p in CHANNEL_PROFILES]
    source_weights = [np.array(p.source_weights, float) for p in CHANNEL_PROFILES]
    pages = [np.array([labels.pages.index(x) for x in p.landing_pages]) for p in CHANNEL_PROFILES]
    page_weights = [np.ones(len(p)) for p in pages]
    return rows(
        lead=lead,
        at=at,
        type=_touch_types(channel, rng),
        channel=channel,
        source=choose_per_channel(channel, sources, source_weights, rng),
        campaign=defaults[channel],
        page=choose_per_channel(channel, pages, page_weights, rng),
    )


def _as_first_touch(touches: Rows, leads: Leads, rng: np.random.Generator) -> Rows:
    """The touches carry their lead's channel, source, campaign and landing page."""
    lead = touches["lead"]
    return Rows(
        {
            **touches.columns,
            "type": _touch_types(leads.channel[lead], rng),
            "channel": leads.channel[lead],
            "source": leads.source[lead],
            "campaign": leads.campaign[lead],
            "page": leads.page[lead],
        }
    )


def _before_conversion(
    leads: Leads, window_start: int, context: tuple[Labels, np.ndarray], rng: np.random.Generator
) -> Rows:
    """Touches before the form, never before the history; the earliest is the first touch."""
    count = rng.poisson(0.9, len(leads))
    lead = np.repeat(np.arange(len(leads)), count)
    room = leads.created[lead] - window_start
    back = lognormal_seconds(rng, 6 * DAY, 1.2, len(lead))
    back = np.where(back < room, back, (rng.random(len(lead)) * room).astype(np.int64))
    order = np.lexsort((-back, lead))
    lead, at = lead[order], leads.created[lead[order]] - back[order]
    touches = _mixed_touches(lead, at, _mix(_JOURNEY_MIX, len(lead), rng), context, rng)
    earliest = np.r_[True, lead[1:] != lead[:-1]] if len(lead) else np.zeros(0, bool)
    first = _as_first_touch(touches.where(earliest), leads, rng)
    return Rows.concat([first, touches.where(~earliest)])


def _conversions(
    leads: Leads,
    had_prior: np.ndarray,
    context: tuple[Labels, np.ndarray],
    rng: np.random.Generator,
) -> Rows:
    """The form each lead fills in when it is created; its first touch if nothing came before
    (a badge scan rather than a form for leads met at a conference)."""
    n = len(leads)
    forms = _mixed_touches(np.arange(n), leads.created, _mix(_JOURNEY_MIX, n, rng), context, rng)
    first = _as_first_touch(forms.where(~had_prior), leads, rng)
    at_event = first["channel"] == CHANNELS.index("events")
    first = Rows({**first.columns, "type": np.where(at_event, _TYPE["event"], _TYPE["form"])})
    later = forms.where(had_prior)
    later = Rows({**later.columns, "type": np.full(len(later), _TYPE["form"])})
    return Rows.concat([first, later])


def _nurturing(
    leads: Leads, nurtured: np.ndarray, context: tuple[Labels, np.ndarray], rng: np.random.Generator
) -> Rows:
    """Emails, visits and retargeting after creation; nurtured leads get more of them."""
    count = rng.poisson(np.where(nurtured, 1.0, 0.45))
    lead = np.repeat(np.arange(len(leads)), count)
    after = HOUR + (rng.random(len(lead)) * _NURTURE_DAYS * DAY).astype(np.int64)
    channel = _mix(_NURTURE_MIX, len(lead), rng)
    return _mixed_touches(lead, leads.created[lead] + after, channel, context, rng)


def journeys(
    leads: Leads,
    nurtured: np.ndarray,
    *,
    window_start: int,
    campaigns: tuple[Campaign, ...],
    labels: Labels,
    rng: np.random.Generator,
) -> Rows:
    """Every touchpoint of the chunk's leads (nurture touches may lie after as_of)."""
    context = (labels, default_campaigns(campaigns, labels))
    before = _before_conversion(leads, window_start, context, rng)
    had_prior = np.bincount(before["lead"], minlength=len(leads)) > 0
    forms = _conversions(leads, had_prior, context, rng)
    return Rows.concat([before, forms, _nurturing(leads, nurtured, context, rng)])
