"""What the line was used for: expenses (the detailed bill) and calls."""

from __future__ import annotations

import enum
from datetime import timedelta

import attrs

from selfcare._time import Instant
from selfcare.model._repr import compact_repr
from selfcare.model.money import Money, Quantity
from selfcare.model.phone import PhoneNumber

__all__ = ["Call", "CallDirection", "Expense", "ExpenseKind"]


class ExpenseKind(enum.StrEnum):
    """What an entry of the detailed bill is for."""

    VOICE_OUT = "voice_out"
    VOICE_IN = "voice_in"
    SMS = "sms"
    MMS = "mms"
    DATA = "data"
    SUBSCRIPTION_FEE = "subscription_fee"
    ONE_OFF = "one_off"
    ROAMING = "roaming"
    TOP_UP = "top_up"
    """A credit: money put on the account (bank card, payment card, transfer)."""
    REFUND = "refund"

    @property
    def is_credit(self) -> bool:
        """Entries of this kind add money to the account."""
        return self in (ExpenseKind.TOP_UP, ExpenseKind.REFUND)


class CallDirection(enum.StrEnum):
    """Who dialled."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"


@attrs.frozen(repr=False)
class Expense:
    """One line of the detailed bill.

    ``cost`` is what the entry did to the balance, signed: positive for a charge, negative
    for a credit (a top-up or a refund), so ``balance_after`` of one entry is the previous
    entry's ``balance_after`` minus this ``cost``. Usage inside a tariff's allowance is
    listed with a zero cost.
    """

    __repr__ = compact_repr

    id: str
    at: Instant
    kind: ExpenseKind
    cost: Money
    balance_after: Money
    description: str
    counterpart: PhoneNumber | None = None
    duration: timedelta | None = None
    volume: Quantity | None = None
    roaming_country: str | None = None
    """ISO 3166 code of the country the line was in, for roaming charges."""

    @property
    def is_credit(self) -> bool:
        """This entry added money to the account."""
        return self.kind.is_credit


@attrs.frozen(repr=False)
class Call:
    """One call, answered or not. A *missed* call is an incoming call nobody answered."""

    __repr__ = compact_repr

    id: str
    at: Instant
    direction: CallDirection
    counterpart: PhoneNumber
    answered: bool
    duration: timedelta
    """Zero for a call nobody answered."""
    cost: Money

    @property
    def missed(self) -> bool:
        """An incoming call that was not answered."""
        return self.direction is CallDirection.INCOMING and not self.answered
