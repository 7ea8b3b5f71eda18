"""What every API module of the TMF face is written against: the request as a translation
sees it (:class:`TmfCall`), what a translation produces (:class:`Served`), the route row
(:class:`TmfRoute`) and the generic translations several APIs share (by id from a listing,
404 for a resource only kept documents answer, 405 for the operator's own records, a request
kept in its failed state)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any

import attrs

from selfcare import operations as ops
from selfcare._client.paging import MAX_PAGE_SIZE, Page
from selfcare._errors import NotFound, NotSupported, ValidationError
from selfcare.backends import AsyncBackend, Backend
from selfcare.backends.fake import TmfDocuments
from selfcare.model import Account, Balance, PhoneNumber
from selfcare.server._app import _execute
from selfcare.server.tmf.query import Json, instant
from selfcare.tmf import _mapping as m
from selfcare.tmf._profile import TmfProfile, standard_root

__all__ = [
    "Json",
    "Served",
    "TmfCall",
    "TmfRoute",
    "Translate",
    "by_id",
    "held_only",
    "missing",
    "one",
    "refused",
    "rejected",
    "unchangeable",
]


@attrs.frozen
class Served:
    """What a route's translation produced: one resource, or a collection to page.

    ``keep`` marks a resource kept for the subscriber from now on (selfcare's model has no
    place for it: the fake keeps it in its ``TmfDocuments``); the generic endpoint then
    answers ``GET``, ``PATCH`` and ``DELETE`` of it and lists it. ``done`` says selfcare
    acted on it (an order, a top-up): only its description and name may change then, and it
    cannot be deleted. A record or a request selfcare did not act on (a submitted usage
    record, a message kept in its failed state) is the caller's to change.
    """

    body: Json | list[Json] | None
    status: int = 200
    keep: bool = False
    done: bool = False
    deleted: str | None = None
    """The id of an operator's record this request deleted from the TMF view (``DELETE``)."""
    overlay: Json | None = None
    """Attributes a ``PATCH`` set on an operator's record (``body``), which the face shows on
    it from now on, as long as the operator's own values of them stay as they were."""
    basis: Json | None = None
    """The operator's own values of the ``overlay``'s attributes when it was patched."""
    total: int | None = None
    """Set when the translation paged the collection itself (a seek, see ``usage``): the
    ``body`` is the page asked for and ``total`` the collection's size."""


@attrs.define
class TmfCall:
    """One TMF request as a route's translation sees it, with a way to run operations."""

    profile: TmfProfile
    backend: Backend | AsyncBackend
    path: Mapping[str, str]
    query: Mapping[str, str]
    body: Any
    """The decoded JSON body; for ``POST`` and ``PATCH`` an object (``checked_body`` has
    refused anything else before the translation runs)."""
    idempotency_key: str | None
    base: str = ""
    """The API's root as the caller reached it (``http://host/tmf-api/…/v4``), for ``href``."""
    api: str = ""
    version: int = 4
    """The Open API version (4 or 5) this API is served in: the mapping's version switch."""
    documents: TmfDocuments | None = attrs.field(default=None, repr=False)
    """The documents kept for the token's subscriber (the endpoint hands them over once it
    knows whose they are)."""
    line: PhoneNumber | None = None
    """The line the request names (``relatedParty.id``; ``backend`` acts on it), if any."""
    login: Backend | AsyncBackend | None = attrs.field(default=None, repr=False)
    """The login's own backend, whatever line the request names."""
    keep_limit: int = 64 * 1024
    """The most this server keeps of one resource, in bytes of JSON (``create_tmf_app``'s
    ``max_document_bytes``)."""
    _account: Account | None = attrs.field(default=None, init=False)

    def href(self, path: str) -> str:
        """The absolute URL of ``path`` under this API's root."""
        return self.base + path

    def href_in(self, api: str, path: str) -> str:
        """The absolute URL of ``path`` under another API's root on this server (in the
        version the profile serves that API in)."""
        host = self.base.removesuffix(standard_root(self.api, self.version))
        return host + standard_root(api, self.profile.version(api)) + path

    def held(self, collection: str) -> list[Json]:
        """The documents kept for the token's subscriber in ``collection`` of this API."""
        assert self.documents is not None, "the endpoint hands over the documents first"
        return self.documents.docs(self.api + collection)

    async def run(self, op: ops.Operation[Any]) -> Any:
        return await _execute(self.backend, op)

    async def account(self) -> Account:
        """The token's account (asked once per request)."""
        if self._account is None:
            self._account = await self.run(ops.GetAccount())
        return self._account

    async def own_account(self, name: str) -> str:
        """The body's ``name.id``, which must be the token's own billing account (a
        reference without an id is taken to mean it)."""
        wanted = self.field(name)
        if not isinstance(wanted, Mapping):
            raise ValidationError(f"{name} must be an object", field=name)
        mine = (await self.account()).personal_account
        if wanted.get("id") is not None and str(wanted.get("id")) != mine:
            raise ValidationError(
                f"{name}.id {wanted.get('id')!r} is not this token's account {mine!r}",
                field=f"{name}.id",
            )
        return mine

    async def every(self, op: ops.PagedOperation[Any]) -> list[Any]:
        """Every record of a listing, all pages."""
        items: list[Any] = []
        op = attrs.evolve(op, limit=MAX_PAGE_SIZE)
        while True:
            page: Page[Any] = await self.run(op)
            items.extend(page.items)
            if page.next_cursor is None:
                return items
            op = attrs.evolve(op, cursor=page.next_cursor)

    async def now(self) -> datetime:
        """The operator's clock (the fake's may be a test's), in the account's zone."""
        balance: Balance = await self.run(ops.GetBalance())
        return balance.as_of.astimezone((await self.account()).zone)

    def key(self, suffix: str = "") -> str | None:
        """The caller's idempotency key to pass on (``None`` lets the operation make one);
        ``suffix`` tells apart the operations one request performs."""
        return None if self.idempotency_key is None else self.idempotency_key + suffix

    def plain_listing(self, collection: str, handled: frozenset[str]) -> bool:
        """Whether this listing's query is only paging, ``fields`` and the filters in
        ``handled``, over a collection the face keeps nothing in for the subscriber (no
        documents, deletions or patches to merge): a translation may then page it itself."""
        if set(self.query) - handled - {"offset", "limit", "fields"}:
            return False
        if self.documents is None:
            return False
        kept = self.documents.collection(self.api + collection)
        return not (kept.kept or kept.deleted or kept.overlays)

    def instant(self, name: str) -> datetime | None:
        text = self.query.get(name)
        return None if text is None else instant(text, name)

    def field(self, name: str) -> Any:
        if not isinstance(self.body, Mapping) or self.body.get(name) is None:
            raise ValidationError(f"the request body has no {name!r}", field=name)
        return self.body[name]


