"""Every time a client returns is in the account's zone, whichever backend answered.

The fake keeps its records in the account's zone; the wire (selfcare's protocol and TMF)
carries UTC. :func:`localizer` builds, once per result type, a function that walks a result
and puts each datetime field into the account's :class:`~zoneinfo.ZoneInfo` (the same
instant, ``astimezone``, so it is right at every instant, DST folds included). The client
facade applies it to each result, so ``e.at.date()`` and ``c.at.hour`` are the same on
every backend.

Results a backend decoded for this call only (``fresh_results``: the HTTP backends) are
changed in place, a slot write per time: on the paging hot path that is the whole cost.
Anything else (the fake's own records) is copied when something changes, never mutated.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

import attrs

from selfcare._client.paging import Page

__all__ = ["Localize", "localizer"]

Localize = Callable[[Any, tzinfo, bool], Any]
"""``localize(result, zone, in_place)``: the result with its times in ``zone``."""

_set = object.__setattr__


def localizer(kind: Any) -> Localize | None:
    """The function that puts the times of a ``kind`` result into a zone (``None`` when a
    ``kind`` holds no datetime, so there is nothing to do)."""
    return _build(kind, frozenset())


def _build(kind: Any, seen: frozenset[Any]) -> Localize | None:
    try:
        return _cached_build(kind, seen)
    except TypeError:  # an unhashable annotation: build without the cache
        return _plan(kind, seen)


@functools.lru_cache(maxsize=512)
def _cached_build(kind: Any, seen: frozenset[Any]) -> Localize | None:
    return _plan(kind, seen)


def _plan(kind: Any, seen: frozenset[Any]) -> Localize | None:
    if kind is datetime:
        return _datetime
    origin = typing.get_origin(kind)
    if origin is typing.Annotated:
        return _build(typing.get_args(kind)[0], seen)
    if isinstance(kind, types.UnionType) or origin is typing.Union:
        options = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        if len(options) != 1:
            return _by_class(options, seen)
        inner = _build(options[0], seen)
        return None if inner is None else _optional(inner)
    if origin is Page:
        (item,) = typing.get_args(kind)
        inner = _build(item, seen)
        return None if inner is None else _page(_sequence(inner))
    if origin in (tuple, list):
        args = typing.get_args(kind)
        if (len(args) == 2 and args[1] is Ellipsis) or (origin is list and len(args) == 1):
            inner = _build(args[0], seen)
            return None if inner is None else _sequence(inner)
        return None
    if isinstance(kind, type) and attrs.has(kind) and kind not in seen:
        return _record(kind, seen | {kind})
    return None


def _by_class(options: list[Any], seen: frozenset[Any]) -> Localize | None:
    """A union of record classes (an event's ``data``): each value by its own class."""
    if not all(isinstance(option, type) and attrs.has(option) for option in options):
        return None
    plans = {option: _build(option, seen) for option in options}

    def localize(value: Any, zone: tzinfo, in_place: bool) -> Any:
        plan = plans.get(type(value))
        return value if plan is None else plan(value, zone, in_place)

    return localize


def _datetime(value: datetime, zone: tzinfo, in_place: bool) -> datetime:
    return value if value.tzinfo is zone else value.astimezone(zone)


def _optional(inner: Localize) -> Localize:
    def localize(value: Any, zone: tzinfo, in_place: bool) -> Any:
        return None if value is None else inner(value, zone, in_place)

    return localize


def _sequence(inner: Localize) -> Localize:
    times: tuple[type, tuple[str, ...]] | None = getattr(inner, "times_only", None)
    flat = None if times is None else _in_place_loop(*times)

    def localize(values: Any, zone: tzinfo, in_place: bool) -> Any:
        if in_place:
            if flat is not None:  # the paging hot path: one loop, no call per record
                return flat(values, zone)
            for value in values:
                inner(value, zone, True)
            return values
        changed = [inner(value, zone, False) for value in values]
        if all(new is old for new, old in zip(changed, values, strict=True)):
            return values
        return type(values)(changed)

    return localize


def _page(items: Localize) -> Localize:
    def localize(page: Page[Any], zone: tzinfo, in_place: bool) -> Page[Any]:
        new = items(page.items, zone, in_place)
        return page if new is page.items else Page(new, page.next_cursor)

    return localize


def _record(kind: type, seen: frozenset[Any]) -> Localize | None:
    hints = typing.get_type_hints(kind)
    times: list[str] = []
    nested: list[tuple[str, Localize]] = []
    for field in attrs.fields(kind):
        hint = hints.get(field.name, field.type)
        plan = _build(hint, seen)
        if plan is None:
            continue
        if plan is _datetime:
            times.append(field.name)
        else:
            nested.append((field.name, plan))
    if not times and not nested:
        return None
    names = tuple(times)
    inner = tuple(nested)

    def localize(record: Any, zone: tzinfo, in_place: bool) -> Any:
        if in_place:
            for name in names:
                value = getattr(record, name)
                if value is not None and value.tzinfo is not zone:
                    _set(record, name, value.astimezone(zone))
            for name, plan in inner:
                value = getattr(record, name)
                new = plan(value, zone, True)
                if new is not value:
                    _set(record, name, new)
            return record
        changes: dict[str, Any] = {}
        for name in names:
            value = getattr(record, name)
            if value is not None and value.tzinfo is not zone:
                changes[name] = value.astimezone(zone)
        for name, plan in inner:
            value = getattr(record, name)
            new = plan(value, zone, False)
            if new is not value:
                changes[name] = new
        return attrs.evolve(record, **changes) if changes else record

    if not inner:
        localize.times_only = (kind, names)  # type: ignore[attr-defined]
    return localize


def _in_place_loop(kind: type, names: tuple[str, ...]) -> Callable[[Any, tzinfo], Any]:
    """A loop over records of ``kind`` putting their ``names`` times into a zone in place,
    generated for the class (as attrs generates its methods): each time read as a plain
    attribute and written through its slot, with no call per record."""
    namespace: dict[str, Any] = {}
    lines = ["def loop(values, zone):", "    for v in values:"]
    for n, name in enumerate(names):
        slot = kind.__dict__.get(name)  # an attrs field's name: always an identifier
        if isinstance(slot, types.MemberDescriptorType):
            namespace[f"set{n}"] = slot.__set__
        else:  # not a slot of this class (a dict class, or a slot a base class holds)
            namespace[f"set{n}"] = functools.partial(_set_named, name)
        lines += [
            f"        x = v.{name}",
            "        if x is not None and x.tzinfo is not zone:",
            f"            set{n}(v, x.astimezone(zone))",
        ]
    lines.append("    return values")
    exec("\n".join(lines), namespace)  # noqa: S102
    loop: Callable[[Any, tzinfo], Any] = namespace["loop"]
    loop.__qualname__ = f"localize_in_place[{kind.__qualname__}]"
    return loop


def _set_named(name: str, record: Any, value: Any) -> None:
    _set(record, name, value)
