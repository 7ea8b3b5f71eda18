"""The account: who holds the line, what is on it, what is owed."""

from __future__ import annotations

from selfcare._async._area import AsyncArea
from selfcare.model import Account, Balance, Bill
from selfcare.operations import GetAccount, GetBalance, ListBills

__all__ = ["AsyncAccountArea"]


class AsyncAccountArea(AsyncArea):
    """``sc.account``: the account, its balance and its bills."""

    async def get(self) -> Account:
        """The account: number, holder, tariff, status, region and time zone."""
        return await self._client._execute(GetAccount())

    async def balance(self) -> Balance:
        """The balance now, with the credit limit."""
        return await self._client._execute(GetBalance())

    async def bills(self) -> list[Bill]:
        """Every bill, oldest first."""
        bills = await self._client._execute(ListBills())
        return list(bills)

    async def debts(self) -> list[Bill]:
        """Bills with something left to pay, soonest due first; overdue ones are flagged."""
        bills = await self._client._execute(ListBills(open_only=True))
        return sorted(bills, key=lambda bill: bill.due_date)
