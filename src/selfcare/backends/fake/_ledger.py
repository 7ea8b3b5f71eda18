"""An append-mostly store of timestamped records, listed newest first with keyset cursors."""

from __future__ import annotations

import copy
import functools
from bisect import bisect_left, insort
from collections.abc import Callable, Iterator
from datetime import datetime
from itertools import islice
from typing import Any, Generic, Protocol, TypeVar

import attrs

from selfcare._client.paging import Page, decode_cursor, encode_cursor

__all__ = ["Ledger"]


class Record(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def at(self) -> datetime: ...


R = TypeVar("R", bound=Record)

_FROZEN_SETATTR: Any = attrs.frozen(type("_Probe", (), {})).__setattr__


@functools.cache
def _is_value(cls: type) -> bool:
    """Whether instances of ``cls`` are frozen attrs values, which a copy may share."""
    return attrs.has(cls) and cls.__setattr__ is _FROZEN_SETATTR


class Ledger(Generic[R]):
    """Records kept in ``(at, id)`` order; ids must sort in creation order within an instant."""

    def __init__(self) -> None:
        self._keys: list[tuple[datetime, str]] = []
        self._records: list[R] = []

    def __deepcopy__(self, memo: dict[int, Any]) -> Ledger[R]:
        """A copy that shares the frozen records (most of them) and copies the mutable ones:
        the fake copies its seeded subscribers instead of replaying their history."""
        clone: Ledger[R] = Ledger()
        clone._keys = list(self._keys)
        clone._records = [
            record if _is_value(type(record)) else copy.deepcopy(record, memo)
            for record in self._records
        ]
        return clone

    def add(self, record: R) -> None:
        """Insert ``record`` in order (appending is the common, cheap case)."""
        key = (record.at, record.id)
        if not self._keys or key > self._keys[-1]:
            self._keys.append(key)
            self._records.append(record)
            return
        index = bisect_left(self._keys, key)
        insort(self._keys, key)
        self._records.insert(index, record)

    def replace(self, record: R) -> None:
        """Swap in a new version of a record with the same ``(at, id)``."""
        index = bisect_left(self._keys, (record.at, record.id))
        if index == len(self._keys) or self._keys[index] != (record.at, record.id):
            raise KeyError(record.id)
        self._records[index] = record

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[R]:
        return iter(self._records)

    def last(self) -> R | None:
        """The newest record, if any."""
        return self._records[-1] if self._records else None

    def seek(
        self, *, since: datetime | None, until: datetime | None, offset: int
    ) -> tuple[str | None, int]:
        """The cursor after which the records of ``[since, until)`` (newest first) continue
        at ``offset`` (``None`` at 0), and how many there are: two bisections, no record read."""
        hi = len(self._keys) if until is None else bisect_left(self._keys, (until, ""))
        lo = 0 if since is None else bisect_left(self._keys, (since, ""))
        total = max(0, hi - lo)
        if offset <= 0 or total == 0:
            return None, total
        at, ident = self._keys[max(lo, hi - offset)]
        return encode_cursor(at, ident), total

    def page(
        self,
        *,
        since: datetime | None,
        until: datetime | None,
        cursor: str | None,
        limit: int,
        match: Callable[[R], bool] | None = None,
    ) -> Page[R]:
        """Up to ``limit`` matches in ``[since, until)``, newest first, after ``cursor``
        (``match=None``: every record).

        Bisections find the window; without a filter the page is one slice of it, so a page
        costs the same at the start and at the end of any history. A filter is applied from
        the cursor on (in C, by ``filter``), reading only as far as the page needs.
        """
        hi = len(self._keys) if until is None else bisect_left(self._keys, (until, ""))
        if cursor is not None:
            hi = min(hi, bisect_left(self._keys, decode_cursor(cursor)))
        lo = 0 if since is None else bisect_left(self._keys, (since, ""))
        if match is None:
            start = max(lo, hi - limit)
            found = self._records[start:hi]
            found.reverse()
            more = start > lo
        else:
            window = reversed(range(lo, hi))
            matches = filter(match, map(self._records.__getitem__, window))
            found = list(islice(matches, limit))
            more = len(found) == limit and next(matches, None) is not None
        if not more or not found:
            return Page(tuple(found), None)
        last = found[-1]
        return Page(tuple(found), encode_cursor(last.at, last.id))
