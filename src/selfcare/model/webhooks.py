"""Webhook endpoints: URLs the operator POSTs a line's events to, signed per Standard Webhooks.

A :class:`WebhookEndpoint` is what ``sc.webhooks.list()`` shows; creating one returns a
:class:`NewWebhookEndpoint`, the same record with its signing ``secret``, shown that once
(never in a repr). ``docs/events.md`` describes delivery and verification.
"""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import urlsplit

import attrs

from selfcare._errors import ValidationError
from selfcare._secret import Secret
from selfcare._time import Instant
from selfcare.model._repr import compact_repr
from selfcare.model.events import EventType

__all__ = ["MAX_URL_LENGTH", "NewWebhookEndpoint", "WebhookEndpoint", "check_webhook_url"]

MAX_URL_LENGTH: Final = 2048


def check_webhook_url(value: Any, field: str = "url") -> str:
    """An absolute ``http``/``https`` URL with a host, at most 2048 characters, no user or
    password in it; an error names the value (clipped) otherwise."""
    if not isinstance(value, str):
        raise ValidationError(
            f"{field} must be a URL string, not {type(value).__name__}", field=field
        )
    shown = value if len(value) <= 80 else value[:79] + "…"
    if len(value) > MAX_URL_LENGTH:
        raise ValidationError(
            f"{field}={shown!r} is longer than {MAX_URL_LENGTH} characters", field=field
        )
    try:
        parts = urlsplit(value)
        host, _port = parts.hostname, parts.port
    except ValueError:
        raise ValidationError(f"{field}={shown!r} is not a URL", field=field) from None
    if parts.scheme not in ("http", "https"):
        raise ValidationError(f"{field}={shown!r} must be an http:// or https:// URL", field=field)
    if not host:
        raise ValidationError(f"{field}={shown!r} has no host", field=field)
    if parts.username is not None or parts.password is not None:
        hidden = parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]).geturl()
        shown = hidden if len(hidden) <= 80 else hidden[:79] + "…"
        raise ValidationError(  # the password itself is never repeated
            f"{field}={shown!r} must not carry a user name or password (the signature "
            "authenticates deliveries)",
            field=field,
        )
    if any(ch.isspace() or ord(ch) < 0x20 for ch in value):
        raise ValidationError(f"{field}={shown!r} contains white space", field=field)
    return value


def _url(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        check_webhook_url(value, attribute.name)


@attrs.frozen(repr=False)
class WebhookEndpoint:
    """A URL the line's events are POSTed to, signed: those of ``types`` (every type when
    empty), each in order, retried until the endpoint answers 2xx.

    ``url`` is ``None`` only in what a TM Forum backend's ``delete`` returns: TMF answers a
    hub's ``DELETE`` with no body, and the endpoint's id leaves the callback out (its path
    may be the listener's secret)."""

    __repr__ = compact_repr

    id: str
    url: str | None = attrs.field(validator=_url)
    types: tuple[EventType, ...]
    created_at: Instant


@attrs.frozen(repr=False)
class NewWebhookEndpoint(WebhookEndpoint):
    """A webhook endpoint just created, with its signing ``secret`` (``whsec_…``): keep it,
    it is shown this once. Pass it to :func:`selfcare.webhooks.unwrap` to verify a delivery.

    ``secret`` is ``None`` where deliveries are not signed: on a TM Forum backend the
    endpoint is a set of TMF hubs, which carry no signature (a listener protects itself by
    other means: a secret path, mutual TLS, reading the resource back; docs/tmf.md,
    "Protecting a listener"). Nothing is ever made up in its place."""

    __repr__ = compact_repr

    secret: Secret | None = attrs.field(repr=False)

    @property
    def endpoint(self) -> WebhookEndpoint:
        """The record without the secret (as ``list()`` shows it)."""
        return WebhookEndpoint(self.id, self.url, self.types, self.created_at)
