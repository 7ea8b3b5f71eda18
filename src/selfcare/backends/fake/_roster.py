"""The fake operator's subscribers with a login, generated on first use.

Replaying a subscriber's history takes a noticeable fraction of a second, and most uses of
an operator touch one subscriber (``Selfcare.fake()``, ``selfcare --fake balance``), so a
:class:`Roster` knows every seeded login's key, number and API token from the start and
replays a subscriber only when something reads it. What a subscriber is does not depend on
when it is generated: each is replayed from its own seed up to the operator's birth, as the
operator used to do for all of them at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping

import attrs

from selfcare._secret import Secret
from selfcare.backends.fake._state import Subscriber

__all__ = ["Roster", "Seat"]


@attrs.frozen
class Seat:
    """A login the operator has before its subscriber is generated."""

    number: str
    """Its line's E.164 number."""
    token: Secret = attrs.field(repr=False)
    """Its seeded API token (computed from the seed without replaying the history)."""
    make: Callable[[], Subscriber] = attrs.field(repr=False)
    """Replays the subscriber (its events started): called at most once."""


class Roster(Mapping[str, Subscriber]):
    """Subscribers by key (``demo``, ``acme``…), each generated the first time it is read.

    Iterating the keys, :meth:`token`, :meth:`key_for_token` and :meth:`key_for_number`
    generate nothing; reading a subscriber (``roster[key]``, ``.values()``) generates it.
    :meth:`made` is the subscribers generated so far: what rules that walk every
    subscriber (events, sweeps) need, since the others have not changed since the seed.
    """

    def __init__(self, seats: Mapping[str, Seat], lock: threading.RLock) -> None:
        self._seats = dict(seats)
        self._tokens = {key: seat.token for key, seat in self._seats.items()}
        self._numbers = {seat.number: key for key, seat in self._seats.items()}
        self._made: dict[str, Subscriber] = {}
        self._lock = lock

    def __getitem__(self, key: str) -> Subscriber:
        sub = self._made.get(key)
        if sub is not None:
            return sub
        with self._lock:  # two threads asking at once replay it once
            sub = self._made.get(key)
            if sub is None:
                sub = self._seats[key].make()
                sub.token = self._tokens[key]
                self._made[key] = sub
        return sub

    def __iter__(self) -> Iterator[str]:
        return iter(self._seats)

    def __len__(self) -> int:
        return len(self._seats)

    def __contains__(self, key: object) -> bool:
        return key in self._seats

    def made(self) -> list[Subscriber]:
        """The subscribers generated so far."""
        return list(self._made.values())

    def is_made(self, key: str) -> bool:
        return key in self._made

    def token(self, key: str) -> Secret:
        """The API token of ``key`` (``KeyError`` if there is no such login)."""
        return self._tokens[key]

    def set_token(self, key: str, token: Secret) -> None:
        """Give ``key`` a new API token (the old one stops working)."""
        self._tokens[key] = token
        if key in self._made:
            self._made[key].token = token

    def tokens(self) -> dict[str, Secret]:
        return dict(self._tokens)

    def key_for_token(self, token: Secret) -> str | None:
        """The login whose API token is ``token``; every token is compared (in constant
        time), so timing reveals nothing."""
        found = None
        for key, candidate in self._tokens.items():
            if candidate == token:
                found = key
        return found

    def key_for_number(self, number: str) -> str | None:
        """The login whose own line is ``number`` (E.164), if any."""
        return self._numbers.get(number)

    def key_of(self, sub: Subscriber) -> str:
        """The key of a generated subscriber."""
        return next(key for key, made in self._made.items() if made is sub)

    def __repr__(self) -> str:
        return f"Roster({list(self._seats)}, generated={list(self._made)})"
