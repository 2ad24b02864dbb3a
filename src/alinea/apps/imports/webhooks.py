"""Signed webhook requests: how a sender signs an event and how alinea checks it.

The sender sends the raw JSON body with three headers:

- ``X-Alinea-Timestamp``: the time of sending, whole seconds since 1970 (UTC);
- ``X-Alinea-Nonce``: a value never used before (e.g. a UUID);
- ``X-Alinea-Signature``: ``sha256=`` + hex HMAC-SHA256, keyed with the shared secret, of
  ``<timestamp>.<nonce>.<body>``.

A request is refused when a header is missing, the signature does not match, the timestamp is more
than ``TOLERANCE`` away from now, or the nonce was seen before (a replay). The body names an event
and carries one fact row::

    {"event": "stage.changed", "data": {"lead_id": "l1", "stage": "mql", "changed_at": "…"}}
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping

TOLERANCE = dt.timedelta(minutes=5)
TIMESTAMP_HEADER = "X-Alinea-Timestamp"
NONCE_HEADER = "X-Alinea-Nonce"
SIGNATURE_HEADER = "X-Alinea-Signature"

#: event name → the fact table its ``data`` is a row of.
EVENTS: dict[str, str] = {
    "lead.created": "leads",
    "stage.changed": "stage_changes",
    "activity.logged": "activities",
    "deal.updated": "deals",
}


class WebhookRefused(ValueError):
    """The request is not accepted; the message says why (without revealing the secret)."""


def signature(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    """The ``X-Alinea-Signature`` value for a request.

    >>> signature("s3cret", "1700000000", "n1", b"{}")[:15]
    'sha256=47e5a420'
    """
    message = timestamp.encode() + b"." + nonce.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def check_signed(
    headers: Mapping[str, str], body: bytes, *, secret: str, now: dt.datetime
) -> tuple[str, dt.datetime]:
    """The nonce and send time of a correctly signed, fresh request; ``WebhookRefused`` if not.

    Whether the nonce was seen before is for the caller to check (it needs storage).
    """
    found = {name: headers.get(name, "").strip() for name in (TIMESTAMP_HEADER, NONCE_HEADER)}
    given = headers.get(SIGNATURE_HEADER, "").strip()
    missing = [name for name, value in {**found, SIGNATURE_HEADER: given}.items() if not value]
    if missing:
        raise WebhookRefused(f"unsigned request: missing {', '.join(missing)}")
    timestamp, nonce = found[TIMESTAMP_HEADER], found[NONCE_HEADER]
    if not hmac.compare_digest(given, signature(secret, timestamp, nonce, body)):
        raise WebhookRefused("the signature does not match the body")
    try:
        sent = dt.datetime.fromtimestamp(int(timestamp), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise WebhookRefused(f"{TIMESTAMP_HEADER} is not whole seconds since 1970") from None
    if abs(now - sent) > TOLERANCE:
        raise WebhookRefused(
            f"the request is too old or from the future (more than {TOLERANCE} from now)"
        )
    if len(nonce) > 128:
        raise WebhookRefused(f"{NONCE_HEADER} is longer than 128 characters")
    return nonce, sent
