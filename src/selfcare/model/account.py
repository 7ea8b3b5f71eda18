"""The subscriber's account, balance and bills."""

from __future__ import annotations

import enum
from datetime import date
from zoneinfo import ZoneInfo

import attrs

from selfcare._time import Instant
from selfcare.model._locale import region_locale
from selfcare.model._repr import compact_repr
from selfcare.model.money import Money
from selfcare.model.phone import PhoneNumber

__all__ = ["Account", "AccountStatus", "Balance", "Bill", "BillState", "TariffRef"]


class AccountStatus(enum.StrEnum):
    """Whether the line works."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    BLOCKED = "blocked"


@attrs.frozen
class TariffRef:
    """The tariff plan an account is on (code and display name)."""

    code: str
    name: str


@attrs.frozen(repr=False)
class Account:
    """A subscriber's line: who holds it, its tariff, and the zone its days are counted in."""

    __repr__ = compact_repr

    number: PhoneNumber
    holder: str
    tariff: TariffRef
    status: AccountStatus
    currency: str
    region: str
    """ISO 3166 country code used to read numbers typed without a country code."""
    time_zone: str
    """IANA zone name (``Europe/Moscow``); dates in filters are whole days in this zone."""
    billing_day: int
    """Day of the month a billing period starts on."""
    personal_account: str

    @property
    def zone(self) -> ZoneInfo:
        """The account's time zone as a ``tzinfo``."""
        return ZoneInfo(self.time_zone)

    @property
    def locale(self) -> str:
        """The locale people of the account's region most likely read (``ru_RU`` for ``RU``,
        by CLDR's likely subtags through Babel): what the CLI, the demo and the portal format
        money in unless ``SELFCARE_LOCALE`` says otherwise. Derived from ``region``, so it is
        not on the wire."""
        return region_locale(self.region)


@attrs.frozen(repr=False)
class Balance:
    """What is on the account now; ``available`` adds the credit limit."""

    __repr__ = compact_repr

    amount: Money
    credit_limit: Money
    as_of: Instant

    @property
    def available(self) -> Money:
        """How much can still be spent: the balance plus the credit limit."""
        return self.amount + self.credit_limit


class BillState(enum.StrEnum):
    """Where a bill is in its life (TMF678 ``state`` names, plus overdue)."""

    ISSUED = "issued"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    OVERDUE = "overdue"


@attrs.frozen(repr=False)
class Bill:
    """The charges of one billing period, what is still owed, and by when.

    A bill with something ``remaining`` is a debt; it is ``overdue`` once its
    ``due_date`` has passed in the account's zone.
    """

    __repr__ = compact_repr

    id: str
    period_start: date
    period_end: date
    """Last day of the period (inclusive)."""
    issued_on: date
    due_date: date
    amount_due: Money
    remaining: Money
    state: BillState

    @property
    def is_open(self) -> bool:
        """Something is still owed."""
        return self.remaining.amount > 0

    @property
    def is_overdue(self) -> bool:
        """Still owed after its due date."""
        return self.state is BillState.OVERDUE
