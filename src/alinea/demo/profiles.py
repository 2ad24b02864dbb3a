"""How each channel and each segment behaves: volume, quality, pace, cost and deal size.

These numbers are the demo company's "truth"; the generator draws every lead's journey from them.
They are tuned so that the overall funnel lands in plausible B2B SaaS bands (lead→MQL ~25 %,
MQL→SQL ~40 %, SQL→opportunity ~60 %, win rate ~25 %) while the channels clearly differ.
"""

from __future__ import annotations

from dataclasses import dataclass

from alinea.warehouse.schema import CHANNELS, SEGMENTS


@dataclass(frozen=True)
class ChannelProfile:
    name: str
    #: Share of all leads.
    share: float
    #: Chance that a lead of this channel becomes an MQL (before segment effects).
    mql_rate: float
    #: Chance that a lead skips MQL and goes straight to SQL (demo requests, warm intros).
    direct_sql_rate: float
    #: Chance that sales accepts an MQL of this channel.
    accept_rate: float
    #: Multiplies the segment's win rate.
    win_factor: float
    #: Median days from lead to MQL.
    days_to_mql: float
    #: Chance that the lead was a subscriber (newsletter, blog) before becoming a lead.
    subscriber_rate: float
    #: Money spent per lead this channel brings (USD); 0 for channels without spend.
    cost_per_lead: float
    #: Where the leads come from (utm_source) and how likely each source is.
    sources: tuple[str, ...]
    source_weights: tuple[float, ...]
    medium: str
    #: The touchpoint type of an interaction in this channel.
    touch_type: str
    landing_pages: tuple[str, ...]


_PAGES_CONTENT = ("/blog/pipeline-math", "/blog/sla-between-teams", "/guides/revenue-planning")
_PAGES_PRODUCT = ("/", "/pricing", "/product/forecasting", "/demo")

CHANNEL_PROFILES: tuple[ChannelProfile, ...] = (
    ChannelProfile(
        name="organic_search",
        share=0.22,
        mql_rate=0.25,
        direct_sql_rate=0.025,
        accept_rate=0.41,
        win_factor=1.0,
        days_to_mql=4.0,
        subscriber_rate=0.32,
        cost_per_lead=6.0,
        sources=("google", "bing", "duckduckgo"),
        source_weights=(86, 10, 4),
        medium="organic",
        touch_type="visit",
        landing_pages=(*_PAGES_CONTENT, "/pricing"),
    ),
    ChannelProfile(
        name="paid_search",
        share=0.18,
        mql_rate=0.28,
        direct_sql_rate=0.03,
        accept_rate=0.39,
        win_factor=0.95,
        days_to_mql=1.5,
        subscriber_rate=0.1,
        cost_per_lead=140.0,
        sources=("google", "bing"),
        source_weights=(85, 15),
        medium="cpc",
        touch_type="ad_click",
        landing_pages=("/lp/revenue-planning", "/lp/forecasting-software", "/pricing"),
    ),
    ChannelProfile(
        name="paid_social",
        share=0.24,
        mql_rate=0.14,
        direct_sql_rate=0.005,
        accept_rate=0.28,
        win_factor=0.7,
        days_to_mql=6.0,
        subscriber_rate=0.12,
        cost_per_lead=55.0,
        sources=("linkedin", "facebook", "instagram"),
        source_weights=(62, 26, 12),
        medium="paid_social",
        touch_type="ad_click",
        landing_pages=("/lp/ebook-pipeline-playbook", "/lp/webinar", "/lp/benchmark-report"),
    ),
    ChannelProfile(
        name="email",
        share=0.11,
        mql_rate=0.3,
        direct_sql_rate=0.01,
        accept_rate=0.42,
        win_factor=1.0,
        days_to_mql=2.5,
        subscriber_rate=0.55,
        cost_per_lead=9.0,
        sources=("newsletter", "hubspot"),
        source_weights=(60, 40),
        medium="email",
        touch_type="email_click",
        landing_pages=("/blog/pipeline-math", "/webinars", "/product/forecasting"),
    ),
    ChannelProfile(
        name="referral",
        share=0.05,
        mql_rate=0.45,
        direct_sql_rate=0.15,
        accept_rate=0.62,
        win_factor=1.45,
        days_to_mql=0.6,
        subscriber_rate=0.05,
        cost_per_lead=40.0,
        sources=("customer", "g2", "capterra"),
        source_weights=(55, 30, 15),
        medium="referral",
        touch_type="referral",
        landing_pages=("/", "/customers", "/demo"),
    ),
    ChannelProfile(
        name="events",
        share=0.08,
        mql_rate=0.36,
        direct_sql_rate=0.04,
        accept_rate=0.44,
        win_factor=1.1,
        days_to_mql=2.0,
        subscriber_rate=0.08,
        cost_per_lead=330.0,
        sources=("event",),
        source_weights=(1,),
        medium="event",
        touch_type="event",
        landing_pages=("/events", "/demo"),
    ),
    ChannelProfile(
        name="direct",
        share=0.08,
        mql_rate=0.3,
        direct_sql_rate=0.1,
        accept_rate=0.48,
        win_factor=1.15,
        days_to_mql=1.0,
        subscriber_rate=0.15,
        cost_per_lead=0.0,
        sources=("(direct)",),
        source_weights=(1,),
        medium="(none)",
        touch_type="visit",
        landing_pages=_PAGES_PRODUCT,
    ),
    ChannelProfile(
        name="partners",
        share=0.04,
        mql_rate=0.45,
        direct_sql_rate=0.12,
        accept_rate=0.58,
        win_factor=1.35,
        days_to_mql=1.0,
        subscriber_rate=0.05,
        cost_per_lead=95.0,
        sources=("partner",),
        source_weights=(1,),
        medium="partner",
        touch_type="referral",
        landing_pages=("/partners", "/demo", "/integrations"),
    ),
)

