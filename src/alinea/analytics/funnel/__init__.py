"""Funnel review: where leads convert, stall and drop out (pure Ibis over stage changes).

Start with ``funnel(facts, FunnelSpec(...), now)``; every function takes a frozen spec and ``now``
and returns an Ibis table (run it with ``alinea.analytics.run.fetch``). Definitions — modes, ties,
windows, maturity — are in each module's docstring and in ``docs/funnel.md``.
"""

from alinea.analytics.funnel.conversion import (
    COUNTING_BASES,
    conversion_trend,
    funnel,
    trend_of_funnel,
)
from alinea.analytics.funnel.dimensions import (
    ALL_LABEL,
    LEAD_DIMENSIONS,
    NONE_LABEL,
    OTHER_LABEL,
    lead_dimension,
)
from alinea.analytics.funnel.dropoffs import drop_off_counts, drop_offs
from alinea.analytics.funnel.grains import GRAINS
from alinea.analytics.funnel.history import (
    HistorySpec,
    backward_move_counts,
    backward_moves,
    time_in_stage,
)
from alinea.analytics.funnel.modes import FUNNEL_MODES
from alinea.analytics.funnel.pivot import lead_steps
from alinea.analytics.funnel.spec import DEFAULT_STAGES, FunnelSpec
from alinea.analytics.funnel.stalls import StallSpec, stall_counts, stall_thresholds, stalls
from alinea.analytics.funnel.timing import (
    DEFAULT_BIN_EDGES,
    conversion_histogram,
    conversion_times,
)

__all__ = [
    "ALL_LABEL",
    "COUNTING_BASES",
    "DEFAULT_BIN_EDGES",
    "DEFAULT_STAGES",
    "FUNNEL_MODES",
    "GRAINS",
    "LEAD_DIMENSIONS",
    "NONE_LABEL",
    "OTHER_LABEL",
    "FunnelSpec",
    "HistorySpec",
    "StallSpec",
    "backward_move_counts",
    "backward_moves",
    "conversion_histogram",
    "conversion_times",
    "conversion_trend",
    "drop_off_counts",
    "drop_offs",
    "funnel",
    "lead_dimension",
    "lead_steps",
    "stall_counts",
    "stall_thresholds",
    "stalls",
    "time_in_stage",
    "trend_of_funnel",
]
