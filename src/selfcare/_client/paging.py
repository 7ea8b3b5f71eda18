"""Pages and keyset cursors shared by every backend.

A cursor is opaque to callers. Inside it is the ``(instant, id)`` key of the last record a page
returned; the next page starts strictly after that key in newest-first order, so records that
arrive while someone pages never shift what they have not seen yet.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Generic, TypeVar

import attrs

from selfcare._errors import ValidationError

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "Page",
    "check_chosen_page_size",
    "check_count",
    "check_page_size",
    "decode_cursor",
    "encode_cursor",
    "page_size_for",
]

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


@attrs.frozen
class Page(Generic[T]):
    """One page of results and the cursor of the next one (``None`` on the last page)."""

    items: tuple[T, ...]
    next_cursor: str | None = None


def encode_cursor(at: datetime, record_id: str) -> str:
    """The opaque cursor that resumes after the record ``(at, record_id)``."""
    raw = f"{at.isoformat()}|{record_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """Read a cursor made by :func:`encode_cursor`; a tampered one is a ValidationError."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at_text, record_id = raw.split("|", 1)
        at = datetime.fromisoformat(at_text)
        valid = at.tzinfo is not None
    except (binascii.Error, UnicodeDecodeError, ValueError):
        valid = False
    if not valid:
        raise ValidationError(f"cursor {cursor!r} is not one this API issued", field="cursor")
    return at, record_id


def check_page_size(limit: object, field: str = "limit") -> int:
    """A page size between 1 and :data:`MAX_PAGE_SIZE`; ``field`` is the caller's name for it."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValidationError(
            f"{field}={limit!r} must be an integer from 1 to {MAX_PAGE_SIZE}", field=field
        )
    return limit


def check_chosen_page_size(page_size: object) -> int | None:
    """A listing's ``page_size``: ``None`` leaves the choice to :func:`page_size_for`."""
    return None if page_size is None else check_page_size(page_size, "page_size")


def page_size_for(chosen: int | None, *, collecting: bool) -> int:
    """How many records a request asks for: the caller's choice, else
    :data:`MAX_PAGE_SIZE` when collecting every record (fewer requests is all that matters)
    and :data:`DEFAULT_PAGE_SIZE` when iterating or walking pages (what a screen shows, and
    little wasted when a loop stops early)."""
    if chosen is not None:
        return chosen
    return MAX_PAGE_SIZE if collecting else DEFAULT_PAGE_SIZE


def check_count(n: object) -> int:
    """How many records ``first(n)`` may return: an int of 0 or more."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValidationError(f"n={n!r} must be an integer of 0 or more", field="n")
    return n
