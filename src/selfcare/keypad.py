"""An on-screen digit pad, so a payment-card PIN is clicked on a web page and never typed.

A :class:`VirtualKeypad` is a one-time layout of the ten digits, shuffled with a CSPRNG.
The frontend renders :attr:`VirtualKeypad.layout` as ten buttons and sends back only the
*positions* that were clicked; the positions mean nothing without the layout, which stays
on the server. :meth:`VirtualKeypad.decode` turns them into a :class:`~selfcare._secret.Secret`
at most once, and only before the layout expires.

:class:`KeypadRegistry` is the small thread-safe in-memory store a web server keeps the
layouts in between rendering the page and receiving the clicks.

This module is pure: it does no I/O and needs no backend.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import attrs

from selfcare._errors import ValidationError
from selfcare._secret import Secret
from selfcare._time import require_aware

__all__ = ["DEFAULT_TTL", "DIGITS", "KeypadExpired", "KeypadRegistry", "VirtualKeypad"]

DIGITS: Final = "0123456789"
"""The symbols on a keypad, in natural order."""

DEFAULT_TTL: Final = timedelta(minutes=5)
"""How long a layout stays usable unless told otherwise."""

_ID_BYTES: Final = 16  # 128 bits of randomness in every keypad id
_RNG: Final = secrets.SystemRandom()

Clock = Callable[[], datetime]


class KeypadExpired(ValidationError):
    """The keypad layout is unknown, already used or past its expiry; render a new one."""

    problem = "keypad-expired"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _now(clock: Clock) -> datetime:
    """The clock's reading as an aware UTC datetime (a naive reading is refused)."""
    value = clock()
    if not isinstance(value, datetime):
        raise ValidationError(
            f"the keypad clock must return a datetime, not {type(value).__name__}", field="clock"
        )
    return require_aware(value, "clock").astimezone(UTC)


def _check_ttl(ttl: object) -> timedelta:
    if not isinstance(ttl, timedelta) or ttl <= timedelta(0):
        raise ValidationError("ttl must be a positive timedelta", field="ttl")
    return ttl


def _check_position(value: object, field: str) -> int:
    """A position 0–9. The message never repeats the value: it may be a digit of the PIN."""
    if type(value) is not int:  # bool is an int subclass, and refused too
        raise ValidationError(
            f"{field} must be an int from 0 to 9, not a {type(value).__name__}", field=field
        )
    if not 0 <= value < len(DIGITS):
        raise ValidationError(f"{field} is out of range; positions run from 0 to 9", field=field)
    return value


def _layout_validator(instance: Any, attribute: Any, value: Any) -> None:
    if type(value) is not tuple or sorted(value) != list(DIGITS):
        raise ValidationError(
            "layout must be a tuple holding each of the digits 0-9 exactly once", field="layout"
        )


def _aware_utc(value: datetime) -> datetime:
    if not isinstance(value, datetime):
        raise ValidationError(f"expected a datetime, not {type(value).__name__}")
    return require_aware(value, "keypad time").astimezone(UTC)


