"""``/api/imports`` over HTTP: idempotent batches per fact table, signed webhooks, history."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid

import pytest
from django.test import Client

from alinea.apps.accounts.models import Role
from alinea.apps.accounts.services import api_token_create
from alinea.apps.imports.models import ImportRecord
from alinea.apps.imports.webhooks import signature
from alinea.warehouse import connect

pytestmark = pytest.mark.django_db
SECRET = "webhook-secret-for-tests"


@pytest.fixture
def token(make_user) -> str:
    return api_token_create(actor=None, user=make_user("marketing", Role.MEMBER), name="tests")


@pytest.fixture
def stored(warehouse_url):
    def count(table: str) -> int:
        con = connect(warehouse_url)
        try:
            return int(con.table(table).count().execute())
        finally:
            con.disconnect()

    return count


def lead(lead_id: str, **extra: object) -> dict[str, object]:
    return {"lead_id": lead_id, "created_at": "2025-03-01T09:30:00+01:00", **extra}


def post_batch(client: Client, token: str, table: str, rows, key: str | None = "k1"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(
        f"/api/imports/{table}", json.dumps(rows), content_type="application/json", **headers
    )


def test_a_batch_is_written_and_recorded(client, token, stored) -> None:
    response = post_batch(client, token, "leads", [lead("l1"), lead("l2", channel="email")])
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["received"], body["inserted"], body["replayed"]) == (2, 2, False)
    assert stored("leads") == 2
    record = ImportRecord.objects.get(pk=body["import_id"])
    assert (record.source, record.mapping_name, record.batch_id) == (
        "api",
        "api:leads",
        body["batch_id"],
    )


def test_the_same_key_and_rows_answer_again_and_write_nothing(client, token, stored) -> None:
    first = post_batch(client, token, "leads", [lead("l1")]).json()
    again = post_batch(client, token, "leads", [lead("l1")])
    assert again.status_code == 200
    assert again.json() | {"replayed": False, "inserted": 1, "already_present": 0} == first
    assert again.json()["replayed"] is True
    assert stored("leads") == 1
    assert ImportRecord.objects.count() == 1


def test_the_same_key_with_other_rows_is_a_conflict(client, token, stored) -> None:
    post_batch(client, token, "leads", [lead("l1")])
    response = post_batch(client, token, "leads", [lead("l2")])
    assert response.status_code == 409
    assert "already used for other rows" in response.json()["detail"]
    assert stored("leads") == 1


def test_a_batch_with_one_bad_row_writes_nothing_and_names_it(client, token, stored) -> None:
    rows = [lead("l1"), lead("l2", segment="huge"), {"lead_id": "l3"}]
    response = post_batch(client, token, "leads", rows)
    assert response.status_code == 422
    problems = [(p["row"], p["column"], p["value"]) for p in response.json()["problems"]]
    assert sorted(problems, key=str) == sorted(
        [(2, "segment", "huge"), (3, "created_at", None)], key=str
    )
    assert stored("leads") == 0
    fixed = post_batch(client, token, "leads", [lead("l1")])  # the key was not used up
    assert fixed.status_code == 200


def test_requests_without_a_key_a_table_or_a_token_are_refused(client, token) -> None:
    assert post_batch(client, token, "leads", [lead("l1")], key=None).status_code == 400
    assert post_batch(client, token, "invoices", [lead("l1")]).status_code == 404
    anonymous = client.post("/api/imports/leads", "[]", content_type="application/json")
    assert anonymous.status_code == 401


def test_viewers_may_not_send_batches(client, make_user, stored) -> None:
    viewer = api_token_create(actor=None, user=make_user("sales", Role.VIEWER), name="v")
    assert post_batch(client, viewer, "leads", [lead("l1")]).status_code == 403
    assert stored("leads") == 0


def test_history_and_rollback_through_the_api(client, token, stored) -> None:
    body = post_batch(client, token, "leads", [lead("l1"), lead("l2")]).json()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    [listed] = client.get("/api/imports/history", **auth).json()
    assert (listed["id"], listed["source"], listed["status"]) == (
        body["import_id"],
        "api",
        "imported",
    )
    undone = client.post(f"/api/imports/history/{body['import_id']}/rollback", **auth)
    assert undone.status_code == 200
    assert undone.json()["status"] == "rolled_back"
    assert stored("leads") == 0
    again = client.post(f"/api/imports/history/{body['import_id']}/rollback", **auth)
    assert again.status_code == 409
    assert client.post("/api/imports/history/999/rollback", **auth).status_code == 404


# -- webhooks -------------------------------------------------------------------------------------


@pytest.fixture
def secret(settings) -> str:
    settings.ALINEA_WEBHOOK_SECRET = SECRET
    return SECRET


def send(
    client: Client,
    event: dict,
    *,
    key: str = SECRET,
    at: float | None = None,
    nonce=None,
    **headers,
):
    body = json.dumps(event).encode()
    timestamp = str(int(time.time() if at is None else at))
    nonce = nonce or uuid.uuid4().hex
    signed = {
        "HTTP_X_ALINEA_TIMESTAMP": timestamp,
        "HTTP_X_ALINEA_NONCE": nonce,
        "HTTP_X_ALINEA_SIGNATURE": signature(key, timestamp, nonce, body),
    }
    return client.post(
        "/api/imports/webhook", body, content_type="application/json", **(signed | headers)
    )


STAGE = {
    "event": "stage.changed",
    "data": {"lead_id": "l1", "stage": "mql", "changed_at": "2025-03-02T10:00:00Z"},
}


@pytest.mark.parametrize(
    ("event", "table"),
    [
        ({"event": "lead.created", "data": lead("l1")}, "leads"),
        (STAGE, "stage_changes"),
        (
            {
                "event": "activity.logged",
                "data": {
                    "activity_id": "a1", "lead_id": "l1", "rep_id": "r1",
                    "occurred_at": "2025-03-02T10:00:00Z", "type": "call",
                },
            },
            "activities",
        ),
        (
            {
                "event": "deal.updated",
                "data": {"deal_id": "d1", "created_at": "2025-03-02T10:00:00Z", "status": "open"},
            },
            "deals",
        ),
    ],
)  # fmt: skip
def test_each_signed_event_is_ingested(client, secret, stored, event, table) -> None:
    response = send(client, event)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body == {"event": event["event"], "table": table, "inserted": 1} | {
        "import_id": body["import_id"]
    }
    assert stored(table) == 1
    record = ImportRecord.objects.get(pk=body["import_id"])
    assert (record.source, record.actor_name, record.counts) == (
        "webhook",
        "webhook",
        {table: {"facts": 1, "inserted": 1}},
    )


def test_unsigned_and_badly_signed_requests_are_refused(client, secret, stored) -> None:
    body = json.dumps(STAGE)
    unsigned = client.post("/api/imports/webhook", body, content_type="application/json")
    assert unsigned.status_code == 401
    assert "unsigned request" in unsigned.json()["detail"]
    forged = send(client, STAGE, key="not-the-secret")
    assert forged.status_code == 401
    assert "signature does not match" in forged.json()["detail"]
    tampered = send(client, STAGE, HTTP_X_ALINEA_NONCE="other-nonce")
    assert tampered.status_code == 401
    assert stored("stage_changes") == 0


def test_stale_and_replayed_requests_are_refused(client, secret, stored) -> None:
    old = send(client, STAGE, at=time.time() - dt.timedelta(minutes=6).total_seconds())
    assert old.status_code == 401
    assert "too old" in old.json()["detail"]
    assert send(client, STAGE, nonce="n-1").status_code == 200
    replay = send(client, STAGE, nonce="n-1")
    assert replay.status_code == 409
    assert "replayed" in replay.json()["detail"]
    assert stored("stage_changes") == 1


def test_an_invalid_event_writes_nothing(client, secret, stored) -> None:
    bad = {"event": "stage.changed", "data": {"lead_id": "l1", "stage": "sold", "changed_at": "x"}}
    response = send(client, bad, nonce="n-2")
    assert response.status_code == 422
    assert {p["column"] for p in response.json()["problems"]} == {"stage", "changed_at"}
    unknown = send(client, {"event": "invoice.paid", "data": {}})
    assert unknown.status_code == 400
    assert not ImportRecord.objects.exists()
    assert send(client, STAGE, nonce="n-2").status_code == 200  # the nonce was not used up
    assert stored("stage_changes") == 1


def test_webhooks_are_off_without_a_secret(client, settings, monkeypatch) -> None:
    settings.ALINEA_WEBHOOK_SECRET = None
    monkeypatch.delenv("ALINEA_WEBHOOK_SECRET", raising=False)
    assert send(client, STAGE).status_code == 503


def test_webhook_events_of_a_day_are_one_import_that_rolls_back_whole(
    client, secret, stored, token
) -> None:
    first = send(client, {"event": "lead.created", "data": lead("l1")}).json()
    send(client, {"event": "lead.created", "data": lead("l2")})
    send(client, STAGE)
    send(client, STAGE)  # the same fact again: counted as received, not written twice
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    [listed] = client.get("/api/imports/history", **auth).json()
    assert (listed["id"], listed["source"], listed["imported_by"]) == (
        first["import_id"],
        "webhook",
        "webhook",
    )
    assert listed["counts"] == {
        "leads": {"facts": 2, "inserted": 2},
        "stage_changes": {"facts": 2, "inserted": 1},
    }
    undone = client.post(f"/api/imports/history/{listed['id']}/rollback", **auth)
    assert undone.status_code == 200, undone.content
    assert (stored("leads"), stored("stage_changes")) == (0, 0)
    after = send(client, STAGE).json()
    assert after["import_id"] != first["import_id"]
    assert stored("stage_changes") == 1
    assert ImportRecord.objects.get(pk=first["import_id"]).status == "rolled_back"


def test_webhook_imports_show_in_the_data_history(client, secret, make_user) -> None:
    send(client, STAGE)
    client.force_login(make_user("sales", Role.MEMBER))
    page = client.get("/data/").content.decode()
    assert "webhook" in page
    assert "stage_changes: 1" in page
