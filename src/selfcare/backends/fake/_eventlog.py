"""The fake operator's event log: an ordered, append-only record of what happened on a line.

The fake's rules *stage* events as they fire (a bill issued at the billing day's first
minute, a payment, a message's delivery at the instant its fate was due…), and the backend
*flushes* them after each operation: sorted by the instant they happened and numbered in
that order, so ids sort as the events happened and a reader that resumes after an id misses
nothing. Rules are driven lazily by the clock (nothing runs in the background); timers
remember the instants at which something is due (a message's final status, a complaint's
next step), and :func:`~selfcare.backends.fake._events.advance` fires those that the clock
has passed, at their own instants.
"""

from __future__ import annotations

import asyncio
import heapq
import threading
import weakref
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from selfcare._errors import ValidationError
from selfcare.backends.fake._ledger import Ledger
from selfcare.backends.fake._mailbox import MessageRecord, fate
from selfcare.backends.fake._tickets import ANSWERED, PICKED_UP
from selfcare.model import PhoneNumber
from selfcare.model.events import Event, EventType

if TYPE_CHECKING:
    from selfcare.backends.fake._state import Subscriber

__all__ = ["EventLog", "Signal", "watch_complaint", "watch_message"]

_PREFIX = "evt_"


class EventLog:
    """One line's events, and the rules' pending timers."""

    def __init__(self) -> None:
        self.checked_through: datetime | None = None
        """Time-driven rules have fired up to this instant (``None``: not started, as while
        the seed replays history, which emits nothing)."""
        self.log: Ledger[Event] = Ledger()
        self.by_seq: list[Event] = []
        self._staged: list[tuple[datetime, int, EventType, Any]] = []
        self._timers: list[tuple[datetime, int, str, str]] = []
        self._counter = 0

    def start(self, now: datetime) -> None:
        """Emit from ``now`` on (what happened before is history, not news)."""
        if self.checked_through is None:
            self.checked_through = now

    @property
    def started(self) -> bool:
        return self.checked_through is not None

    def stage(self, at: datetime, kind: EventType, data: Any) -> None:
        """An event that happened at ``at``; it is numbered at the next :meth:`flush`."""
        if self.checked_through is None:
            return
        self._counter += 1
        self._staged.append((at, self._counter, kind, data))

    def watch(self, at: datetime, what: str, key: str) -> None:
        """Remember that ``what`` (``"message"``, ``"complaint"``) ``key`` is due at ``at``."""
        if self.checked_through is None:
            return
        self._counter += 1
        heapq.heappush(self._timers, (at, self._counter, what, key))

    def due(self, now: datetime) -> list[tuple[datetime, str, str]]:
        """The timers the clock has reached, oldest first (each once)."""
        fired = []
        while self._timers and self._timers[0][0] <= now:
            at, _, what, key = heapq.heappop(self._timers)
            fired.append((at, what, key))
        return fired

    @property
    def has_staged(self) -> bool:
        return bool(self._staged)

    def flush(self, line: PhoneNumber) -> int:
        """Number the staged events in the order they happened and append them; returns
        how many. An event is never older than the one before it."""
        if not self._staged:
            return 0
        staged, self._staged = sorted(self._staged, key=lambda item: item[:2]), []
        last = self.by_seq[-1].occurred_at if self.by_seq else None
        for at, _, kind, data in staged:
            if last is not None and at < last:
                at = last
            event = Event(
                id=f"{_PREFIX}{len(self.by_seq) + 1:010d}",
                type=kind,
                occurred_at=at,
                line=line,
                data=data,
            )
            self.log.add(event)
            self.by_seq.append(event)
            last = at
        return len(staged)

    def position(self, after: str | None) -> int:
        """How many events come up to and including the event ``after``."""
        if after is None:
            return 0
        digits = after[len(_PREFIX) :]
        if after.startswith(_PREFIX) and digits.isdigit() and len(digits) == 10:
            seq = int(digits)
            if seq <= len(self.by_seq):
                return seq
        shown = after if len(after) <= 40 else after[:39] + "…"
        raise ValidationError(f"after={shown!r} is not an event of this line", field="after")

    def read(
        self, after: str | None, types: tuple[EventType, ...], limit: int
    ) -> tuple[Event, ...]:
        """Up to ``limit`` events after ``after``, oldest first, of ``types`` (all if empty)."""
        found: list[Event] = []
        for event in self.by_seq[self.position(after) :]:
            if not types or event.type in types:
                found.append(event)
                if len(found) == limit:
                    break
        return tuple(found)


def watch_message(sub: Subscriber, record: MessageRecord) -> None:
    """Fire the message's event when its last copy reaches its final status."""
    fates = [
        fate(number, record.start, record.validity, record.priority, record.delivery_report)
        for number in record.to
    ]
    sub.events.watch(max(fate.at for fate in fates), "message", record.id)


def watch_complaint(
    sub: Subscriber, complaint_id: str, filed: datetime, *, after: datetime
) -> None:
    """Fire ``complaint.updated`` when a complaint is picked up and when it is answered."""
    for step in (PICKED_UP, ANSWERED):
        if filed + step > after:
            sub.events.watch(filed + step, "complaint", complaint_id)


class Signal:
    """Wakes whoever waits for new events: the stream readers, in threads or on event
    loops. ``version`` counts the notifications, so a reader that read at one version and
    waits for a later one cannot miss a notification that came in between."""

    def __init__(self) -> None:
        self.version = 0
        self._cond = threading.Condition()
        self._loops: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []

    def notify(self) -> None:
        with self._cond:
            self.version += 1
            self._cond.notify_all()
            loops, self._loops = self._loops, []
        for loop, future in loops:
            if not loop.is_closed():
                loop.call_soon_threadsafe(_settle, future)

    def wait(self, version: int, timeout: float) -> None:
        """Until a notification after ``version`` (or ``timeout`` seconds)."""
        with self._cond:
            self._cond.wait_for(lambda: self.version != version, timeout)

    async def wait_async(self, version: int, timeout: float) -> None:
        """:meth:`wait` without blocking the event loop."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._cond:
            if self.version != version:
                return
            self._loops.append((loop, future))
        try:
            await asyncio.wait_for(future, timeout)
        except TimeoutError:
            pass
        finally:
            with self._cond:
                self._loops = [(lp, f) for lp, f in self._loops if f is not future]


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def weak_callback(method: Callable[[], None]) -> Callable[[], None]:
    """``method`` (a bound method) held weakly: a clock shared by many operators does not
    keep them alive."""
    ref = weakref.WeakMethod(method)

    def call() -> None:
        target = ref()
        if target is not None:
            target()

    return call
