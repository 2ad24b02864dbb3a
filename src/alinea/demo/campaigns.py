"""The named campaigns of each channel and the days they run.

Campaign names are derived from the history window, so any ``as_of`` gets a believable calendar:
always-on campaigns, quarterly bursts (paid social themes, paid search competitor pushes, partner
webinars), a monthly newsletter and a handful of conferences that make the events channel lumpy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import numpy as np

from alinea.demo.timeline import Window

Kind = Literal["baseline", "burst", "event"]


@dataclass(frozen=True)
class Campaign:
    """A stream of leads within a channel; ``name`` is ``None`` for uncampaigned traffic."""

    channel: str
    name: str | None
    kind: Kind
    #: Relative daily volume while running (baseline streams of a channel share the baseline).
    lift: float
    first_day: dt.date
    last_day: dt.date
    landing_page: str | None = None
    source: str | None = None

    def running(self, window: Window) -> np.ndarray:
        """Mask of the window's days on which the campaign runs."""
        first = (self.first_day - window.first_day).days
        last = (self.last_day - window.first_day).days
        days = np.arange(window.days)
        return (days >= first) & (days <= last)


_SOCIAL_THEMES = ("ebook-pipeline-playbook", "webinar-revops", "benchmark-report", "video-stories")
_SOCIAL_PAGES = ("/lp/ebook-pipeline-playbook", "/lp/webinar", "/lp/benchmark-report", "/customers")
_PARTNERS = (("partner-northbeam", 0.5), ("partner-cloudfold", 0.3), ("partner-ledgerly", 0.2))

#: Conferences: name, month, day, days it lasts. Leads arrive on the days and just after.
_CONFERENCES = (
    ("RevOps World {year}", 9, 10, 3),
    ("SaaS North Summit {year}", 11, 4, 2),
    ("Madrid Growth Week {year}", 10, 21, 3),
    ("London Pipeline Forum {year}", 6, 11, 2),
    ("Cumbre SaaS LATAM {year}", 4, 23, 2),
    ("APAC Revenue Day {year}", 3, 12, 1),
)


def _quarters(window: Window) -> list[tuple[int, int, dt.date]]:
    """(year, quarter, first day) of every quarter that overlaps the window."""
    found = []
    year, quarter = window.first_day.year, (window.first_day.month - 1) // 3 + 1
    while (start := dt.date(year, 3 * quarter - 2, 1)) <= window.last_day:
        found.append((year, quarter, start))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return found


def _months(window: Window) -> list[dt.date]:
    first = window.first_day.replace(day=1)
    months = []
    while first <= window.last_day:
        months.append(first)
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return months


def _always(channel: str, name: str | None, lift: float, window: Window, **kw: str) -> Campaign:
    return Campaign(channel, name, "baseline", lift, window.first_day, window.last_day, **kw)


def _burst(channel: str, name: str, lift: float, start: dt.date, days: int, **kw: str) -> Campaign:
    last = start + dt.timedelta(days=days - 1)
    return Campaign(channel, name, "burst", lift, start, last, **kw)


def _quarterly(window: Window) -> list[Campaign]:
    found = []
    for i, (year, quarter, start) in enumerate(_quarters(window)):
        tag = f"{year}q{quarter}"
        theme = i % len(_SOCIAL_THEMES)
        found.append(
            _burst(
                "paid_social",
                f"social-{tag}-{_SOCIAL_THEMES[theme]}",
                1.4,
                start + dt.timedelta(days=14),
                42,
                landing_page=_SOCIAL_PAGES[theme],
            )
        )
        if quarter in (1, 3):
            found.append(
                _burst("paid_search", f"search-{tag}-competitor-conquest", 0.45, start, 60)
            )
        if quarter in (2, 4):
            found.append(
                _burst(
                    "partners",
                    f"partner-{tag}-co-webinar",
                    0.9,
                    start + dt.timedelta(days=30),
                    10,
                    landing_page="/webinars",
                )
            )
    return found


def _newsletters(window: Window) -> list[Campaign]:
    found = []
    for month in _months(window):
        second_tuesday = month + dt.timedelta(days=(1 - month.weekday()) % 7 + 7)
        name = f"newsletter-{month:%Y-%m}"
        found.append(_burst("email", name, 3.0, second_tuesday, 3, source="newsletter"))
    return found


def _conferences(window: Window) -> list[Campaign]:
    found = []
    for year in range(window.first_day.year, window.last_day.year + 1):
        for name, month, day, length in _CONFERENCES:
            start = dt.date(year, month, day)
            slug = name.format(year="").strip().lower().replace(" ", "-")
            found.append(
                Campaign(
                    "events",
                    name.format(year=year),
                    "event",
                    30.0,
                    start,
                    start + dt.timedelta(days=length + 1),
                    landing_page="/events",
                    source=slug,
                )
            )
    return found


def plan_campaigns(window: Window) -> tuple[Campaign, ...]:
    """Every lead stream of the history: per channel, its baseline and its named campaigns."""
    streams = [
        _always("organic_search", None, 1.0, window),
        _always("paid_search", "search-brand", 0.45, window),
        _always("paid_search", "search-generic-revenue-planning", 0.55, window),
        _always("paid_social", "social-retargeting", 1.0, window),
        _always("email", "nurture-sequence", 1.0, window),
        _always("referral", "customer-referral-program", 0.6, window),
        _always("referral", None, 0.4, window),
        _always("events", "webinar-series", 1.0, window, landing_page="/webinars"),
        _always("direct", None, 1.0, window),
        *(_always("partners", name, lift, window, source=name) for name, lift in _PARTNERS),
    ]
    streams += _quarterly(window) + _newsletters(window) + _conferences(window)
    return tuple(c for c in streams if c.running(window).any())
