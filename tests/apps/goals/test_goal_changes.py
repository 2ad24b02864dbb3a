"""Changing what a goal promises: proposed by the owning team, signed by both team leads, then
applied with the baseline re-measured; audited with the values before and after."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from alinea.apps.accounts.models import Role
from alinea.apps.audit.models import AuditEntry
from alinea.apps.goals import services
from alinea.apps.goals.change_services import goal_change_approve, goal_change_propose
from alinea.apps.goals.models import Goal, GoalChange
from alinea.warehouse import connect

from .conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("goal_facts", "frozen_now")]


@pytest.fixture
def con(warehouse_url):
    connection = connect(warehouse_url)
    yield connection
    connection.disconnect()


@pytest.fixture
def goal(con, make_user) -> Goal:
    return services.goal_create(
        actor=make_user("marketing", Role.MEMBER), con=con, now=NOW, title="Leads",
        owner="marketing", metric="leads", segment={"channel": ["paid_search"]},
        target_kind="relative", target_amount=10.0, period_start=dt.date(2025, 4, 1),
        period_last_day=dt.date(2025, 6, 30), cadence_days=14,
    )  # fmt: skip


def test_a_user_cannot_change_the_target_directly(con, goal, make_user) -> None:
    member = make_user("marketing", Role.MEMBER)
    with pytest.raises(ValidationError, match="needs both team leads"):
        services.goal_update(actor=member, con=con, goal=goal, now=NOW, target_amount=20.0)
    # unchanged values and the other fields still go straight through
    services.goal_update(actor=member, con=con, goal=goal, now=NOW, title="More leads",
                         target_amount=10.0)  # fmt: skip
    assert Goal.objects.get().title == "More leads"


def test_both_leads_sign_then_the_change_applies(con, goal, make_user) -> None:
    member = make_user("marketing", Role.MEMBER)
    change = goal_change_propose(
        actor=member, goal=goal, reason="Q1 was unusual",
        target_amount=20.0, period_start=dt.date(2025, 5, 1),
    )  # fmt: skip
    assert change.status == "proposed"
    assert change.before == {"target_amount": 10.0, "period_start": "2025-04-01"}
    with pytest.raises(PermissionDenied):
        goal_change_approve(actor=member, con=con, change=change, side="marketing", now=NOW)
    sales_lead = make_user("sales", Role.TEAM_LEAD)
    with pytest.raises(PermissionDenied):
        goal_change_approve(actor=sales_lead, con=con, change=change, side="marketing", now=NOW)
    goal_change_approve(actor=sales_lead, con=con, change=change, side="sales", now=NOW)
    assert Goal.objects.get().target_amount == 10.0  # one signature is not enough
    marketing_lead = make_user("marketing", Role.TEAM_LEAD)
    goal_change_approve(actor=marketing_lead, con=con, change=change, side="marketing", now=NOW)
    applied = Goal.objects.get()
    assert (applied.target_amount, applied.period_start) == (20.0, dt.date(2025, 5, 1))
    # the period is 1 May–30 June (61 days): the baseline is the 61 days before, 1 March–30 April:
    # two paid-search leads a day
    assert applied.baseline_value == 2 * 61
    assert GoalChange.objects.get().status == "active"
    entry = AuditEntry.objects.get(action="goal_change_apply")
    assert (entry.before["target_amount"], entry.after["target_amount"]) == (10.0, 20.0)


def test_a_stale_or_empty_change_is_refused(con, goal, make_user) -> None:
    member = make_user("marketing", Role.MEMBER)
    with pytest.raises(ValidationError, match="nothing changes"):
        goal_change_propose(actor=member, goal=goal, target_amount=10.0)
    with pytest.raises(ValidationError, match="percentage points only applies to a rate"):
        goal_change_propose(actor=member, goal=goal, target_kind="points")
    with pytest.raises(PermissionDenied):
        goal_change_propose(actor=make_user("sales", Role.MEMBER), goal=goal, target_amount=1.0)
    first = goal_change_propose(actor=member, goal=goal, target_amount=20.0)
    services.goal_update(actor=None, con=con, goal=goal, now=NOW, target_amount=15.0)
    goal_change_approve(actor=make_user("sales", Role.TEAM_LEAD), con=con, change=first,
                        side="sales", now=NOW)  # fmt: skip
    with pytest.raises(ValidationError, match="the goal changed since"):
        goal_change_approve(actor=make_user("marketing", Role.TEAM_LEAD), con=con, change=first,
                            side="marketing", now=NOW)  # fmt: skip
    assert Goal.objects.get().target_amount == 15.0


def test_on_the_page_before_and_after_and_sign_buttons(goal, make_user) -> None:
    marketer = Client()
    marketer.force_login(make_user("marketing", Role.MEMBER))
    form = {
        "change-metric": "leads", "change-segment_dimension": "channel",
        "change-segment_values": "paid_search", "change-target_kind": "absolute",
        "change-target_amount": "250", "change-period_start": "2025-04-01",
        "change-period_last_day": "2025-06-30", "change-reason": "A number is clearer",
    }  # fmt: skip
    assert marketer.post(f"/goals/{goal.pk}/changes/", form).status_code == 302
    change = GoalChange.objects.get()
    assert change.changes == {"target_kind": "absolute", "target_amount": 250.0}
    page = marketer.get(f"/goals/{goal.pk}/").content.decode()
    assert "<td>target kind</td><td data-before>Relative change (%)</td>" in page
    assert "<td data-after>Absolute value</td>" in page
    assert "data-sign=" not in page  # a member signs nothing
    lead = Client()
    lead.force_login(make_user("sales", Role.TEAM_LEAD))
    assert 'data-sign="sales"' in lead.get(f"/goals/{goal.pk}/").content.decode()
    lead.post(f"/goals/{goal.pk}/changes/{change.pk}/sign/", {"side": "sales"})
    other = Client()
    other.force_login(make_user("marketing", Role.TEAM_LEAD))
    other.post(f"/goals/{goal.pk}/changes/{change.pk}/sign/", {"side": "marketing"})
    assert (Goal.objects.get().target_kind, Goal.objects.get().target_amount) == ("absolute", 250)
    assert 'data-change-status="active"' in other.get(f"/goals/{goal.pk}/").content.decode()
