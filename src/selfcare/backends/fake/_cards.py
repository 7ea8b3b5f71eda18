"""The fake operator's prepaid payment cards (scratch vouchers) and the PIN lockout rule.

Cards are the operator's, not a subscriber's: a card activated by one subscriber is used for
everyone. The store keys cards by a SHA-256 digest of the PIN, so it never holds a PIN in the
clear. Each subscriber gets :data:`MAX_WRONG_PINS` wrong PINs within :data:`ATTEMPT_WINDOW`;
the next one locks card activation for :data:`LOCKOUT` (computed from the clock, no timers).
"""

from __future__ import annotations

import enum
import hashlib
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Final

import attrs

from selfcare._errors import TooManyAttempts
from selfcare._secret import Secret

__all__ = [
    "ATTEMPT_WINDOW",
    "LOCKOUT",
    "MAX_WRONG_PINS",
    "SEEDED_CARDS",
    "CardAttempts",
    "CardState",
    "CardStore",
    "PaymentCard",
]

MAX_WRONG_PINS: Final = 5
"""Wrong PINs allowed within :data:`ATTEMPT_WINDOW` before activation is locked."""
ATTEMPT_WINDOW: Final = timedelta(hours=1)
LOCKOUT: Final = timedelta(hours=1)
"""How long card activation stays locked after too many wrong PINs."""
CARD_VALIDITY: Final = timedelta(days=365)


class CardState(enum.StrEnum):
    """What the operator's card database says about a card (expiry is read from the date)."""

    ACTIVE = "active"
    USED = "used"
    BLOCKED = "blocked"


@attrs.define
class PaymentCard:
    """One prepaid card: its printed serial, value, currency, last valid day and state."""

    serial: str
    value: Decimal
    currency: str
    expires_on: date
    state: CardState = CardState.ACTIVE
    used_on: date | None = None

    def expired_on(self, today: date) -> bool:
        return today > self.expires_on


SEEDED_CARDS: Final[tuple[tuple[str, str, Decimal, str, str], ...]] = (
    # (PIN, serial, value, currency, what it is) — documented in docs/payments.md
    *((f"1111111111111{d}", f"PC-RUB-500-{d}", Decimal(500), "RUB", "valid") for d in range(10)),
    ("22222222222222", "PC-RUB-1000-0", Decimal(1000), "RUB", "valid"),
    ("33333333333333", "PC-RUB-300-U", Decimal(300), "RUB", "used"),
    ("44444444444444", "PC-RUB-300-E", Decimal(300), "RUB", "expired"),
    ("55555555555555", "PC-RUB-300-B", Decimal(300), "RUB", "blocked"),
    *((f"7777777777777{d}", f"PC-KZT-5000-{d}", Decimal(5000), "KZT", "valid") for d in range(10)),
)


def _digest(pin: Secret) -> str:
    return hashlib.sha256(pin.reveal().encode()).hexdigest()


class CardStore:
    """Every payment card the operator has printed, found by PIN."""

    def __init__(self) -> None:
        self._cards: dict[str, PaymentCard] = {}

    @classmethod
    def seeded(cls, today: date) -> CardStore:
        """The cards of :data:`SEEDED_CARDS`; valid ones expire a year after ``today``."""
        store = cls()
        for pin, serial, value, currency, kind in SEEDED_CARDS:
            card = PaymentCard(serial, value, currency, today + CARD_VALIDITY)
            if kind == "used":
                card.state, card.used_on = CardState.USED, today - timedelta(days=12)
            elif kind == "expired":
                card.expires_on = today - timedelta(days=30)
            elif kind == "blocked":
                card.state = CardState.BLOCKED
            store.add(Secret(pin), card)
        return store

    def add(self, pin: Secret, card: PaymentCard) -> None:
        """Print a new card with ``pin``."""
        self._cards[_digest(pin)] = card

    def find(self, pin: Secret) -> PaymentCard | None:
        """The card with ``pin``, if there is one."""
        return self._cards.get(_digest(pin))

    def __len__(self) -> int:
        return len(self._cards)

    def __repr__(self) -> str:
        return f"CardStore(cards={len(self)})"


@attrs.define
class CardAttempts:
    """One subscriber's recent wrong PINs and, after too many, until when they are locked out."""

    failures: list[datetime] = attrs.field(factory=list)
    locked_until: datetime | None = None

    def check(self, now: datetime) -> None:
        """Raise :class:`TooManyAttempts` while activation is locked."""
        if self.locked_until is not None and now < self.locked_until:
            wait = self.locked_until - now
            raise TooManyAttempts(
                f"card activation is locked after {MAX_WRONG_PINS} wrong PINs; "
                f"try again after {self.locked_until.isoformat()} (in {_minutes(wait)})",
                retry_after=wait,
            )

    def failed(self, now: datetime) -> int:
        """Count a wrong PIN at ``now``; return how many tries are left before the lockout."""
        self.failures = [at for at in self.failures if now - at < ATTEMPT_WINDOW]
        self.failures.append(now)
        if len(self.failures) >= MAX_WRONG_PINS:
            self.failures.clear()
            self.locked_until = now + LOCKOUT
            return 0
        return MAX_WRONG_PINS - len(self.failures)

    def succeeded(self) -> None:
        """A right PIN clears the count of wrong ones."""
        self.failures.clear()


def _minutes(delta: timedelta) -> str:
    minutes = -(-int(delta.total_seconds()) // 60)
    return f"{minutes} min"
