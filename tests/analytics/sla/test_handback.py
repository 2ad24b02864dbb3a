"""The stage a disposition moves a lead to, read from the lifecycle's stage list."""

from __future__ import annotations

import pytest

from alinea.analytics.sla.handback import stage_after_disposition
from alinea.warehouse.schema import LIFECYCLE_STAGES


def test_the_default_lifecycle_recycles_to_lead_and_accepting_moves_nothing():
    assert LIFECYCLE_STAGES[LIFECYCLE_STAGES.index("mql") - 1] == "lead"
    assert stage_after_disposition("recycled") == "lead"
    assert stage_after_disposition("accepted") is None
    assert stage_after_disposition("rejected") is None


@pytest.mark.parametrize(
    ("stages", "recycled", "accepted"),
    [
        (["subscriber", "nurture", "mql", "sql"], "nurture", None),
        (["lead", "mql", "sal", "sql", "customer"], "lead", "sal"),
        (["lead", "mql", "accepted", "working", "sql"], "lead", "accepted"),
        (["lead", "mql", "opportunity"], "lead", None),
    ],
)
def test_the_stage_list_decides(stages, recycled, accepted):
    assert stage_after_disposition("recycled", stages) == recycled
    assert stage_after_disposition("accepted", stages) == accepted


@pytest.mark.parametrize(
    ("outcome", "stages", "problem"),
    [
        ("recycled", ["mql", "sql"], "no stage before"),
        ("recycled", ["lead", "sql"], "no 'mql' stage"),
        ("won", LIFECYCLE_STAGES, "not 'won'"),
    ],
)
def test_impossible_moves_are_refused(outcome, stages, problem):
    with pytest.raises(ValueError, match=problem):
        stage_after_disposition(outcome, stages)
