"""Readable one-line reprs for records: enums by value, instants in ISO form, ``None`` left out."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from typing import Any

import attrs

__all__ = ["compact_repr"]


def _show(value: Any) -> str:
    if isinstance(value, enum.Enum):
        return repr(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return repr(value)


def compact_repr(self: Any) -> str:
    """``Expense(id='e1', at=2026-11-25T09:36:21+03:00, kind='data', …)``; a field whose
    ``repr`` is a function is shown as that function gives it (as attrs' own repr does)."""
    shown = (
        f"{field.name}={field.repr(value) if callable(field.repr) else _show(value)}"
        for field in attrs.fields(type(self))
        if field.repr and (value := getattr(self, field.name)) is not None
    )
    return f"{type(self).__name__}({', '.join(shown)})"
