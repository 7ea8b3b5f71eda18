"""Receiving webhooks: verify a delivery and get the typed :class:`~selfcare.Event` back.

The reference server (``selfcare serve``) and ``selfcare webhooks listen`` POST each event
to its endpoints signed per the `Standard Webhooks <https://www.standardwebhooks.com/>`_
specification: the body is the event's JSON (as ``GET /v1/events`` pages it) and three
headers travel with it,

* ``webhook-id``: the same for every attempt of one event to one endpoint (deduplicate
  on it: delivery is at least once);
* ``webhook-timestamp``: the attempt's time, in Unix seconds;
* ``webhook-signature``: ``v1,`` and the base64 HMAC-SHA256 of ``id.timestamp.body`` with
  the endpoint's secret (space-separated when there are several).

:func:`unwrap` checks them on the raw bytes of the body with the maintained
``standardwebhooks`` package computing the signature, compares in constant time, refuses a
timestamp outside the replay window, and decodes the event; :func:`sign` makes the headers
(the server and the CLI use it; tests of your receiver can too).
"""

from __future__ import annotations

import hmac
import math
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import msgspec
from standardwebhooks import Webhook

from selfcare._errors import ValidationError, WebhookVerificationError
from selfcare._secret import Secret
from selfcare.model.events import Event

__all__ = [
    "DEFAULT_TOLERANCE",
    "WebhookVerificationError",
    "encode",
    "sign",
    "unwrap",
    "webhook_id",
]

DEFAULT_TOLERANCE = 300
"""Seconds a delivery's timestamp may be from now, either way (the specification's five
minutes)."""
_MAX_SIGNATURES = 16


def encode(event: Event) -> bytes:
    """The body a delivery of ``event`` carries: its JSON, as ``GET /v1/events`` pages it."""
    from selfcare.protocol._codec import encode_result

    return encode_result(event)


def webhook_id(event: Event) -> str:
    """The ``webhook-id`` of ``event``'s deliveries: the same for every attempt, unique
    across lines (an event id is unique on its line only). Deduplicate on it."""
    return f"msg_{event.line.e164.lstrip('+')}_{event.id}"


def _webhook(secret: Secret | str) -> Webhook:
    value = secret.reveal() if isinstance(secret, Secret) else secret
    if not isinstance(value, str) or not value:
        raise ValidationError(
            "secret must be the endpoint's signing secret (whsec_…)", field="secret"
        )
    try:
        return Webhook(value)
    except Exception:  # binascii.Error, EmptyWebhookSecretError: never echo the value
        raise ValidationError(
            "secret is not a Standard Webhooks secret (whsec_ and base64)", field="secret"
        ) from None


def sign(
    body: bytes, secret: Secret | str, *, message_id: str, timestamp: datetime | None = None
) -> dict[str, str]:
    """The three Standard Webhooks headers for ``body`` sent as ``message_id`` at
    ``timestamp`` (now by default)."""
    when = datetime.now(UTC) if timestamp is None else timestamp
    # signed as text: every version of the package takes a str (a body is UTF-8 JSON)
    signature = _webhook(secret).sign(message_id, when, body.decode())
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(math.floor(when.timestamp())),
        "webhook-signature": signature,
    }


def _header(headers: Mapping[str, str], name: str) -> str:
    found = None
    for key, value in headers.items():
        if key.lower() == name:
            found = value
            break
    if not found:
        raise WebhookVerificationError(f"the {name} header is missing")
    return found


def unwrap(
    body: bytes | bytearray | memoryview,
    headers: Mapping[str, str],
    secret: Secret | str,
    tolerance: float = DEFAULT_TOLERANCE,
    *,
    now: datetime | None = None,
) -> Event:
    """The event a webhook delivered, after checking it came from the operator.

    ``body`` is the request body's raw bytes exactly as received (parse nothing before);
    ``headers`` the request's headers (any mapping; names in any case); ``secret`` the
    endpoint's signing secret (``whsec_…``, from ``sc.webhooks.create()``). The timestamp
    must be within ``tolerance`` seconds of ``now`` (the machine's clock by default) either
    way, so a captured delivery cannot be replayed later. Raises
    :class:`~selfcare.WebhookVerificationError` saying which check failed (never echoing
    the body or the secret); the event's times are in UTC.
    """
    if isinstance(body, str) or not isinstance(body, bytes | bytearray | memoryview):
        raise ValidationError(
            f"body must be the raw bytes of the request, not {type(body).__name__}: "
            "verify before decoding anything",
            field="body",
        )
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or tolerance < 0:
        raise ValidationError(
            f"tolerance={tolerance!r} must be a number of seconds, 0 or more", field="tolerance"
        )
    if now is not None and now.tzinfo is None:
        raise ValidationError("now must be an aware datetime", field="now")
    webhook = _webhook(secret)
    raw = bytes(body)
    message_id = _header(headers, "webhook-id")
    stamp = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 12:
        raise WebhookVerificationError("the webhook-timestamp header is not Unix seconds")
    sent = datetime.fromtimestamp(int(stamp), UTC)
    current = datetime.now(UTC) if now is None else now
    if abs(current - sent) > timedelta(seconds=tolerance):
        older = "older" if sent < current else "newer"
        raise WebhookVerificationError(
            f"the webhook-timestamp is {older} than the tolerance of {tolerance:g} s allows "
            "(a replay, or a clock far off)"
        )
    try:
        text = raw.decode()  # strict: re-encoding gives back exactly the bytes received
    except UnicodeDecodeError:
        raise WebhookVerificationError("the body is not UTF-8, so no event of ours") from None
    expected = webhook.sign(message_id, sent, text).encode()
    given = signatures.split(" ")[:_MAX_SIGNATURES]
    matched = False
    for candidate in given:  # every candidate is compared, in constant time
        matched |= hmac.compare_digest(expected, candidate.encode())
    if not matched:
        raise WebhookVerificationError("no signature matches the body and the secret")
    from selfcare.protocol._codec import decode_event

    try:
        event: Event = decode_event(raw)
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError) as exc:
        raise WebhookVerificationError(
            f"the signed body is not a selfcare event: {str(exc)[:120]}"
        ) from None
    return event
