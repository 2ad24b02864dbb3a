"""When leads arrive: weekly rhythm, yearly seasons, growth, and the time of day forms are filled.

Weekdays bring more leads than weekends; summer and the last ten days of December are quiet;
September to November is the busy season; the company grows about 35 % over the history.
"""

from __future__ import annotations

import numpy as np

from alinea.demo.timeline import HOUR, Window

#: Monday … Sunday.
WEEKDAY_FACTOR = np.array([1.10, 1.15, 1.12, 1.05, 0.85, 0.32, 0.28])
#: January … December.
MONTH_FACTOR = np.array([0.95, 1.0, 1.08, 1.0, 1.0, 0.92, 0.78, 0.68, 1.18, 1.28, 1.22, 0.95])
LATE_DECEMBER_FACTOR = 0.4
GROWTH_OVER_HISTORY = 0.35

#: Local hour of day a form is filled in, on weekdays and on weekends (relative weights).
_WEEKDAY_HOURS = np.array(
    [1, 1, 1, 1, 1, 2, 3, 6, 10, 13, 14, 13, 11, 12, 13, 12, 10, 8, 6, 5, 4, 3, 2, 1], float
)
_WEEKEND_HOURS = np.array(
    [2, 1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 8, 8, 8, 7, 7, 6, 6, 5, 4, 3, 2], float
)


def weekday_factor(window: Window) -> np.ndarray:
    """The weekly rhythm, per day of the window."""
    return WEEKDAY_FACTOR[[d.weekday() for d in window.dates()]]


def yearly_factor(window: Window) -> np.ndarray:
    """The yearly season, per day of the window (late December is the quietest time)."""
    dates = window.dates()
    factor = MONTH_FACTOR[[d.month - 1 for d in dates]]
    late_december = np.array([d.month == 12 and d.day >= 21 for d in dates])
    return np.where(late_december, LATE_DECEMBER_FACTOR, factor)


def growth_factor(window: Window) -> np.ndarray:
    """The company's growth: volume rises linearly over the history."""
    return 1 + GROWTH_OVER_HISTORY * np.linspace(0, 1, window.days)


def season(window: Window) -> np.ndarray:
    """Relative lead volume of each day of the window (weekly × yearly × growth)."""
    return weekday_factor(window) * yearly_factor(window) * growth_factor(window)


def local_time_of_day(rng: np.random.Generator, weekend: np.ndarray) -> np.ndarray:
    """Seconds after local midnight at which each lead fills in a form."""
    n = len(weekend)
    weekday_hour = rng.choice(24, size=n, p=_WEEKDAY_HOURS / _WEEKDAY_HOURS.sum())
    weekend_hour = rng.choice(24, size=n, p=_WEEKEND_HOURS / _WEEKEND_HOURS.sum())
    hour = np.where(weekend, weekend_hour, weekday_hour)
    return hour * HOUR + rng.integers(0, HOUR, size=n)
