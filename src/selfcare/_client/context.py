"""What a client needs to know about the account to read user input: zone, region, currency."""

from __future__ import annotations

from datetime import datetime, tzinfo

import attrs

from selfcare._time import When, to_instant
from selfcare.model import Account, PhoneNumber

__all__ = ["Context"]


@attrs.frozen
class Context:
    """Interprets filters the way the account's owner means them."""

    zone: tzinfo
    region: str
    currency: str

    @classmethod
    def of(cls, account: Account) -> Context:
        """The context of ``account``."""
        return cls(account.zone, account.region, account.currency)

    def since(self, value: When | None) -> datetime | None:
        """A start bound: a date is that day's midnight in the account's zone."""
        return to_instant(value, self.zone, end=False)

    def until(self, value: When | None) -> datetime | None:
        """An end bound (exclusive): a date includes that whole day."""
        return to_instant(value, self.zone, end=True)

    def phone(self, value: str | PhoneNumber | None, field: str) -> PhoneNumber | None:
        """A number as typed, read in the account's region; an error names ``field``."""
        return None if value is None else PhoneNumber.parse(value, self.region, field=field)
