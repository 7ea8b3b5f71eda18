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

__all__ = [
    "MAX_URL_LENGTH",
    "NewWebhookEndpoint",
    "WebhookEndpoint",
    "check_webhook_url",
    "shown_url",
    "url_problem",
]

MAX_URL_LENGTH: Final = 2048
"""The longest URL a webhook endpoint or a TMF hub's callback may have."""


def url_problem(value: object) -> str | None:
    """What is wrong with ``value`` as a URL the operator POSTs events to (a webhook
    endpoint's ``url``, a TMF hub's ``callback``), or ``None`` when nothing is: it must be
    an absolute ``http``/``https`` URL with a host, at most :data:`MAX_URL_LENGTH`
    characters, with no user name or password and no white space or control characters.

    The answer never contains the value, nor any part of it: the URL's path or query may
    be the listener's secret (a capability URL), so an error must not carry it into logs."""
    if not isinstance(value, str):
        return f"must be a URL string, not {type(value).__name__}"
    if not value:
        return "is empty"
    if len(value) > MAX_URL_LENGTH:
        return f"is longer than {MAX_URL_LENGTH} characters"
    try:
        parts = urlsplit(value)
        host, _port = parts.hostname, parts.port  # a port that is not a number raises
    except ValueError:
        return "is not a URL (a malformed host or port)"
    if parts.scheme not in ("http", "https"):
        return "must be an absolute http:// or https:// URL"
    if not host:
        return "has no host"
    if parts.username is not None or parts.password is not None:
        return "must not carry a user name or password"
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return "contains white space or a control character"
    return None


def shown_url(url: str) -> str:
    """``url`` as a repr may show it: ``scheme://host[:port]/…``, never its path, query or
    fragment (a listener's secret may be there, as for :func:`url_problem`) nor a user
    name or password. The one rule for every record holding a callback URL."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "'…'"
    host = parts.netloc.rpartition("@")[2]
    return repr(f"{parts.scheme}://{host}/…")


def _shown_url(value: str | None) -> str:
    return "None" if value is None else shown_url(value)


def check_webhook_url(value: Any, field: str = "url") -> str:
    """``value`` if :func:`url_problem` finds nothing wrong with it, else a
    :class:`~selfcare.ValidationError` naming ``field`` and the problem (never the URL)."""
    problem = url_problem(value)
    if problem is not None:
        raise ValidationError(
            f"{field} {problem} (the URL is not repeated: its path may be a secret)",
            field=field,
        )
    assert isinstance(value, str)
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
    url: str | None = attrs.field(validator=_url, repr=_shown_url)
    """The callback as given (in reprs only ``scheme://host[:port]/…``: see :func:`shown_url`)."""
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
