"""How SLA keys read on screen, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CLOCK_LABELS = {
    "response": _("First response"),
    "attempts": _("Contact attempts"),
    "disposition": _("Disposition"),
}
STATUS_LABELS = {
    "met": _("Met"),
    "breached": _("Breached"),
    "at_risk": _("At risk"),
    "pending": _("Pending"),
}
OUTCOME_LABELS = {
    "accepted": _("Accepted"),
    "rejected": _("Rejected"),
    "recycled": _("Recycled"),
}
GROUP_LABELS = {
    "rep": _("Rep"),
    "team": _("Team (manager)"),
    "region": _("Region"),
}
CONTACT_LABELS = {
    "call": _("Call"),
    "email": _("Email"),
    "meeting": _("Meeting"),
    "social": _("Social"),
}
ALERT_STATE_LABELS = {
    "sent": _("Sent"),
    "retrying": _("Retrying"),
    "failed": _("Failed"),
    "sending": _("Interrupted while sending"),
}
