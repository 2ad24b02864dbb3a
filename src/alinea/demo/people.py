"""The demo company's staff: sales teams per region (SDRs, AEs, a manager), marketing, leadership.

Well-known ids the web app links demo logins to: ``sales-lead`` (head of sales), ``mkt-lead``
(marketing manager), ``rep-001`` (an SDR in EMEA who works MQLs) and ``mkt-001`` (a marketer).
Each rep has a response habit: the median business hours they take to first answer a new lead.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from alinea.demo import catalogue, columns
from alinea.demo.timeline import DAY, Window

MIN_REPS, MAX_REPS = 12, 400
LEADS_PER_REP_PER_YEAR = 1_000
SDR_SHARE = 0.55
#: Slow responders take about eight times as long as their peers (see ``_is_slow``).
SLOW_REP_FACTOR = 5.0
#: Numbering order of the regions' reps, so that rep-001 is an SDR in EMEA.
_NUMBERING = ("EMEA", "North America", "LATAM", "APAC")
_REGION_SLUG = {"North America": "na", "EMEA": "emea", "LATAM": "latam", "APAC": "apac"}


@dataclass(frozen=True)
class Person:
    person_id: str
    name: str
    team: str
    role: str
    region: str | None
    manager_id: str | None
    timezone: str
    #: Median business hours to a first response (reps only).
    response_hours: float = 0.0


@dataclass(frozen=True)
class Staff:
    """Everyone, plus per-person arrays the generator indexes by position."""

    people: tuple[Person, ...]
    utc_offset: np.ndarray
    response_hours: np.ndarray
    #: Positions of the SDRs and of the AEs of each region (in ``catalogue.REGIONS`` order).
    sdrs: tuple[np.ndarray, ...]
    aes: tuple[np.ndarray, ...]

    @property
    def ids(self) -> list[str]:
        return [p.person_id for p in self.people]

    def pick_sdrs(self, region: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """An SDR of each lead's region (round-robin-like: uniform among the region's SDRs)."""
        return _pick_in_region(self.sdrs, region, rng)

    def pick_aes(self, region: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """An AE of each lead's region."""
        return _pick_in_region(self.aes, region, rng)


