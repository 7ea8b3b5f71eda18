"""Clocks for the fake operator: the real one, or one that moves only when told to."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from selfcare._time import require_aware

__all__ = ["Clock", "ManualClock", "SandboxClock", "SystemClock"]


class Clock(Protocol):
    """Tells the fake operator what time it is."""

    def now(self) -> datetime:
        """The current instant (aware)."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        """The current instant in UTC."""
        return datetime.now(UTC)

    def __repr__(self) -> str:
        return "SystemClock()"


class SandboxClock:
    """The machine's clock plus an offset that :meth:`advance` grows: a sandbox server runs
    in real time, and its test hook moves it forward (``POST /v1/_test/clock/advance``)."""

    def __init__(self) -> None:
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The machine's time in UTC, moved forward by every :meth:`advance` so far."""
        return datetime.now(UTC) + self._offset

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by ``delta`` (never back) and return the new instant."""
        if delta < timedelta(0):
            raise ValueError(f"a clock only moves forward, not by {delta}")
        with self._lock:
            self._offset += delta
            return self.now()

    def __repr__(self) -> str:
        return f"SandboxClock(offset={self._offset})"


class ManualClock:
    """A clock that stands still until :meth:`advance` moves it: deterministic tests."""

    def __init__(self, start: datetime) -> None:
        self._now = require_aware(start, "start")
        self._lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []

    def now(self) -> datetime:
        """The instant the clock shows."""
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by ``delta`` (never back) and return the new instant."""
        if delta < timedelta(0):
            raise ValueError(f"a clock only moves forward, not by {delta}")
        with self._lock:
            self._now += delta
            now = self._now
        for listener in list(self._listeners):
            listener()
        return now

    def on_advance(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after every :meth:`advance` (the fake wakes its event streams)."""
        self._listeners.append(listener)

    def __repr__(self) -> str:
        return f"ManualClock({self._now.isoformat()})"
