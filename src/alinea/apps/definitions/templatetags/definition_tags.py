"""``{% lead_stages lead_id %}``: on any page about one lead, why it is or is not at each stage an
active definition governs (see ``selectors.lead_stages``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from alinea.apps.definitions.selectors import lead_stages as lead_stages_now
from alinea.web.warehouse import get_warehouse

register = template.Library()


@register.inclusion_tag("definitions/lead_stages.html")
def lead_stages(lead_id: str) -> dict[str, Any]:
    stages = lead_stages_now(get_warehouse(), lead_id=str(lead_id), now=timezone.now())
    return {"lead_id": lead_id, "stages": stages}
