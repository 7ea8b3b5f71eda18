# Generated from selfcare/_async/account.py by scripts/unasync.py. Do not edit.
"""The account: who holds the line, what is on it, what is owed."""

from __future__ import annotations

from selfcare._sync._area import Area
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

    def bills(self) -> list[Bill]:
        """Every bill, oldest first."""
        bills = self._client._execute(ListBills())
        return list(bills)

    def debts(self) -> list[Bill]:
        """Bills with something left to pay, soonest due first; overdue ones are flagged."""
        bills = self._client._execute(ListBills(open_only=True))
        return sorted(bills, key=lambda bill: bill.due_date)
