"""Applying the active definitions: the stage changes written agree with the per-lead reference
on the hand-built warehouse (see conftest), a second run writes nothing, runs are audited, and
``alinea qualify`` runs the same service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from typer.testing import CliRunner

from alinea.apps.audit.models import AuditEntry
from alinea.apps.definitions.applying import definitions_apply, definitions_apply_after_import
from alinea.cli.main import app
from alinea.cli.qualify import qualify_on, qualify_tick
from alinea.warehouse import connect, ingest_many

from .conftest import HAND_LEADS, NOW, STRICT, Lead, signed, strict_qualifies

pytestmark = pytest.mark.django_db

LATER = NOW + dt.timedelta(days=3)


def _current_stage(lead: Lead, at: dt.datetime) -> str | None:
    seen = [(when, stage) for stage, when in lead.stages.items() if when <= at]
    return max(seen)[1] if seen else None


def expected_mqls(at: dt.datetime) -> set[str]:
    """Leads that meet the strict MQL now and are not at sql or customer yet."""
    return {
        lead.lead_id
        for lead in HAND_LEADS
        if strict_qualifies(lead, at) and _current_stage(lead, at) is None
    }


def _mql_changes(con) -> list[dict]:
    table = con.table("stage_changes")
    rows = table.filter(table.stage == "mql").to_pandas()
    return rows.sort_values("lead_id").to_dict("records")


def _apply_audits() -> int:
    return AuditEntry.objects.filter(action="definition_apply").count()


def test_the_active_version_moves_the_leads_it_qualifies(leads, hand_warehouse) -> None:
    active = signed(leads, STRICT)
    expected = expected_mqls(NOW)
    assert expected, "the hand-built warehouse should have leads to qualify"

    applied = definitions_apply(actor=None, con=hand_warehouse, now=NOW)

    assert [a.definition.pk for a in applied] == [active.pk]
    assert set(applied[0].lead_ids) == expected
    written = _mql_changes(hand_warehouse)
    assert {row["lead_id"] for row in written} == expected
    assert {row["definition_version"] for row in written} == {"mql-v1"}
    assert {row["changed_by"] for row in written} == {"system"}
    assert {row["changed_at"].to_pydatetime() for row in written} == {NOW}
    entry = AuditEntry.objects.get(action="definition_apply")
    assert entry.object_id == str(active.pk)
    assert f"moved {len(expected)} leads to mql" in entry.summary


def test_applying_again_writes_nothing_new(leads, hand_warehouse) -> None:
    signed(leads, STRICT)
    definitions_apply(actor=None, con=hand_warehouse, now=NOW)
    before = _mql_changes(hand_warehouse)

    again = definitions_apply(actor=None, con=hand_warehouse, now=NOW)
    later = definitions_apply(actor=None, con=hand_warehouse, now=NOW + dt.timedelta(seconds=1))

    assert [a.moved for a in again + later] == [0, 0]
    assert _mql_changes(hand_warehouse) == before
    assert _apply_audits() == 1


def _fresh_enterprise_lead(con, lead_id: str, at: dt.datetime) -> None:
    """A lead created at ``at`` with two touchpoints then: it meets the strict MQL."""
    ingest_many(
        con,
        {
            "leads": [
                {"lead_id": lead_id, "created_at": at, "segment": "enterprise", "owner_id": "rep-a"}
            ],
            "touchpoints": [
                {"touchpoint_id": f"{lead_id}-{i}", "lead_id": lead_id, "occurred_at": at,
                 "type": "visit", "channel": "organic_search"}
                for i in range(2)
            ],
        },
    )  # fmt: skip


def test_a_later_run_moves_only_the_leads_that_newly_qualify(leads, hand_warehouse) -> None:
    signed(leads, STRICT)
    first = set(definitions_apply(actor=None, con=hand_warehouse, now=NOW)[0].lead_ids)
    _fresh_enterprise_lead(hand_warehouse, "NEW", LATER)
    second = definitions_apply(actor=None, con=hand_warehouse, now=LATER)[0]
    assert set(second.lead_ids) == expected_mqls(LATER) - first | {"NEW"}
    assert "NEW" not in first


def test_a_dry_run_writes_nothing(leads, hand_warehouse) -> None:
    signed(leads, STRICT)
    applied = definitions_apply(actor=None, con=hand_warehouse, now=NOW, dry_run=True)
    assert set(applied[0].lead_ids) == expected_mqls(NOW)
    assert _mql_changes(hand_warehouse) == []
    assert _apply_audits() == 0


def test_without_an_active_version_nothing_happens(leads, hand_warehouse) -> None:
    assert definitions_apply(actor=None, con=hand_warehouse, now=NOW) == []
    assert qualify_on(hand_warehouse, now=NOW) == "qualify: no active definition"
    assert _mql_changes(hand_warehouse) == []


def test_only_team_members_may_apply(leads, hand_warehouse) -> None:
    signed(leads, STRICT)
    with pytest.raises(PermissionDenied):
        definitions_apply(actor=leads["viewer"], con=hand_warehouse, now=NOW)
    assert definitions_apply(actor=leads["rep"], con=hand_warehouse, now=NOW)[0].moved > 0


def test_now_must_be_aware(leads, hand_warehouse) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        definitions_apply(actor=None, con=hand_warehouse, now=NOW.replace(tzinfo=None))


def test_after_an_import_a_failure_is_logged_not_raised(leads, hand_warehouse, caplog) -> None:
    signed(leads, STRICT)
    hand_warehouse.drop_table("touchpoints")
    assert definitions_apply_after_import(con=hand_warehouse, now=NOW) == []
    assert "qualifying leads after an import failed" in caplog.text


def test_the_worker_tick_applies_and_reports(leads, hand_warehouse, warehouse_url) -> None:
    signed(leads, STRICT)
    hand_warehouse.disconnect()
    line = qualify_tick(warehouse_url, now=NOW)
    assert line == f"qualify: MQL v1: {len(expected_mqls(NOW))} leads"
    assert qualify_tick(warehouse_url, now=NOW) == "qualify: MQL v1: 0 leads"


@pytest.fixture
def django_ready(monkeypatch: pytest.MonkeyPatch) -> None:
    """pytest-django has set up Django and the test app database already."""
    monkeypatch.setattr("alinea.cli.django.setup_django", lambda: None)


def test_the_command_dry_run_then_writes(leads, warehouse_url, django_ready) -> None:
    signed(leads, STRICT)
    con = connect(warehouse_url)
    _fresh_enterprise_lead(con, "NOW-1", dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
    con.disconnect()
    runner = CliRunner()
    dry = runner.invoke(app, ["qualify", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "NOW-1" in dry.output
    assert "1 stage changes, none written" in dry.output
    assert _apply_audits() == 0
    wet = runner.invoke(app, ["qualify"])
    assert wet.exit_code == 0, wet.output
    assert "1 stage changes written" in wet.output
    assert _apply_audits() == 1
    again = runner.invoke(app, ["qualify"])
    assert "0 stage changes written" in again.output
    con = connect(warehouse_url)
    assert [row["lead_id"] for row in _mql_changes(con)] == ["NOW-1"]
    con.disconnect()


MAVEN_TEAMS = "sales_agent,manager,regional_office\nMoses Frase,Dustin Brinkmann,Central\n"
MAVEN_PIPELINE = (
    "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
    "O1,Moses Frase,GTXPro,Cancity,Won,2016-10-20,2017-03-01,1054.0\n"
)


def test_a_committed_import_qualifies_leads(leads, warehouse_url, tmp_path) -> None:
    from alinea.apps.imports.services import import_run

    signed(leads, {"fit": [{"attribute": "segment", "any_of": ["enterprise"]}]})
    con = connect(warehouse_url)
    created = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    ingest_many(
        con,
        {
            "leads": [
                {"lead_id": "BIG", "created_at": created, "segment": "enterprise"},
                {"lead_id": "SMALL", "created_at": created, "segment": "smb"},
            ]
        },
    )
    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "sales_teams.csv").write_text(MAVEN_TEAMS)
    (folder / "sales_pipeline.csv").write_text(MAVEN_PIPELINE)
    assert _mql_changes(con) == []

    import_run(actor=None, con=con, paths=[folder], mapping="maven-crm", source="cli")

    written = _mql_changes(con)
    assert [(r["lead_id"], r["definition_version"]) for r in written] == [("BIG", "mql-v1")]
    con.disconnect()
