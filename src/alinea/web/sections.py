"""The sections of the app, in navigation order: one registry for the menu and placeholder pages.

A section that is not built yet has no ``view_name``; it is served by a plain page that says so.
When an app is built, give its section the app's view name (e.g. ``"goals:index"``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise
    group: Promise
    #: One honest sentence on what the section does (or will do).
    summary: Promise
    #: The URL name of the built page, or ``None`` while the section is not built yet.
    view_name: str | None = None

    @property
    def built(self) -> bool:
        return self.view_name is not None

    @property
    def url_name(self) -> str:
        return self.view_name or f"sections:{self.key}"


_PLAN = _("Plan together")
_ANALYSE = _("Analyse")
_LOOP = _("Close the loop")
_WORKSPACE = _("Workspace")

SECTIONS: tuple[Section, ...] = (
    Section(
        "scoreboard",
        _("Scoreboard"),
        _PLAN,
        _("Each team's headline numbers this quarter against the same days of the last one."),
        "scoreboard:index",
    ),
    Section(
        "goals",
        _("Goals"),
        _PLAN,
        _(
            "Goals that marketing and sales set together, with initiatives, obstacles, needs and "
            "asks of the other team, and progress computed from the facts."
        ),
        "goals:index",
    ),
    Section(
        "definitions",
        _("Definitions"),
        _PLAN,
        _("The versioned criteria that make a lead an MQL or an SQL, signed off by both teams."),
        "definitions:index",
    ),
    Section(
        "sla",
        _("SLA"),
        _PLAN,
        _(
            "The two-way service level agreement: what marketing delivers and how fast sales "
            "follows up, measured in business hours."
        ),
        "sla:index",
    ),
    Section(
        "funnel",
        _("Funnel"),
        _ANALYSE,
        _("Where leads stall or drop out between stages, by channel, segment and period."),
        "funnel:index",
    ),
    Section(
        "attribution",
        _("Attribution"),
        _ANALYSE,
        _("Which channels and campaigns bring leads, pipeline and revenue, and at what cost."),
    ),
    Section(
        "insights",
        _("Insights"),
        _LOOP,
        _(
            "What customers tell sales (topics, concerns, requested resources, how they heard of "
            "us), for marketing to act on."
        ),
    ),
    Section(
        "reviews",
        _("Reviews"),
        _LOOP,
        _(
            "Joint review meetings with an agenda, equal time for both teams, decisions and a "
            "snapshot of the metrics."
        ),
        "reviews:index",
    ),
    Section(
        "data",
        _("Data"),
        _WORKSPACE,
        _(
            "Importing facts from the CRM, marketing tools and website, with errors that name "
            "every bad row."
        ),
        "imports:index",
    ),
    Section(
        "audit",
        _("Audit log"),
        _WORKSPACE,
        _("Who changed which agreement, when, and what it looked like before and after."),
        "audit:log",
    ),
)

SECTIONS_BY_KEY: dict[str, Section] = {section.key: section for section in SECTIONS}
