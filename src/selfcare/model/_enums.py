"""Reading an enum member from what people type: the member itself or its value."""

from __future__ import annotations

import enum
from typing import TypeVar

from selfcare._errors import ValidationError

__all__ = ["coerce_enum"]

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
