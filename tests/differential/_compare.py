"""Compare two backends' results field by field and say where they first differ.

``first_difference(reference, other)`` walks attrs objects, sequences, mappings and
exceptions recursively and returns ``None`` when they are equal in value, type, time zone and
order, or a one-line description of the first difference: its path (``expenses[3].at``),
both values, both types, and both zones for datetimes.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any

import attrs

__all__ = ["Raised", "first_difference", "zone_name"]


@attrs.frozen
class Raised:
    """What a step raised, as the comparison sees it: the exception class and its ``field``
    (the message is not compared: it is for people and may say the same thing otherwise)."""

    error: type[BaseException]
    field: str | None
    message: str = attrs.field(eq=False)

    @classmethod
    def of(cls, exc: BaseException) -> Raised:
        return cls(type(exc), getattr(exc, "field", None), str(exc)[:200])


def zone_name(zone: tzinfo | None) -> str:
    """A tzinfo as the report shows it: a ZoneInfo's key, or its kind and name."""
    if zone is None:
        return "naive"
    key = getattr(zone, "key", None)
    if key is not None:
        return f"ZoneInfo({key!r})"
    return f"{type(zone).__name__}({zone!r})"


def _show(value: Any) -> str:
    if isinstance(value, datetime):
        return f"{value.isoformat()} [{zone_name(value.tzinfo)}]"
    if isinstance(value, Raised):
        return f"raised {value.error.__name__}(field={value.field!r}): {value.message[:120]!r}"
    text = repr(value)
    return text if len(text) <= 160 else text[:157] + "..."


def _differ(path: str, reference: Any, other: Any, why: str = "") -> str:
    why = f" ({why})" if why else ""
    return (
        f"{path or '<result>'}{why}: reference {_show(reference)} "
        f"<{type(reference).__name__}> != {_show(other)} <{type(other).__name__}>"
    )


def _datetime_difference(path: str, reference: datetime, other: datetime) -> str | None:
    # timestamps, not ==: an instant in a DST fold is never == one in another zone (PEP 495)
    if (reference.tzinfo is None) != (other.tzinfo is None) or (
        reference.timestamp() != other.timestamp()
    ):
        return _differ(path, reference, other, "a different instant")
    if zone_name(reference.tzinfo) != zone_name(other.tzinfo):
        return _differ(path, reference, other, "same instant, another time zone")
    if reference.utcoffset() != other.utcoffset():
        return _differ(path, reference, other, "another UTC offset")
    if reference.replace(tzinfo=None) != other.replace(tzinfo=None):
        return _differ(path, reference, other, "another wall-clock time")
    return None


def first_difference(reference: Any, other: Any, path: str = "") -> str | None:
    """The first place ``other`` differs from ``reference`` (``None`` if nowhere)."""
    if type(reference) is not type(other):
        return _differ(path, reference, other, "another type")
    if isinstance(reference, datetime):
        return _datetime_difference(path, reference, other)
    if isinstance(reference, Raised):
        if (reference.error, reference.field) != (other.error, other.field):
            return _differ(path, reference, other, "another error")
        return None
    if attrs.has(type(reference)):
        for field in attrs.fields(type(reference)):
            found = first_difference(
                getattr(reference, field.name), getattr(other, field.name), f"{path}.{field.name}"
            )
            if found is not None:
                return found
        return None
    if isinstance(reference, list | tuple):
        for index, (left, right) in enumerate(zip(reference, other, strict=False)):
            found = first_difference(left, right, f"{path}[{index}]")
            if found is not None:
                return found
        if len(reference) != len(other):
            return _differ(path, len(reference), len(other), "another length")
        return None
    if isinstance(reference, Mapping):
        if list(reference) != list(other):
            return _differ(path, list(reference), list(other), "other keys")
        for key in reference:
            found = first_difference(reference[key], other[key], f"{path}[{key!r}]")
            if found is not None:
                return found
        return None
    if isinstance(reference, frozenset | set):
        return None if reference == other else _differ(path, reference, other)
    if isinstance(reference, Decimal | int | float | str | bytes | bool | date | enum.Enum):
        return None if reference == other else _differ(path, reference, other)
    if reference is None:
        return None
    return None if reference == other else _differ(path, reference, other)
