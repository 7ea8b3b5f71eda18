"""What the TMF face does with the documents kept for a subscriber: the rules of a body, of
a kept document's ``GET``, ``PATCH`` (a JSON merge patch, within the route's state model)
and ``DELETE``, and of the patches shown on the operator's own records. The documents
themselves are the operator's (``selfcare.backends.fake.TmfDocuments``): these are rules,
not state."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from selfcare._errors import Conflict, NotSupported, ValidationError
from selfcare.backends.fake._documents import Kept
from selfcare.server.tmf.call import Json, Served, TmfCall, TmfRoute
from selfcare.tmf._wire import encode_json

__all__ = [
    "JSON_PATCH",
    "MAX_DOCUMENT_BYTES",
    "checked_body",
    "held",
    "kept_size",
    "merge_from_json_patch",
    "overlaid",
]

JSON_PATCH = "application/json-patch+json"
"""The media type of an RFC 6902 JSON Patch, which v5's PATCH takes beside a merge patch."""

MAX_DOCUMENT_BYTES = 64 * 1024
"""The largest document the face keeps (after a PATCH), and the largest PATCH body."""


def merge_from_json_patch(operations: Any) -> Json:
    """An RFC 6902 JSON Patch as the merge patch it amounts to, for the patches a TMF
    resource's attributes take: ``add``/``replace`` of a top-level attribute (``/state``),
    ``remove`` of one (``null``), and ``add`` to the end of a list (``/note/-``: the new entry
    without an ``id``, which is how the PATCH translations tell new entries). Anything else
    (``move``, ``copy``, ``test``, paths into entries) is a 400 naming the operation."""
    if not isinstance(operations, list) or not operations:
        raise ValidationError("a JSON Patch is a non-empty list of operations", field="body")
    merged: Json = {}
    for index, op in enumerate(operations):
        where = f"body[{index}]"
        if not isinstance(op, Mapping) or not isinstance(op.get("path"), str):
            raise ValidationError(f"{where} is not a JSON Patch operation", field=where)
        steps = op["path"].split("/")[1:]
        kind = op.get("op")
        if op["path"][:1] != "/" or not steps or not steps[0]:
            raise ValidationError(f"{where}.path must name an attribute", field=where)
        name = steps[0].replace("~1", "/").replace("~0", "~")
        if kind in ("add", "replace") and len(steps) == 1 and "value" in op:
            merged[name] = op["value"]
        elif kind == "remove" and len(steps) == 1:
            merged[name] = None
        elif kind == "add" and steps[1:] == ["-"] and "value" in op:
            entries = merged.setdefault(name, [])
            if not isinstance(entries, list):
                raise ValidationError(f"{where} adds to {name}, which it also set", field=where)
            entries.append(op["value"])
        else:
            raise ValidationError(
                f"{where}: this server takes add, replace and remove of an attribute and add "
                f"to the end of a list, not {kind!r} of {op['path'][:60]!r}",
                field=where,
            )
    return merged


def checked_body(route: TmfRoute, body: Any, version: int = 4) -> None:
    """What the spec says of every body of this operation: an object, with its mandatory
    attributes (v5's ``@type`` too), enumerated ones among their values (400 naming the
    attribute otherwise)."""
    if not isinstance(body, Mapping):
        raise ValidationError("the request body must be a JSON object", field="body")
    if version == 5 and route.method == "POST" and not isinstance(body.get("@type"), str):
        raise ValidationError(
            "the request body has no '@type', which every v5 resource requires", field="@type"
        )
    for name in route.required:
        if body.get(name) is None:
            raise ValidationError(
                f"the request body has no {name!r}, which the specification requires",
                field=name,
            )
    for name, choices in route.choices.items():
        if name in body and body[name] not in choices:
            raise ValidationError(
                f"{name} {body[name]!r} is not one of {', '.join(choices)}", field=name
            )
    for name in ("id", "href"):
        if name in body:
            raise ValidationError(f"{name} is set by the server, not the request", field=name)


_DESCRIPTIVE = frozenset({"description", "name"})
"""What a PATCH may change of a resource selfcare acted on (the rest records what it did)."""


def kept_size(doc: Json, limit: int) -> None:
    """A document the face keeps may be at most ``limit`` bytes of JSON (400 otherwise)."""
    if len(encode_json(doc)) > limit:
        raise ValidationError(
            f"the resource would be over {limit} bytes, the most this server keeps of one",
            field="body",
        )


def held(
    route: TmfRoute, call: TmfCall, kept_docs: dict[str, Kept], item: str, limit: int
) -> Served:
    """``GET``, ``PATCH`` (a JSON merge patch) or ``DELETE`` of a resource the face holds."""
    kept = kept_docs[item]
    what = f"{route.collection.strip('/')} {item!r}"
    if route.method == "DELETE":
        if kept.done:
            raise NotSupported(f"the {what} was carried out: its record stays")
        del kept_docs[item]
        return Served(None, 204)
    if route.method == "PATCH":
        doc = dict(kept.doc)
        for name, value in call.body.items():
            if kept.done and name not in _DESCRIPTIVE and value != doc.get(name):
                raise Conflict(f"the {what} was carried out: its {name} cannot change", field=name)
            if value is None:
                doc.pop(name, None)
            else:
                doc[name] = value
        _moved(route, kept.doc, doc, what)
        kept_size(doc, limit)
        kept.doc = doc
    return Served(kept.doc)


def _moved(route: TmfRoute, before: Json, after: Json, what: str) -> None:
    """A ``PATCH`` must leave the route's fixed attributes alone and move ``status`` only as
    the route's state model allows (409 naming the attribute otherwise)."""
    for name in route.fixed:
        if after.get(name) != before.get(name):
            raise Conflict(f"the {what}'s {name} cannot change", field=name)
    if route.transitions is None:
        return
    old, new = before.get("status"), after.get("status")
    if new != old and new not in route.transitions.get(str(old), ()):
        raise Conflict(f"the {what} is {old}: it cannot become {new}", field="status")


def overlaid(docs: list[Json], overlays: dict[str, tuple[Json, Json]]) -> list[Json]:
    """Operator's records with what ``PATCH`` set on them, while the operator's own values of
    those attributes are still the ones they had then (else the patch is dropped)."""
    shown = []
    for doc in docs:
        entry = overlays.get(doc.get("id", ""))
        if entry is not None:
            basis, patch = entry
            if all(doc.get(k) == v for k, v in basis.items()):
                doc = {**doc, **patch}
            else:
                del overlays[doc["id"]]
        shown.append(doc)
    return shown
