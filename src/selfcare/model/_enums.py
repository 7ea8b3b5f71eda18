"""Reading an enum member from what people type: the member itself or its value."""

from __future__ import annotations

import enum
from typing import Any, TypeVar

from selfcare._errors import ValidationError

__all__ = ["coerce_enum", "coerce_enums"]

E = TypeVar("E", bound=enum.Enum)


def coerce_enum(kind: type[E], value: object, field: str) -> E:
    """Accept an enum member or its value; raise a ValidationError listing the choices."""
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(repr(m.value) for m in kind)
        raise ValidationError(
            f"{field}={value!r} is not a known {kind.__name__}; choose from {choices}",
            field=field,
        ) from None


def coerce_enums(kind: type[E], value: Any, field: str, noun: str) -> tuple[E, ...]:
    """One member or value, or a collection of them, each read as ``kind`` (repeats dropped,
    order kept); errors name ``field`` and list the choices, calling a member ``noun``."""
    if isinstance(value, (str, kind)):
        value = (value,)
    if not isinstance(value, tuple | list | set | frozenset):
        raise ValidationError(f"{field}={value!r} must be {noun} names", field=field)
    article = "an" if noun[0] in "aeiou" else "a"
    found = []
    for item in value:
        try:
            found.append(kind(item))
        except ValueError:
            raise ValidationError(
                f"{field}: {item!r} is not {article} {noun}; choose from "
                + ", ".join(member.value for member in kind),
                field=field,
            ) from None
    return tuple(dict.fromkeys(found))
