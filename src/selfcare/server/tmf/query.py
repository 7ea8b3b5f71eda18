"""The shared query engine of the TMF face: what every collection's ``GET`` understands.

Attribute filters (``?state=failed``, dotted and through lists, ``?state=a,b`` for either),
ranges (``?paymentDate.gte=…``, ``.gt``, ``.lt``, ``.lte``; numbers or date-times with an
offset), ``fields`` selection, ``offset``/``limit`` paging with its validation
(``X-Total-Count``, ``X-Result-Count``) and the absolute ``href`` of each record returned.
Pure functions of the query parameters and the documents; no API knows about them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from starlette.responses import Response

from selfcare._errors import ValidationError
from selfcare.tmf._wire import encode_json

__all__ = [
    "Json",
    "filtered",
    "instant",
    "json_response",
    "linked",
    "page",
    "paging",
    "selected",
]

Json = dict[str, Any]
Query = Mapping[str, str]


def json_response(
    document: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(encode_json(document), status, headers, media_type="application/json")


_NOT_FILTERS = frozenset({"offset", "limit", "fields", "sort"})


def _values(doc: Any, path: list[str]) -> list[Any]:
    """The values at a dotted attribute path, through lists (``receiver.phoneNumber``)."""
    if isinstance(doc, list):
        return [v for item in doc for v in _values(item, path)]
    if not path:
        return [doc]
    if not isinstance(doc, Mapping) or path[0] not in doc:
        return []
    return _values(doc[path[0]], path[1:])


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


_RANGES: Mapping[str, Callable[[Any, Any], bool]] = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


def instant(text: str, name: str) -> datetime:
    """A query's date-time, which must say its UTC offset."""
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{name}={text!r} is not an RFC 3339 date-time", field=name) from None
    if at.tzinfo is None:
        raise ValidationError(f"{name}={text!r} has no UTC offset", field=name)
    return at


def _comparable(text: str, name: str) -> datetime | Decimal:
    """A range filter's bound or an attribute's value: a number, else a date-time."""
    try:
        return Decimal(text)
    except ArithmeticError:
        return instant(text, name)


def _in_range(value: Any, bound: datetime | Decimal, test: Callable[[Any, Any], bool]) -> bool:
    try:
        mine = _comparable(_text(value), "value")
        return type(mine) is type(bound) and test(mine, bound)
    except ValidationError:
        return False


def filtered(query: Query, items: list[Json]) -> list[Json]:
    """TMF attribute filtering: ``?state=failed``, ``?receiver.phoneNumber=+7...``,
    ``?state=a,b`` (either) and ranges (``?usageDate.gte=...``, ``.gt``, ``.lt``, ``.lte``)."""
    for name, wanted in query.items():
        if name in _NOT_FILTERS:
            continue
        path = name.split(".")
        test = _RANGES.get(path[-1]) if len(path) > 1 else None
        if test is not None:
            bound = _comparable(wanted, name)
            items = [
                d for d in items if any(_in_range(v, bound, test) for v in _values(d, path[:-1]))
            ]
            continue
        choices = set(wanted.split(","))
        items = [d for d in items if any(_text(v) in choices for v in _values(d, path))]
    return items


def selected(query: Query, doc: Json) -> Json:
    """TMF ``fields`` selection: only the attributes named (and always ``id``, ``href``)."""
    fields = query.get("fields")
    if fields is None:
        return doc
    keep = {f.strip().split(".", 1)[0] for f in fields.split(",")} | {"id", "href"}
    return {name: value for name, value in doc.items() if name in keep}


_PAGING_DIGITS = 9
"""``offset`` and ``limit`` take at most this many digits (a 5,000-digit one is a 400)."""


def paging(query: Query, name: str, default: int) -> int:
    """A paging query value: a non-negative decimal integer of at most nine digits."""
    text = query.get(name)
    if text is None:
        return default
    if not (0 < len(text) <= _PAGING_DIGITS and text.isascii() and text.isdigit()):
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise ValidationError(
            f"{name}={shown!r} must be a non-negative integer of at most {_PAGING_DIGITS} digits",
            field=name,
        )
    return int(text)


def linked(doc: Json, prefix: str) -> Json:
    """``doc`` with its ``href``: ``prefix`` (the collection's URL and a slash) and its id."""
    return {**doc, "href": prefix + str(doc["id"])} if "id" in doc else doc


def page(query: Query, items: list[Json], prefix: str) -> Response:
    """One page of a collection: filtered, then paged, then linked and selected (only the
    records returned get their ``href``, so a long listing pays nothing for it)."""
    offset = paging(query, "offset", 0)  # checked before any filtering work
    limit = paging(query, "limit", -1)
    items = filtered(query, items)
    end = len(items) if limit < 0 else offset + limit
    chosen = [selected(query, linked(doc, prefix)) for doc in items[offset:end]]
    headers = {"X-Total-Count": str(len(items)), "X-Result-Count": str(len(chosen))}
    return json_response(chosen, 200, headers)
