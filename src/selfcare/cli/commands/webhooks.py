"""``selfcare webhooks``: endpoints the line's events are pushed to, and ``listen``, which
forwards them, signed, to an endpoint on your machine while you develop it."""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Iterable
from typing import Any

import click
import httpx

from selfcare._i18n import gettext as _
from selfcare._secret import Secret
from selfcare.cli._context import State, pass_state
from selfcare.cli._options import choice, output_options
from selfcare.cli._output import Column, emit, emit_one, note, terminal
from selfcare.cli.commands.events import summary
from selfcare.model.events import Event, EventType
from selfcare.model.webhooks import WebhookEndpoint, check_webhook_url
from selfcare.webhooks import encode, sign, webhook_id

__all__ = ["COMMANDS"]

SECRET_ENV = "SELFCARE_WEBHOOK_SECRET"  # noqa: S105 (the name of a variable)
"""Where ``listen`` takes its signing secret from when ``--secret`` is not given."""

ENDPOINT_COLUMNS: list[Column[WebhookEndpoint]] = [
    Column("Id", lambda e: e.id),
    Column("URL", lambda e: e.url, key="url", wrap=True),
    Column("Types", lambda e: ", ".join(t.value for t in e.types) or "*", key="types"),
    Column("Created", lambda e: e.created_at, key="created_at"),
]
SECRET_COLUMNS: list[Column[Any]] = [
    *ENDPOINT_COLUMNS,
    # None on a TMF backend: its hubs are not signed (docs/tmf.md, "Protecting a listener")
    Column("Secret", lambda e: e.secret.reveal() if e.secret else None, key="secret"),
]
TYPES = click.option(
    "--type",
    "types",
    type=choice(EventType),
    multiple=True,
    help="Only events of this type (repeat for several; every type by default).",
)


@click.group()
def webhooks() -> None:
    """URLs the line's events are pushed to, signed: create, list, delete, listen.

    Example: selfcare --fake webhooks create https://hooks.example/selfcare --type bill.issued
    """


@webhooks.command("create")
@click.argument("url")
@TYPES
@output_options
@pass_state
def create(state: State, url: str, types: tuple[str, ...]) -> None:
    """Register URL (http or https) for the line's events; shows its signing secret once.

    Example: selfcare --fake webhooks create https://hooks.example/selfcare --type bill.issued
    """
    made = state.client().webhooks.create(url, types=types or None)
    emit_one(state, made, SECRET_COLUMNS, title=_("Webhook endpoint created"))
    if made.secret is not None:
        note(_("Keep the secret: it is shown this once. Verify deliveries with it."))


@webhooks.command("list")
@output_options
@pass_state
def list_(state: State) -> None:
    """The line's webhook endpoints, newest first (without their secrets).

    Example: selfcare --base-url http://127.0.0.1:8080 webhooks list
    """
    found = state.client().webhooks.list()
    emit(state, found, ENDPOINT_COLUMNS, title=_("Webhook endpoints"), empty=_("No endpoints."))


@webhooks.command("delete")
@click.argument("endpoint_id")
@pass_state
def delete(state: State, endpoint_id: str) -> None:
    """Stop delivering to the endpoint ENDPOINT_ID.

    Example: selfcare --base-url http://127.0.0.1:8080 webhooks delete we_0123456789abcdef
    """
    state.client().webhooks.delete(endpoint_id)
    note(_("Deleted webhook endpoint %(id)s.") % {"id": endpoint_id})


@webhooks.command("listen")
@click.option(
    "--forward-to",
    "forward_to",
    required=True,
    metavar="URL",
    help="Where to POST each event (http or https), e.g. http://127.0.0.1:4242/hooks.",
)
@TYPES
@click.option("--after", metavar="ID", help="Catch up after this event id first.")
@click.option(
    "--secret",
    metavar="WHSEC",
    help=f"Sign with this secret (default: ${SECRET_ENV}, else a new one, printed at the start).",
)
@click.option("--limit", type=click.IntRange(min=1), help="Stop after this many events.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True)
@pass_state
def listen(
    state: State,
    forward_to: str,
    types: tuple[str, ...],
    after: str | None,
    secret: str | None,
    limit: int | None,
    timeout: float,
) -> None:
    """Forward the line's events as they happen, signed, to a local endpoint (--forward-to),
    as the operator's webhooks would reach it: one POST per event, with the Standard Webhooks
    headers. One line per event says how the endpoint answered; Ctrl-C stops.

    Example: selfcare --base-url http://127.0.0.1:8080 --token "$TOKEN" webhooks listen
    --forward-to http://127.0.0.1:4242/hooks
    """
    try:
        target = check_webhook_url(forward_to, "--forward-to")
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--forward-to") from None
    given = secret or os.environ.get(SECRET_ENV)
    if given:
        key = Secret(given)
        try:
            sign(b"{}", key, message_id="msg_check")
        except ValueError:
            raise click.BadParameter(
                _("not a Standard Webhooks secret (whsec_ and base64)"), param_hint="--secret"
            ) from None
    else:
        from selfcare.backends.fake._webhooks import new_secret

        key = new_secret()
        note(
            _("Your webhook signing secret for this session is %(secret)s")
            % {"secret": key.reveal()}
        )
    sc = state.client()
    stream: Iterable[Event] = sc.events.stream(types=types or None, after=after)
    if limit is not None:
        stream = itertools.islice(stream, limit)
    note(_("Ready: forwarding events to %(url)s (Ctrl-C stops).") % {"url": target})
    # Ctrl-C is how a listener stops
    with httpx.Client(timeout=timeout) as http, contextlib.suppress(KeyboardInterrupt):
        for event in stream:
            click.echo(terminal(_forward(http, target, key, event)))


def _forward(http: httpx.Client, url: str, key: Secret, event: Event) -> str:
    body = encode(event)
    headers = sign(body, key, message_id=webhook_id(event))
    headers["content-type"] = "application/json"
    try:
        response = http.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        answer = _("failed: %(error)s") % {"error": type(exc).__name__}
    else:
        answer = f"[{response.status_code}]"
    return f"{event.id}  {event.type.value}  {summary(event)}  → {answer}"


COMMANDS = [webhooks]
