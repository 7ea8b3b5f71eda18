# Generated from selfcare/_async/account.py by scripts/unasync.py. Do not edit.
"""The account: who holds the line, what is on it, what is owed."""

from __future__ import annotations

from selfcare._sync._area import Area
from selfcare._sync._paging import Pager
from selfcare.model import Account, Balance, Bill
from selfcare.operations import GetAccount, GetBalance, ListBills

__all__ = ["AccountArea"]


class AccountArea(Area):
    """``sc.account``: the account, its balance and its bills."""

    def get(self) -> Account:
        """The account: number, holder, tariff, status, region and time zone."""
        return self._client._execute(GetAccount())

    def balance(self) -> Balance:
        """The balance now, with the credit limit."""
        return self._client._execute(GetBalance())

    def bills(self) -> Pager[Bill]:
        """Every bill, oldest first, as a lazy pager like every listing (the operator
        returns them whole: one page)."""
        return Pager(self._client, Bill, lambda ctx: ListBills())

    def debts(self) -> Pager[Bill]:
        """Bills with something left to pay, oldest first, which is soonest due first (bills
        fall due in the order they were issued); overdue ones are flagged."""
        return Pager(self._client, Bill, lambda ctx: ListBills(open_only=True))