assert tuple(p.name for p in CHANNEL_PROFILES) == CHANNELS
assert abs(sum(p.share for p in CHANNEL_PROFILES) - 1) < 1e-9


@dataclass(frozen=True)
class SegmentProfile:
    name: str
    #: Multiplies the channel's MQL rate (bigger companies score higher).
    mql_factor: float
    opportunity_rate: float
    win_rate: float
    #: Multiplies every sales delay (enterprise deals move slower).
    pace: float
    days_to_opportunity: float
    days_to_close: float
    #: Deal amount (USD): median, log-spread and bounds.
    amount_median: float
    amount_sigma: float
    amount_bounds: tuple[float, float]
    #: Employees: median and bounds.
    size_median: float
    size_bounds: tuple[int, int]
    #: Average number of leads per account.
    leads_per_company: float
    product_weights: tuple[float, float, float, float]


SEGMENT_PROFILES: tuple[SegmentProfile, ...] = (
    SegmentProfile(
        name="smb",
        mql_factor=0.95,
        opportunity_rate=0.63,
        win_rate=0.27,
        pace=0.8,
        days_to_opportunity=4.0,
        days_to_close=21.0,
        amount_median=9000,
        amount_sigma=0.3,
        amount_bounds=(5000, 15000),
        size_median=40,
        size_bounds=(5, 199),
        leads_per_company=1.3,
        product_weights=(70, 25, 0, 5),
    ),
    SegmentProfile(
        name="mid_market",
        mql_factor=1.05,
        opportunity_rate=0.6,
        win_rate=0.24,
        pace=1.0,
        days_to_opportunity=7.0,
        days_to_close=45.0,
        amount_median=35000,
        amount_sigma=0.3,
        amount_bounds=(20000, 60000),
        size_median=450,
        size_bounds=(200, 999),
        leads_per_company=2.0,
        product_weights=(10, 65, 10, 15),
    ),
    SegmentProfile(
        name="enterprise",
        mql_factor=1.15,
        opportunity_rate=0.55,
        win_rate=0.2,
        pace=1.6,
        days_to_opportunity=14.0,
        days_to_close=110.0,
        amount_median=170000,
        amount_sigma=0.45,
        amount_bounds=(80000, 400000),
        size_median=5000,
        size_bounds=(1000, 120000),
        leads_per_company=4.0,
        product_weights=(0, 15, 75, 10),
    ),
)

assert tuple(p.name for p in SEGMENT_PROFILES) == SEGMENTS

#: Segment mix of each channel's leads (smb, mid_market, enterprise), in CHANNELS order.
SEGMENT_MIX: tuple[tuple[float, float, float], ...] = (
    (0.65, 0.27, 0.08),
    (0.62, 0.29, 0.09),
    (0.75, 0.20, 0.05),
    (0.60, 0.30, 0.10),
    (0.45, 0.35, 0.20),
    (0.35, 0.37, 0.28),
    (0.55, 0.30, 0.15),
    (0.40, 0.35, 0.25),
)

#: Chances of each sales disposition of an MQL that is not accepted: rejected, recycled, none.
#: "none" MQLs stall: sales never decides (an SLA breach marketing can point at).
NOT_ACCEPTED_SPLIT: tuple[float, float, float] = (0.46, 0.44, 0.10)
#: Chance that an accepted MQL becomes an SQL.
ACCEPTED_TO_SQL = 0.88
#: Chance that a recycled MQL qualifies again later.
REQUALIFY_RATE = 0.35
