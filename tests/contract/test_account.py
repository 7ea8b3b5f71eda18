"""sc.account, on every configuration of the contract suite."""

import inspect
from datetime import date

import pytest

from selfcare import Account, AccountStatus, BillState, PhoneNumber
from selfcare.operations import Capability, ListBills
from tests.conftest import NOW

pytestmark = pytest.mark.requires(Capability.ACCOUNT, Capability.BILLS, Capability.EXPENSES)


def test_account(sc) -> None:
    account = sc.account.get()
    assert isinstance(account, Account)
    assert account.number == PhoneNumber("+79165550123")
    assert account.status is AccountStatus.ACTIVE
    assert (account.time_zone, account.region, account.currency) == ("Europe/Moscow", "RU", "RUB")


def test_balance_is_the_last_balance_after(sc) -> None:
    balance = sc.account.balance()
    newest = sc.expenses.list().first(1)[0]
    assert balance.amount == newest.balance_after
    assert balance.available == balance.amount + balance.credit_limit
    assert balance.as_of == NOW


def test_bills_and_debts(sc) -> None:
    bills = sc.account.bills().to_list()
    assert [b.period_start for b in bills] == sorted(b.period_start for b in bills)
    debts = sc.account.debts().to_list()
    assert [d.id for d in debts] == [b.id for b in bills if b.remaining.amount > 0]
    assert [d.due_date for d in debts] == sorted(d.due_date for d in debts)
    overdue, current = debts
    assert overdue.is_overdue and overdue.state is BillState.OVERDUE
    assert overdue.due_date < date(2026, 11, 25) < current.due_date
    assert current.state is BillState.ISSUED and current.remaining == current.amount_due
    assert 0 < overdue.remaining.amount < overdue.amount_due.amount


def test_overdue_follows_the_clock(sc, clock) -> None:
    from datetime import timedelta

    current = sc.account.debts().to_list()[-1]
    clock.advance(timedelta(days=(current.due_date - date(2026, 11, 25)).days + 1))
    assert all(d.is_overdue for d in sc.account.debts().to_list())


def test_bills_and_debts_are_lazy_pagers_never_awaited(sc, monkeypatch) -> None:
    asked: list[ListBills] = []
    target = getattr(sc, "unwrapped", sc)
    backend = target.backend
    real = backend.execute

    async def counting_async(op):  # type: ignore[no-untyped-def]
        asked.extend([op] if isinstance(op, ListBills) else [])
        return await real(op)

    def counting(op):  # type: ignore[no-untyped-def]
        asked.extend([op] if isinstance(op, ListBills) else [])
        return real(op)

    monkeypatch.setattr(
        backend, "execute", counting_async if inspect.iscoroutinefunction(real) else counting
    )
    bills, debts = target.account.bills(), target.account.debts()
    assert not inspect.isawaitable(bills) and not inspect.isawaitable(debts)
    assert asked == []  # a listing asks for nothing until it is read
    assert [b.id for b in sc.account.debts()] == [b.id for b in sc.account.bills() if b.is_open]
    assert [op.open_only for op in asked] == [True, False]
