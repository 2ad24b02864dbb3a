"""Where a lead goes when sales decides on its MQL: the stage change that goes with a disposition.

The lifecycle stage list (in order) decides, not a hard-coded name:

- **recycled**: back to nurture, which is the stage just before ``mql`` in the list (``lead`` in
  the default lifecycle ``subscriber → lead → mql → sql → …``);
- **accepted**: into the stage between ``mql`` and ``sql`` when the list has one (a
  "sales-accepted" stage); with the default lifecycle there is none, so an acceptance moves
  nothing: the lead becomes an SQL later, when it qualifies under the SQL definition;
- **rejected**: nowhere; the lead stays where it is and the rejection is the fact.
"""

from __future__ import annotations

from collections.abc import Sequence

from alinea.warehouse.schema import LIFECYCLE_STAGES

MQL, SQL = "mql", "sql"


def stage_after_disposition(outcome: str, stages: Sequence[str] = LIFECYCLE_STAGES) -> str | None:
    """The stage a lead enters when its MQL is dispositioned with ``outcome``; ``None``: stays.

    >>> stage_after_disposition("recycled"), stage_after_disposition("accepted")
    ('lead', None)
    >>> stage_after_disposition("accepted", ["lead", "mql", "sal", "sql"])
    'sal'
    """
    stages = list(stages)
    if MQL not in stages:
        raise ValueError(f"the lifecycle {stages} has no {MQL!r} stage")
    at = stages.index(MQL)
    if outcome == "recycled":
        if at == 0:
            raise ValueError(f"the lifecycle {stages} has no stage before {MQL!r} to recycle to")
        return stages[at - 1]
    if outcome == "accepted":
        later = stages[at + 1 :]
        between = later[: later.index(SQL)] if SQL in later else []
        return between[0] if between else None
    if outcome == "rejected":
        return None
    raise ValueError(f"a disposition is accepted, rejected or recycled, not {outcome!r}")
