"""Events on the wire: an :class:`~selfcare.model.events.Event` carries one of several model
objects in ``data``, which msgspec cannot tell apart by shape, so the wire form reads
``data`` raw and decodes it as the class its ``type`` names (``EVENT_DATA``)."""

from __future__ import annotations

import functools
import typing
from typing import Any

import msgspec

from selfcare._time import Instant
from selfcare.model import PhoneNumber
from selfcare.model import events as model

__all__ = ["Event", "from_wire", "wire_type"]


class Event(msgspec.Struct, kw_only=True):
    """An event as it travels (named as the model's, for the OpenAPI document)."""

    id: str
    type: model.EventType
    occurred_at: Instant
    line: PhoneNumber
    data: msgspec.Raw


@functools.lru_cache(maxsize=256)
def wire_type(kind: Any) -> Any:
    """``kind`` with the model's Event replaced by its wire form (``Page[Event]``…)."""
    if kind is model.Event:
        return Event
    origin = typing.get_origin(kind)
    if origin is None:
        return kind
    args = typing.get_args(kind)
    replaced = tuple(wire_type(arg) if arg is not Ellipsis else arg for arg in args)
    if replaced == args:
        return kind
    return origin[replaced]


def from_wire(value: Any, decode_data: Any) -> Any:
    """``value`` decoded with :func:`wire_type` as the model's classes; ``decode_data(kind,
    raw)`` decodes an event's data."""
    if isinstance(value, Event):
        return model.Event(
            id=value.id,
            type=value.type,
            occurred_at=value.occurred_at,
            line=value.line,
            data=decode_data(model.EVENT_DATA[value.type], value.data),
        )
    if isinstance(value, tuple):
        return tuple(from_wire(item, decode_data) for item in value)
    items = getattr(value, "items", None)
    if isinstance(items, tuple):  # a Page
        return type(value)(from_wire(items, decode_data), value.next_cursor)
    return value
