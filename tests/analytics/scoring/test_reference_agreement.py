"""Generated workspaces: Ibis points scores and rule verdicts agree with the per-lead reference,
on every engine."""

from __future__ import annotations

import math

from hypothesis import given
from ibis.backends import BaseBackend
from tests.analytics.scoring import reference
from tests.analytics.scoring.builders import SETTINGS, definitions, load, points_models, scenes

from alinea.analytics.run import fetch
from alinea.analytics.scoring.points import points_scores
from alinea.analytics.scoring.rules import qualification
from alinea.analytics.scoring.spec import Definition, PointsModel


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
        return (a is None or math.isnan(a)) and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@SETTINGS
@given(scene=scenes(), model=points_models())
def test_points_scores_agree_with_the_reference(
    warehouse: BaseBackend, scene, model: PointsModel
) -> None:
    now, leads, events = scene
    facts = load(warehouse, leads, events)
    rows = {r["lead_id"]: r for r in fetch(points_scores(facts, model, now=now)).to_dict("records")}
    expected = {lead.lead_id: lead for lead in leads if lead.created_at <= now}
    assert set(rows) == set(expected)
    for lead_id, lead in expected.items():
        total, factors = reference.score(lead, events, model, now)
        assert _close(float(rows[lead_id]["score"]), total), lead_id
        got = [float(rows[lead_id][f"factor_{i}"]) for i in range(len(factors))]
        assert all(_close(g, f) for g, f in zip(got, factors, strict=True)), (lead_id, got, factors)


@SETTINGS
@given(scene=scenes(), definition=definitions())
def test_rule_verdicts_agree_with_the_reference(
    warehouse: BaseBackend, scene, definition: Definition
) -> None:
    now, leads, events = scene
    facts = load(warehouse, leads, events)
    found = fetch(qualification(facts, definition, now=now)).to_dict("records")
    rows = {r["lead_id"]: r for r in found}
    expected = {lead.lead_id: lead for lead in leads if lead.created_at <= now}
    assert set(rows) == set(expected)
    for lead_id, lead in expected.items():
        verdicts, score, qualified = reference.evaluate(lead, events, definition, now)
        row = rows[lead_id]
        got = [bool(row[f"criterion_{i}"]) for i in range(len(verdicts))]
        assert got == verdicts, lead_id
        got_score = None if score is None else float(row["score"])
        assert _close(got_score, score), lead_id
        # a decayed score within rounding of the threshold may fall either side of it
        threshold = definition.threshold or 0.0
        on_the_edge = score is not None and score != threshold and math.isclose(score, threshold)
        if not on_the_edge:
            assert bool(row["qualified"]) == qualified, lead_id
