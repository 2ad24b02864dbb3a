"""Words for the codes a snapshot stores (statuses, clocks, stages, teams), in the reader's
language, and the snapshot arranged for the templates. The snapshot itself stays codes and
numbers, so the same frozen minutes read in English and in Spanish."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from alinea.analytics.goals.target import format_value

STATUS_LABELS = {
    "on_track": _("on track"),
    "at_risk": _("at risk"),
    "off_track": _("off track"),
    "unknown": _("not known yet"),
}
CLOCK_LABELS = {
    "response": _("First response"),
    "attempts": _("Contact attempts"),
    "disposition": _("Disposition"),
}
STAGE_LABELS = {"mql": _("MQL"), "sql": _("SQL"), "opportunity": _("Opportunity")}
#: What a gap of the alignment plan compares; ``%(share)s`` is offered ÷ needed.
GAP_LABELS = {
    "marketing_mqls": _("Marketing's MQL goal covers %(share)s of the MQLs this goal needs."),
    "marketing_leads": _("Marketing's lead goal covers %(share)s of the leads this goal needs."),
    "sla": _("The SLA's MQL commitment covers %(share)s of the MQLs a week this goal needs."),
    "capacity_need": _("Sales can work %(share)s of the MQLs a week this goal needs."),
    "capacity_plan": _("Sales can work %(share)s of the MQLs a week marketing plans."),
}
TEAM_LABELS = {"marketing": _("Marketing"), "sales": _("Sales"), "joint": _("Joint")}


def _goal(item: dict[str, Any]) -> dict[str, Any]:
    unit = item.get("unit", "count")
    return {
        **item,
        "status_label": STATUS_LABELS.get(item["status"], item["status"]),
        "owner_label": TEAM_LABELS.get(item["owner"], item["owner"]),
        "current_text": format_value(item["current"], unit),
        "target_value_text": format_value(item["target"], unit),
    }


def _gap(item: dict[str, Any]) -> dict[str, Any]:
    ratio = item["ratio"]
    share = "—" if ratio is None else f"{ratio:.0%}".replace("%", " %")
    label = GAP_LABELS.get(item["about"])
    text = str(label) % {"share": share} if label is not None else f"{item['about']}: {share}"
    return {**item, "text": text, "short": ratio is not None and ratio < 1}


def snapshot_context(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The snapshot with labels beside the codes and values formatted in their unit."""
    sla = snapshot.get("sla")
    return {
        **snapshot,
        "taken_at": dt.datetime.fromisoformat(snapshot["taken_at"]),
        "goals": [_goal(item) for item in snapshot["goals"]],
        "open_asks": [
            {**a, "team_label": TEAM_LABELS.get(a["asked_team"], a["asked_team"])}
            for a in snapshot["open_asks"]
        ],
        "sla": None
        if sla is None
        else {
            **sla,
            "clocks": [
                {**c, "label": CLOCK_LABELS.get(c["clock"], c["clock"])} for c in sla["clocks"]
            ],
        },
        "stalls": [
            {**s, "label": STAGE_LABELS.get(s["stage"], s["stage"])} for s in snapshot["stalls"]
        ],
        "plan_gaps": [_gap(item) for item in snapshot.get("plan_gaps", [])],
        "off_track": sum(1 for g in snapshot["goals"] if g["status"] == "off_track"),
        "breached": sum(c["breached"] for c in sla["clocks"]) if sla else None,
    }
