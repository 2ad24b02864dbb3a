"""How the scoreboard's metric and team keys read on screen, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

METRIC_LABELS = {
    "leads": _("Leads"),
    "mqls": _("MQLs"),
    "sqls": _("SQLs"),
    "opportunities": _("Opportunities"),
    "customers": _("Customers"),
    "won_revenue": _("Won revenue"),
}

METRIC_HELP = {
    "leads": _("Leads created."),
    "mqls": _("Leads that became marketing-qualified."),
    "sqls": _("Leads that became sales-qualified."),
    "opportunities": _("Leads that became an opportunity."),
    "customers": _("Leads that became a customer."),
    "won_revenue": _("Amount of the deals won, by close date."),
}

TEAM_LABELS = {
    "marketing": _("Marketing"),
    "sales": _("Sales"),
}