@attrs.define(eq=False, repr=False)
class VirtualKeypad:
    """A one-time shuffled layout of the digits 0–9.

    Make one with :meth:`new`. Position ``i`` on screen shows ``layout[i]``. Digits are entered
    either statefully with :meth:`press` (then :meth:`decode` with no argument) or all at once
    with ``decode(positions)``. A successful :meth:`decode` uses the keypad up; after that, or
    once :attr:`expires_at` has passed, :meth:`press` and :meth:`decode` raise
    :class:`KeypadExpired`. A bad position raises :class:`~selfcare._errors.ValidationError`
    and does not use the keypad up.

    The ``repr`` shows the id, how many digits were entered and whether the keypad is expired
    or used, never the layout or the digits. Keypads compare by identity.
    """

    id: str
    layout: tuple[str, ...] = attrs.field(validator=_layout_validator)
    created_at: datetime = attrs.field(converter=_aware_utc)
    expires_at: datetime = attrs.field(converter=_aware_utc)
    _clock: Clock = attrs.field(default=_utc_now, kw_only=True)
    _pressed: list[int] = attrs.field(init=False, factory=list)
    _used: bool = attrs.field(init=False, default=False)
    _lock: threading.Lock = attrs.field(init=False, factory=threading.Lock)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValidationError("keypad id must be a non-empty str", field="id")
        if self.expires_at <= self.created_at:
            raise ValidationError("expires_at must be after created_at", field="expires_at")

    @classmethod
    def new(cls, *, ttl: timedelta = DEFAULT_TTL, clock: Clock | None = None) -> VirtualKeypad:
        """A freshly shuffled keypad with a random id, usable for ``ttl`` from now."""
        ttl = _check_ttl(ttl)
        clock = _utc_now if clock is None else clock
        digits = list(DIGITS)
        _RNG.shuffle(digits)
        now = _now(clock)
        return cls(secrets.token_urlsafe(_ID_BYTES), tuple(digits), now, now + ttl, clock=clock)

    @property
    def entered(self) -> int:
        """How many digits have been pressed so far (not what they are)."""
        return len(self._pressed)

    @property
    def used(self) -> bool:
        """Whether the keypad has already been decoded."""
        return self._used

    @property
    def expired(self) -> bool:
        """Whether the keypad's lifetime is over (it may also be unusable because it is used)."""
        return _now(self._clock) >= self.expires_at

    def _check_usable(self) -> None:
        if self._used:
            raise KeypadExpired(
                "this keypad has already been used; render a new one", field="keypad"
            )
        if self.expired:
            raise KeypadExpired("this keypad has expired; render a new one", field="keypad")

    def press(self, position: int) -> None:
        """Enter the digit shown at ``position`` (0–9)."""
        position = _check_position(position, "position")
        with self._lock:
            self._check_usable()
            self._pressed.append(position)

    def backspace(self) -> None:
        """Forget the last pressed digit (nothing happens if none was pressed)."""
        with self._lock:
            if self._pressed:
                self._pressed.pop()

    def clear(self) -> None:
        """Forget every pressed digit."""
        with self._lock:
            self._pressed.clear()

    def decode(self, positions: Sequence[int] | None = None) -> Secret:
        """The digits at ``positions`` (or at the pressed positions) as a :class:`Secret`.

        Works once: afterwards, or after expiry, raises :class:`KeypadExpired`. An empty
        entry, a position outside 0–9 or a non-int raises ``ValidationError`` (field
        ``positions``) and leaves the keypad usable.
        """
        given = None if positions is None else self._check_positions(positions)
        with self._lock:
            self._check_usable()
            checked = list(self._pressed) if given is None else given
            if not checked:
                raise ValidationError("no digits have been pressed", field="positions")
            self._used = True
            self._pressed.clear()
            return Secret("".join(self.layout[p] for p in checked))

    @staticmethod
    def _check_positions(positions: object) -> list[int]:
        if isinstance(positions, str | bytes | bytearray) or not isinstance(positions, Sequence):
            raise ValidationError(
                f"positions must be a sequence of ints, not a {type(positions).__name__}",
                field="positions",
            )
        if not positions:
            raise ValidationError("positions is empty; no digits were entered", field="positions")
        return [_check_position(p, "positions") for p in positions]

    def __repr__(self) -> str:
        return (
            f"VirtualKeypad(id={self.id!r}, entered={self.entered}, "
            f"expired={self.expired}, used={self._used})"
        )

    __str__ = __repr__


class KeypadRegistry:
    """The layouts a web server has handed out and not yet received back.

    :meth:`issue` makes and stores a keypad; :meth:`decode` removes it and decodes the posted
    positions, so each keypad decodes at most once whatever the outcome. Expired keypads are
    dropped whenever a keypad is issued (or on :meth:`purge`). At most ``max_active`` keypads
    are kept; when that many are outstanding, issuing one drops the oldest. All methods are
    safe to call from several threads.
    """

    def __init__(
        self,
        *,
        ttl: timedelta = DEFAULT_TTL,
        clock: Clock | None = None,
        max_active: int = 10_000,
    ) -> None:
        self._ttl = _check_ttl(ttl)
        self._clock: Clock = _utc_now if clock is None else clock
        if type(max_active) is not int or max_active < 1:
            raise ValidationError("max_active must be a positive int", field="max_active")
        self._max_active = max_active
        self._keypads: dict[str, VirtualKeypad] = {}
        self._lock = threading.Lock()

    def issue(self) -> VirtualKeypad:
        """A new keypad, remembered until it is decoded, expires or is crowded out."""
        keypad = VirtualKeypad.new(ttl=self._ttl, clock=self._clock)
        with self._lock:
            self._purge_locked()
            while len(self._keypads) >= self._max_active:
                del self._keypads[next(iter(self._keypads))]
            self._keypads[keypad.id] = keypad
        return keypad

    def decode(self, keypad_id: str, positions: Sequence[int]) -> Secret:
        """Take the keypad ``keypad_id`` out of the registry and decode ``positions`` with it.

        Raises :class:`KeypadExpired` for an unknown, already used or expired id, and
        ``ValidationError`` for bad positions (the keypad is gone either way).
        """
        if not isinstance(keypad_id, str):
            raise ValidationError(
                f"keypad_id must be a str, not {type(keypad_id).__name__}", field="keypad_id"
            )
        with self._lock:
            keypad = self._keypads.pop(keypad_id, None)
        if keypad is None:
            raise KeypadExpired(
                "unknown, used or expired keypad; render a new one", field="keypad_id"
            )
        return keypad.decode(positions)

    def purge(self) -> int:
        """Drop every expired keypad; return how many were dropped."""
        with self._lock:
            return self._purge_locked()

    def _purge_locked(self) -> int:
        now = _now(self._clock)
        stale = [k for k, kp in self._keypads.items() if now >= kp.expires_at]
        for k in stale:
            del self._keypads[k]
        return len(stale)

    def __len__(self) -> int:
        with self._lock:
            return len(self._keypads)

    def __contains__(self, keypad_id: object) -> bool:
        if not isinstance(keypad_id, str):
            return False
        with self._lock:
            return keypad_id in self._keypads

    def __repr__(self) -> str:
        return f"KeypadRegistry(active={len(self)}, ttl={self._ttl})"
