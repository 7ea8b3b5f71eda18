"""The account: who holds the line, what is on it, what is owed."""

from __future__ import annotations

from selfcare._async._area import AsyncArea
from selfcare._async._paging import AsyncPager
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

    def bills(self) -> AsyncPager[Bill]:
        """Every bill, oldest first, as a lazy pager like every listing (the operator
        returns them whole: one page)."""
        return AsyncPager(self._client, Bill, lambda ctx: ListBills())

    def debts(self) -> AsyncPager[Bill]:
        """Bills with something left to pay, oldest first, which is soonest due first (bills
        fall due in the order they were issued); overdue ones are flagged."""
        return AsyncPager(self._client, Bill, lambda ctx: ListBills(open_only=True))
