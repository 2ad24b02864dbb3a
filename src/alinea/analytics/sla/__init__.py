"""The two-way SLA: marketing delivers, sales follows up, nurture takes back (issue 7).

- specs: :class:`BusinessCalendar` and :class:`SlaPolicy` (frozen; built by the Django SLA app);
- business time: elapsed business hours/days and due times for arrays of UTC instants;
- sales clocks: :func:`lead_clocks` (facts gathered by Ibis, business time in numpy) and what is
  computed from them: :func:`compliance`, :func:`open_clocks`, response-time percentiles and
  histogram;
- marketing and quality: :func:`mql_delivery`, :func:`acceptance`, :func:`reason_pareto` (Ibis).

See ``docs/sla.md`` for how SLA time is measured and the formulas.
"""

from alinea.analytics.sla.business_time import (
    add_business_days,
    add_business_hours,
    business_days_between,
    business_hours_between,
)
from alinea.analytics.sla.calendar import BusinessCalendar, OpeningHours, weekly_hours
from alinea.analytics.sla.clocks import CLOCKS, STATUSES, clocks_of, lead_clocks
from alinea.analytics.sla.compliance import GROUPS, compliance, open_clocks
from alinea.analytics.sla.distribution import response_time_histogram, response_time_percentiles
from alinea.analytics.sla.gather import sla_facts
from alinea.analytics.sla.marketing import acceptance, mql_delivery, reason_pareto
from alinea.analytics.sla.policy import (
    CalendarRules,
    DeliveryTarget,
    MarketingCommitment,
    ReasonCode,
    Recycling,
    SalesCommitment,
    SlaPolicy,
)

__all__ = [
    "CLOCKS",
    "GROUPS",
    "STATUSES",
    "BusinessCalendar",
    "CalendarRules",
    "DeliveryTarget",
    "MarketingCommitment",
    "OpeningHours",
    "ReasonCode",
    "Recycling",
    "SalesCommitment",
    "SlaPolicy",
    "acceptance",
    "add_business_days",
    "add_business_hours",
    "business_days_between",
    "business_hours_between",
    "clocks_of",
    "compliance",
    "lead_clocks",
    "mql_delivery",
    "open_clocks",
    "reason_pareto",
    "response_time_histogram",
    "response_time_percentiles",
    "sla_facts",
    "weekly_hours",
]
