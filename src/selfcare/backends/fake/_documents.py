"""The TMF documents the fake operator keeps for a subscriber: what its TMF face creates and
changes that selfcare's own model has no place for.

A request kept in its failed state (a bill on demand, a declined payment, an unsendable
message), a submitted usage record or usage specification, a balance reservation, a top-up
or an order as TMF describes it; which operator records were deleted from the TMF view; and
the attributes a ``PATCH`` set on the operator's own records (a bill's ``state``). It is
plain storage, by collection (the API and the collection's path): the TMF rules about these
documents (their state models, merge patches) stay in the face (``selfcare.server.tmf``),
which reaches a line's store through ``FakeResolver.tmf_documents``. It lives on the line's
subscriber, so a new operator starts with none and two lines (even of one login) never share
one.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["KEPT_PER_COLLECTION", "Collection", "Kept", "TmfDocuments"]

Json = dict[str, Any]

KEPT_PER_COLLECTION = 1000
"""How many documents a subscriber's collection keeps (the oldest are forgotten)."""


@attrs.define
class Kept:
    """A document kept for the subscriber, and whether selfcare acted on it (a top-up, an
    order: only its description and name may change then, and it cannot be deleted)."""

    doc: Json
    done: bool


@attrs.define
class Collection:
    """One collection of a subscriber's TMF documents: the documents kept, by id; the ids of
    the operator's records deleted from the TMF view; and the patches shown on them."""

    kept: dict[str, Kept] = attrs.field(factory=dict)
    deleted: set[str] = attrs.field(factory=set)
    overlays: dict[str, tuple[Json, Json]] = attrs.field(factory=dict)
    """By record id: (the operator's values when patched, the patched values)."""

    def keep(self, doc: Json, done: bool) -> None:
        """Keep ``doc`` under its id, forgetting the oldest beyond :data:`KEPT_PER_COLLECTION`."""
        self.kept[str(doc["id"])] = Kept(doc, done)
        while len(self.kept) > KEPT_PER_COLLECTION:
            del self.kept[next(iter(self.kept))]

    def docs(self) -> list[Json]:
        """The documents kept, oldest first."""
        return [kept.doc for kept in self.kept.values()]


@attrs.define
class TmfDocuments:
    """One subscriber's TMF documents, by collection (``"usage/usage"``, the API's name and
    the collection's path)."""

    collections: dict[str, Collection] = attrs.field(factory=dict)

    def collection(self, name: str) -> Collection:
        """The collection called ``name`` (an empty one the first time)."""
        return self.collections.setdefault(name, Collection())

    def docs(self, name: str) -> list[Json]:
        """The documents kept in collection ``name`` (without creating it)."""
        found = self.collections.get(name)
        return [] if found is None else found.docs()
