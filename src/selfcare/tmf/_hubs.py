"""Registering and deleting TMF notification hubs from the client side: which hubs carry
which selfcare event types, and the flows (``POST /hub`` on each API, ``DELETE /hub/{id}``)
that :class:`~selfcare.tmf.TmfProtocol` hands to the HTTP driver.

This is the TMF half of ``sc.webhooks.create(url, types=[...])`` on a TMF backend: one
selfcare webhook endpoint is one hub per API involved, each filtered with a TMF630 query
(``eventType=A,B``), and the endpoint's id names them all (:func:`endpoint_id`), so that
``sc.webhooks.delete(id)`` deletes each. Nothing here does I/O.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Generator, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import attrs
import httpx

from selfcare._errors import APIError, NotFound, ValidationError
from selfcare.model.events import EventType
from selfcare.operations.events import check_types
from selfcare.tmf._events import HUB_EVENTS, UNMAPPED
from selfcare.tmf._profile import TmfProfile
from selfcare.tmf._wire import decode_json, encode_json, error_from_tmf

__all__ = [
    "ENDPOINT_PREFIX",
    "TmfHub",
    "delete_hubs",
    "endpoint_hubs",
    "endpoint_id",
    "hub_queries",
    "register_hubs",
]

ENDPOINT_PREFIX = "tmfhubs_"
"""How the id of a webhook endpoint made of TMF hubs begins."""
_MAX_ID = 4096
VERSION = "selfcare.tmf.version"
"""The request extension naming the Open API version of the request's API, which
``TmfProtocol.scope`` reads to name the line the v4 or the v5 way."""

Flow = Generator[httpx.Request, httpx.Response | None, Any]


@attrs.frozen(repr=False)
class TmfHub:
    """A hub registered on one API of a BSS (its ``callback`` may carry a secret path, so
    its repr shows only the API and id)."""

    api: str
    id: str
    callback: str
    query: str | None

    def __repr__(self) -> str:
        return f"TmfHub(api={self.api!r}, id={self.id!r})"


def hub_queries(types: Iterable[EventType | str] | EventType | str | None = None) -> dict[str, str]:
    """The hubs that carry ``types`` (every type a hub carries when none are given): each
    API's short name, and the TMF630 query of its hub (``eventType=A,B``). A type no TMF hub
    carries (:data:`~selfcare.tmf.UNMAPPED`) is refused naming it and saying why."""
    wanted = check_types(types) or tuple(HUB_EVENTS)
    names: dict[str, set[str]] = {}
    for kind in wanted:
        if kind in UNMAPPED:
            raise ValidationError(
                f"{kind.value} cannot come through a TMF hub: {UNMAPPED[kind]}", field="types"
            )
        for tmf in HUB_EVENTS[kind]:
            names.setdefault(tmf.api, set()).add(tmf.name)
    return {api: "eventType=" + ",".join(sorted(found)) for api, found in sorted(names.items())}


def _send(
    client: httpx.Client | httpx.AsyncClient, method: str, url: str, version: int, body: Any = None
) -> Generator[httpx.Request, httpx.Response | None, Any]:
    headers = {} if body is None else {"Content-Type": "application/json"}
    content = None if body is None else encode_json(body)
    response = yield client.build_request(
        method, url, content=content, headers=headers, extensions={VERSION: version}
    )
    assert response is not None
    if not response.is_success:
        raise error_from_tmf(response.status_code, response.content, response.headers)
    return decode_json(response.content, f"{method} hub") if response.content else None


def register_hubs(
    client: httpx.Client | httpx.AsyncClient,
    profile: TmfProfile,
    callback: str,
    types: Iterable[EventType | str] | EventType | str | None = None,
) -> Flow:
    """``POST /hub`` on each API that carries ``types`` (see :func:`hub_queries`), with
    ``callback``; the result is the hubs registered, as :class:`TmfHub`. A failure part-way
    deletes the hubs already registered before it raises."""
    done: list[TmfHub] = []
    try:
        for api, query in hub_queries(types).items():
            body: dict[str, Any] = {"callback": callback, "query": query}
            if profile.version(api) == 5:
                body["@type"] = "Hub"
            url = profile.root(api) + "/hub"
            doc = yield from _send(client, "POST", url, profile.version(api), body)
            if not isinstance(doc, Mapping) or not doc.get("id"):
                raise APIError(f"the {api} hub answered without an id")
            done.append(TmfHub(api, str(doc["id"]), callback, query))
    except Exception:
        if done:
            yield from delete_hubs(client, profile, done)
        raise
    return tuple(done)


def delete_hubs(
    client: httpx.Client | httpx.AsyncClient, profile: TmfProfile, hubs: Iterable[TmfHub]
) -> Flow:
    """``DELETE /hub/{id}`` for each hub (one already gone, a 404, counts as deleted); the
    result is the hubs that were already gone."""
    gone: list[TmfHub] = []
    for hub in hubs:
        url = f"{profile.root(hub.api)}/hub/{quote(hub.id, safe='')}"
        version = {VERSION: profile.version(hub.api)}
        response = yield client.build_request("DELETE", url, extensions=version)
        assert response is not None
        if response.status_code == 404:
            gone.append(hub)
        elif not response.is_success:
            raise error_from_tmf(response.status_code, response.content, response.headers)
    return tuple(gone)


def endpoint_id(hubs: Iterable[TmfHub], types: Iterable[EventType], created_at: datetime) -> str:
    """The id of the webhook endpoint made of ``hubs``: their APIs and ids, the selfcare
    ``types`` asked for and when, as URL-safe base64 JSON behind :data:`ENDPOINT_PREFIX`.
    The callbacks are left out on purpose (a callback's path may be the listener's secret,
    and ids are shown and logged)."""
    doc = {
        "h": [[hub.api, hub.id] for hub in hubs],
        "t": [kind.value for kind in types],
        "c": int(created_at.timestamp()),
    }
    packed = json.dumps(doc, separators=(",", ":")).encode()
    return ENDPOINT_PREFIX + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def endpoint_hubs(
    endpoint: str, profile: TmfProfile
) -> tuple[tuple[TmfHub, ...], tuple[EventType, ...], datetime]:
    """The hubs, types and creation time :func:`endpoint_id` put in ``endpoint``; an id it
    did not make is ``NotFound`` (it cannot name hubs of this backend)."""
    shown = endpoint if len(endpoint) <= 40 else endpoint[:39] + "…"
    missing = NotFound(f"no webhook endpoint {shown!r} (TMF endpoint ids begin {ENDPOINT_PREFIX})")
    if not endpoint.startswith(ENDPOINT_PREFIX) or len(endpoint) > _MAX_ID:
        raise missing
    packed = endpoint[len(ENDPOINT_PREFIX) :]
    try:
        doc = json.loads(base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4)))
        hubs = tuple(TmfHub(str(api), str(hub_id), "", None) for api, hub_id in doc["h"])
        types = check_types(doc["t"])
        created = datetime.fromtimestamp(int(doc["c"]), UTC)
    except (binascii.Error, ValueError, KeyError, TypeError, OverflowError, OSError):
        raise missing from None
    if not hubs or any(hub.api not in profile.roots or hub.id in ("", ".", "..") for hub in hubs):
        raise missing
    return hubs, types, created