Translate = Callable[[TmfCall], Awaitable[Served]]


@attrs.frozen
class TmfRoute:
    """One TMF operation the face serves: API, method, path under the API root, translation."""

    api: str
    method: str
    path: str
    translate: Translate
    required: tuple[str, ...] = ()
    """The body attributes the spec marks mandatory for this operation (400 when missing)."""
    choices: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    """Body attributes the spec restricts to an enumeration (400 for any other value)."""
    transitions: Mapping[str, tuple[str, ...]] | None = None
    """The state model of the resources the face holds here: from each ``status``, the ones
    a ``PATCH`` may move it to (409 naming ``status`` otherwise)."""
    fixed: tuple[str, ...] = ()
    """Attributes of a held resource a ``PATCH`` may not change (409 naming one)."""
    versions: tuple[int, ...] = (4, 5)
    """The Open API versions that have this operation (``/billCycle`` is v5's only)."""

    @property
    def collection(self) -> str:
        """The collection the path is in: ``/usage`` for ``/usage`` and ``/usage/{id}``."""
        return self.path.removesuffix("/{id}")


# ---------------------------------------------------------------- generic translations


def one(docs: list[Json], wanted: str, what: str) -> Served:
    """The document of ``docs`` whose id is ``wanted`` (404 naming ``what`` otherwise)."""
    for doc in docs:
        if doc.get("id") == wanted:
            return Served(doc)
    raise NotFound(f"no {what} {wanted!r}")


def by_id(listing: Translate, what: str) -> Translate:
    """``GET /x/{id}`` from the listing ``GET /x`` (404 when no record has that id)."""

    async def translate(call: TmfCall) -> Served:
        served = await listing(call)
        assert isinstance(served.body, list)
        return one(served.body, call.path["id"], what)

    return translate


def missing(what: str) -> Translate:
    """By id, a resource only the face holds: the generic endpoint answers for those it has."""

    async def translate(call: TmfCall) -> Served:
        raise NotFound(f"no {what} {call.path['id']!r}")

    return translate


def unchangeable(listing: Translate, what: str, why: str) -> Translate:
    """``PATCH``/``DELETE`` of a record the operator's own books hold: 405 saying why (404
    when there is none); those the face holds are changed by the generic endpoint."""

    async def translate(call: TmfCall) -> Served:
        await by_id(listing, what)(call)
        raise NotSupported(f"the {what} {call.path['id']!r} {why}")

    return translate


def refused(why: str, read: Translate | None = None) -> Translate:
    """An operation the API defines on a resource the operator keeps to itself (a
    subscriber's token creates or changes no billing account, product or offering): 405
    saying ``why``; by id, ``read`` first (404 for an unknown id)."""

    async def translate(call: TmfCall) -> Served:
        if read is not None:
            await read(call)
        raise NotSupported(why)

    return translate


async def rejected(call: TmfCall, resource: str, dated: tuple[str, ...], **fields: Any) -> Served:
    """A spec-valid request selfcare cannot act on: created as a ``resource``, kept, in its
    failed state (``fields`` say which, and why); the attributes ``dated`` names say when
    (the operator's now)."""
    item = f"{resource[:3].lower()}-{uuid.uuid4().hex[:16]}"
    when = dict.fromkeys(dated, m.instant_to_tmf(await call.now()))
    return Served(
        {**call.body, "id": item, **when, **fields, "@type": resource},
        201,
        keep=True,
    )


async def held_only(call: TmfCall) -> Served:
    """A collection only the face holds (the generic endpoint adds its records)."""
    return Served([])
