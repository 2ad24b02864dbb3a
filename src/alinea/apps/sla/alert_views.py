"""The alerts page: what the worker sent, and above all what it could not deliver (retrying with
its next attempt, or failed after the last one), with the error. Thin: the selector decides who
sees which alerts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from alinea.apps.sla.delivery import MAX_ATTEMPTS
from alinea.apps.sla.labels import ALERT_STATE_LABELS, CLOCK_LABELS, STATUS_LABELS
from alinea.apps.sla.models import SlaAlert
from alinea.apps.sla.selectors import alert_log_for
from alinea.apps.sla.views import signed_in


def _row(alert: SlaAlert) -> dict[str, object]:
    clock = alert.event.split("/")[1]
    return {
        "alert": alert,
        "clock_label": CLOCK_LABELS.get(clock, clock),
        "kind_label": STATUS_LABELS.get(alert.kind, alert.kind),
        "state": alert.state,
        "state_label": ALERT_STATE_LABELS[alert.state],
    }


def alerts_page(request: HttpRequest) -> HttpResponse:
    log = alert_log_for(signed_in(request))
    context = {
        "attention": [_row(a) for a in log["attention"]],
        "sent": [_row(a) for a in log["sent"]],
        "max_attempts": MAX_ATTEMPTS,
    }
    return render(request, "sla/alerts.html", context)