def _pick_in_region(
    pools: tuple[np.ndarray, ...], region: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    sizes = np.array([len(p) for p in pools])
    slot = np.floor(rng.random(len(region)) * sizes[region]).astype(np.int64)
    flat = np.concatenate(pools)
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    return flat[starts[region] + slot]


def rep_count(leads: int, window: Window) -> int:
    """One rep per ~1,000 leads of yearly volume, between 12 and 400."""
    yearly = leads * 365 / window.days
    return int(np.clip(round(yearly / LEADS_PER_REP_PER_YEAR), MIN_REPS, MAX_REPS))


def _name(rng: np.random.Generator) -> str:
    first = catalogue.FIRST_NAMES[rng.integers(len(catalogue.FIRST_NAMES))]
    last = catalogue.LAST_NAMES[rng.integers(len(catalogue.LAST_NAMES))]
    return f"{first} {last}"


def _response_habits(count: int, slowness: float, rng: np.random.Generator) -> np.ndarray:
    """Median business hours to first response: most reps answer within an hour or two."""
    hours = np.exp(rng.normal(np.log(0.8), 0.6, count)) * slowness
    return np.clip(hours, 0.33, 18.0)


def _is_slow(number: int, index: int, sdrs: int, size: int, region: catalogue.Region) -> bool:
    """Outside the slow region the last AE of a team is a slow responder, and so is every ninth
    rep, but never the first SDR or the first AE of a region (it may be the only one).
    """
    if index in (0, sdrs):
        return False
    last_ae = index == size - 1
    return (last_ae and region.response_slowness == 1.0) or number % 9 == 4


def _leaders(rng: np.random.Generator, marketers: int) -> list[Person]:
    team = [
        Person("ceo", _name(rng), "leadership", "executive", None, None, "Europe/Madrid"),
        Person("sales-lead", _name(rng), "sales", "manager", None, "ceo", "Europe/Madrid"),
        Person("mkt-lead", _name(rng), "marketing", "manager", None, "ceo", "Europe/Madrid"),
    ]
    zones = ("Europe/Madrid", "America/New_York", "Europe/London", "America/Mexico_City")
    for i in range(marketers):
        team.append(
            Person(
                f"mkt-{i + 1:03d}",
                _name(rng),
                "marketing",
                "marketer",
                None,
                "mkt-lead",
                zones[i % len(zones)],
            )
        )
    return team


def _sales_team(reps: int, rng: np.random.Generator) -> list[Person]:
    team: list[Person] = []
    number = 0
    for region_name in _NUMBERING:
        region = next(r for r in catalogue.REGIONS if r.name == region_name)
        manager = f"sales-mgr-{_REGION_SLUG[region_name]}"
        team.append(
            Person(manager, _name(rng), "sales", "manager", region.name, "sales-lead",
                   region.timezones[0])
        )  # fmt: skip
        size = max(2, round(reps * region.share))
        sdrs = max(1, round(size * SDR_SHARE))
        habits = _response_habits(size, region.response_slowness, rng)
        for i in range(size):
            number += 1
            slow = _is_slow(number, i, sdrs, size, region)
            team.append(
                Person(
                    person_id=f"rep-{number:03d}",
                    name=_name(rng),
                    team="sales",
                    role="sdr" if i < sdrs else "ae",
                    region=region.name,
                    manager_id=manager,
                    timezone=region.timezones[i % len(region.timezones)],
                    response_hours=float(habits[i] * (SLOW_REP_FACTOR if slow else 1)),
                )
            )
    return team


def hire_staff(leads: int, window: Window, rng: np.random.Generator) -> Staff:
    """The staff of a company with ``leads`` leads over ``window``."""
    reps = rep_count(leads, window)
    people = tuple(_leaders(rng, marketers=max(2, min(12, reps // 8))) + _sales_team(reps, rng))
    noon = dt.datetime.combine(window.last_day, dt.time(12), tzinfo=dt.UTC)
    offsets = [noon.astimezone(ZoneInfo(p.timezone)).utcoffset() for p in people]
    region_of = [p.region for p in people]
    roles = [p.role for p in people]

    def positions(role: str, region: str) -> np.ndarray:
        found = [i for i, (r, g) in enumerate(zip(roles, region_of, strict=True))
                 if r == role and g == region]  # fmt: skip
        return np.array(found, dtype=np.int64)

    return Staff(
        people=people,
        utc_offset=np.array([int(o.total_seconds()) if o else 0 for o in offsets]),
        response_hours=np.array([p.response_hours for p in people]),
        sdrs=tuple(positions("sdr", r.name) for r in catalogue.REGIONS),
        aes=tuple(positions("ae", r.name) for r in catalogue.REGIONS),
    )


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def people_frame(staff: Staff, window: Window, rng: np.random.Generator) -> pd.DataFrame:
    """The ``people`` facts; everyone joined between five years and a month before the history."""
    n = len(staff.people)
    joined = window.start - rng.integers(30 * DAY, 5 * 365 * DAY, n)
    slug = [_ascii(p.name).lower().replace(" ", ".") for p in staff.people]
    people = staff.people
    return pd.DataFrame(
        {
            "person_id": columns.strings(staff.ids),
            "name": columns.strings([p.name for p in people]),
            "email": columns.strings([f"{s}@lumora.example" for s in slug]),
            "team": columns.strings([p.team for p in people]),
            "role": columns.strings([p.role for p in people]),
            "region": columns.strings([p.region for p in people]),
            "manager_id": columns.strings([p.manager_id for p in people]),
            "timezone": columns.strings([p.timezone for p in people]),
            "started_at": columns.utc(joined),
        }
    )


#: Who moves a lead when no person does; coded as -1, -2, … in ``by`` columns.
SYSTEM_ACTORS: tuple[str, ...] = (
    "system",
    "web-form",
    "lead-scoring",
    "routing:round-robin",
    "routing:demo-request",
)


def system_actor(name: str) -> int:
    """The (negative) code of a system actor in ``by`` columns, where people are 0, 1, …"""
    return -1 - SYSTEM_ACTORS.index(name)


def actor_labels(staff: Staff) -> list[str]:
    """Labels for ``by`` codes shifted by ``len(SYSTEM_ACTORS)`` (see ``actor_codes``)."""
    return list(reversed(SYSTEM_ACTORS)) + staff.ids


def actor_codes(by: np.ndarray) -> np.ndarray:
    """``by`` codes as positions in ``actor_labels``."""
    return np.asarray(by, dtype=np.int64) + len(SYSTEM_ACTORS)
