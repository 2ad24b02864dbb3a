"""The accounts leads work for: a fixed book of synthetic companies per segment.

A company's name, industry, size and country are a pure function of its number and the seed, so
every chunk of leads sees the same company the same way, and several leads can share an account.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from alinea.demo import catalogue
from alinea.demo.profiles import CHANNEL_PROFILES, SEGMENT_MIX, SEGMENT_PROFILES

_NAME_PARTS = (
    catalogue.NAME_STARTS,
    catalogue.NAME_MIDDLES,
    catalogue.NAME_ENDS,
    catalogue.NAME_KINDS,
)
#: How many distinct company names the parts can make.
NAME_SPACE = int(np.prod([len(p) for p in _NAME_PARTS]))
_NAME_STEP = 7919  # a prime not dividing NAME_SPACE: spreads consecutive numbers over the names

#: Every country leads come from (ISO codes), and the region (index) each one belongs to.
COUNTRIES = tuple(c for region in catalogue.REGIONS for c in region.countries)
COUNTRY_REGION = np.array([i for i, r in enumerate(catalogue.REGIONS) for _ in r.countries])
_COUNTRY_WEIGHTS = np.array(
    [r.share * w / sum(r.country_weights) for r in catalogue.REGIONS for w in r.country_weights]
)


def _hashed_uniform(keys: np.ndarray, salt: int) -> np.ndarray:
    """Uniform numbers in [0, 1) that depend only on ``keys`` and ``salt`` (splitmix64)."""
    with np.errstate(over="ignore"):
        z = keys.astype(np.uint64) + np.uint64(salt) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) / float(2**53)


def _pick(weights: np.ndarray, uniform: np.ndarray) -> np.ndarray:
    cumulative = np.cumsum(weights) / np.sum(weights)
    return np.minimum(np.searchsorted(cumulative, uniform, side="right"), len(weights) - 1)


@dataclass(frozen=True)
class Companies:
    """Which company numbers belong to which segment, and what each company looks like."""

    seed: int
    #: First company number of each segment's pool, and the pool sizes.
    offsets: np.ndarray
    sizes: np.ndarray

    def pick(self, segment: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A company number for each lead of the given segments."""
        within = np.floor(rng.random(len(segment)) * self.sizes[segment]).astype(np.int64)
        return self.offsets[segment] + within

    def _uniform(self, company: np.ndarray, attribute: int) -> np.ndarray:
        return _hashed_uniform(company, self.seed * 16 + attribute)

    def industry(self, company: np.ndarray) -> np.ndarray:
        return _pick(np.array(catalogue.INDUSTRY_WEIGHTS), self._uniform(company, 1))

    def country(self, company: np.ndarray) -> np.ndarray:
        """Index into ``COUNTRIES``."""
        return _pick(_COUNTRY_WEIGHTS, self._uniform(company, 2))

    def employees(self, company: np.ndarray, segment: np.ndarray) -> np.ndarray:
        """Head count within the segment's bounds, skewed so the segment's median is typical."""
        low = np.array([p.size_bounds[0] for p in SEGMENT_PROFILES], float)[segment]
        high = np.array([p.size_bounds[1] for p in SEGMENT_PROFILES], float)[segment]
        median = np.array([p.size_median for p in SEGMENT_PROFILES], float)[segment]
        skew = np.log(np.log(median / low) / np.log(high / low)) / np.log(0.5)
        position = self._uniform(company, 3) ** skew
        return np.round(low * (high / low) ** position).astype(np.int64)

    def names(self, company: np.ndarray, country: np.ndarray) -> pa.Array:
        """Display names such as ``Luminix Analytics GmbH``."""
        code = (company * _NAME_STEP + self.seed) % NAME_SPACE
        words = []
        for part in _NAME_PARTS:
            code, index = np.divmod(code, len(part))
            words.append(pa.array(part).take(pa.array(index)))
        stem = pc.binary_join_element_wise(words[0], words[1], words[2], "")
        legal = pa.array([catalogue.LEGAL_FORMS[c] for c in COUNTRIES]).take(pa.array(country))
        return pc.binary_join_element_wise(stem, words[3], legal, " ")


def company_book(leads: int, seed: int) -> Companies:
    """Pools sized so each segment's accounts have its typical number of leads."""
    channel_share = np.array([p.share for p in CHANNEL_PROFILES])
    segment_share = channel_share @ np.array(SEGMENT_MIX)
    per_company = np.array([p.leads_per_company for p in SEGMENT_PROFILES])
    sizes = np.maximum(np.ceil(leads * segment_share / per_company), 20)
    if sizes.sum() > NAME_SPACE:
        sizes = np.floor(sizes * NAME_SPACE / sizes.sum())
    sizes = sizes.astype(np.int64)
    offsets = np.r_[0, np.cumsum(sizes)[:-1]].astype(np.int64)
    return Companies(seed=seed, offsets=offsets, sizes=sizes)
