"""``/api/sla``: the agreement (read, write a draft, propose, approve), the numbers (clocks,
compliance, scorecard) and the rep's inbox (list, disposition, contact attempt)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.errors import HttpError

from alinea.analytics import sla
from alinea.apps.accounts.api_auth import api_user
from alinea.apps.sla import services
from alinea.apps.sla.api_numbers import frame_records, scorecard_numbers
from alinea.apps.sla.inbox import contact_attempt_record, mql_disposition_record
from alinea.apps.sla.models import SlaPolicy
from alinea.apps.sla.schemas import (
    ApproveIn,
    AttemptIn,
    ComplianceQuery,
    DispositionIn,
    FactOut,
    InboxItemOut,
    NowQuery,
    PolicyOut,
    ScorecardQuery,
    TermsSchema,
)
from alinea.apps.sla.scorecard import scorecard_period
from alinea.apps.sla.selectors import (
    active_policy,
    active_spec,
    clocks_for,
    get_sla_policy_for,
    inbox_for,
    policy_versions,
)
from alinea.apps.sla.terms import CalendarTerms, PolicyTerms, ReasonTerms, TargetTerms, terms_of
from alinea.web.warehouse import get_warehouse

router = Router()


def _out(policy: SlaPolicy) -> dict[str, Any]:
    terms = terms_of(policy)
    signer = {side: getattr(policy, f"{side}_approved_by") for side in services.SIDES}
    return {
        **vars(terms),
        "calendars": [vars(c) for c in terms.calendars],
        "targets": [vars(t) for t in terms.targets],
        "reasons": [vars(r) for r in terms.reasons],
        "id": policy.pk,
        "version": policy.version,
        "status": policy.status,
        "created_at": policy.created_at,
        "proposed_at": policy.proposed_at,
        "marketing_approved_by": signer["marketing"] and signer["marketing"].get_username(),
        "marketing_approved_at": policy.marketing_approved_at,
        "sales_approved_by": signer["sales"] and signer["sales"].get_username(),
        "sales_approved_at": policy.sales_approved_at,
        "activated_at": policy.activated_at,
        "retired_at": policy.retired_at,
    }


def _terms(body: TermsSchema) -> PolicyTerms:
    data = body.dict()
    return PolicyTerms(
        **{k: v for k, v in data.items() if k not in ("calendars", "targets", "reasons")},
        calendars=tuple(CalendarTerms(**c) for c in data["calendars"]),
        targets=tuple(TargetTerms(**t) for t in data["targets"]),
        reasons=tuple(ReasonTerms(**r) for r in data["reasons"]),
    )


def _policy(request: HttpRequest, policy_id: int) -> SlaPolicy:
    try:
        return get_sla_policy_for(api_user(request), policy_id)
    except SlaPolicy.DoesNotExist:
        raise Http404(f"No SLA version with id {policy_id}.") from None


def _spec() -> sla.SlaPolicy:
    spec = active_spec()
    if spec is None:
        raise HttpError(
            409, "No SLA is in force yet: propose one and have both team leads approve it."
        )
    return spec


def _now(value: dt.datetime | None) -> dt.datetime:
    if value is not None and value.tzinfo is None:
        raise HttpError(422, "now must carry a time zone, e.g. 2025-06-02T10:00:00Z")
    return value or timezone.now()


def _invalid(exc: ValidationError) -> HttpError:
    return HttpError(400, "; ".join(exc.messages))


@router.get("/policy", response=PolicyOut, summary="The SLA version in force")
def policy(request: HttpRequest) -> dict[str, Any]:
    current = active_policy()
    if current is None:
        raise Http404("No SLA is in force yet.")
    return _out(current)


@router.get("/policies", response=list[PolicyOut], summary="Every SLA version, newest first")
def policies(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(p) for p in policy_versions()]


@router.get("/policies/{policy_id}", response=PolicyOut, summary="One SLA version")
def policy_detail(request: HttpRequest, policy_id: int) -> dict[str, Any]:
    return _out(_policy(request, policy_id))


@router.post("/policies", response={201: PolicyOut}, summary="Write a new draft version")
def policy_create(request: HttpRequest, body: TermsSchema) -> Status[dict[str, Any]]:
    try:
        created = services.sla_policy_create(actor=api_user(request), terms=_terms(body))
    except ValidationError as exc:
        raise _invalid(exc) from None
    return Status(201, _out(created))


@router.post("/policies/{policy_id}/propose", response=PolicyOut, summary="Propose a draft")
def policy_propose(request: HttpRequest, policy_id: int) -> dict[str, Any]:
    try:
        proposed = services.sla_policy_propose(
            actor=api_user(request), policy=_policy(request, policy_id)
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    return _out(proposed)


@router.post(
    "/policies/{policy_id}/approve",
    response=PolicyOut,
    summary="Sign a proposed version for your team (it is in force once both sides signed)",
)
def policy_approve(request: HttpRequest, policy_id: int, body: ApproveIn) -> dict[str, Any]:
    try:
        approved = services.sla_policy_approve(
            actor=api_user(request), policy=_policy(request, policy_id), side=body.side
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    return _out(approved)


@router.get("/clocks", summary="Per-MQL clocks of the current period (JSON records)")
def clocks(request: HttpRequest, query: Query[ScorecardQuery]) -> dict[str, Any]:
    now = _now(query.now)
    period = scorecard_period(now, query.every)
    frame = clocks_for(get_warehouse(), _spec(), period=period, now=now)
    return {"now": now, "start": period.start, "end": period.end, "clocks": frame_records(frame)}


@router.get("/compliance", summary="Compliance of one clock by group and period")
def compliance(request: HttpRequest, query: Query[ComplianceQuery]) -> dict[str, Any]:
    now = _now(query.now)
    period = scorecard_period(now, query.every)
    frame = clocks_for(get_warehouse(), _spec(), period=period, now=now)
    table = sla.compliance(frame, clock=query.clock, by=list(query.by), every=query.every)
    return {"now": now, "start": period.start, "end": period.end, "rows": frame_records(table)}


@router.get("/scorecard", summary="Both sides of the SLA per period")
def scorecard(request: HttpRequest, query: Query[ScorecardQuery]) -> dict[str, Any]:
    return scorecard_numbers(get_warehouse(), _spec(), now=_now(query.now), every=query.every)


@router.get("/inbox", response=list[InboxItemOut], summary="Your open MQLs, most urgent first")
def inbox(request: HttpRequest, query: Query[NowQuery]) -> list[Any]:
    user = api_user(request)
    if not user.person_id:
        raise HttpError(409, "Your login is not linked to a person of the warehouse.")
    return inbox_for(get_warehouse(), _spec(), person_id=user.person_id, now=_now(query.now))


@router.post(
    "/inbox/{lead_id}/disposition",
    response={201: FactOut},
    summary="Accept, reject or recycle an MQL",
)
def disposition(request: HttpRequest, lead_id: str, body: DispositionIn) -> Status[dict[str, Any]]:
    try:
        row = mql_disposition_record(
            actor=api_user(request),
            con=get_warehouse(),
            policy=_spec(),
            lead_id=lead_id,
            outcome=body.outcome,
            reason=body.reason,
            now=timezone.now(),
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    return Status(201, {"table": "dispositions", "row": row})


@router.post("/inbox/{lead_id}/attempts", response={201: FactOut}, summary="Log a contact attempt")
def attempt(request: HttpRequest, lead_id: str, body: AttemptIn) -> Status[dict[str, Any]]:
    try:
        row = contact_attempt_record(
            actor=api_user(request),
            con=get_warehouse(),
            lead_id=lead_id,
            kind=body.kind,
            outcome=body.outcome,
            now=timezone.now(),
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    return Status(201, {"table": "activities", "row": row})
