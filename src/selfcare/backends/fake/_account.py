"""Fake handlers for the account, its balance and its bills."""

from __future__ import annotations

from selfcare.backends.fake._handlers import Session, handles
from selfcare.model import Account, Balance, Bill
from selfcare.operations import GetAccount, GetBalance, ListBills


@handles(GetAccount)
def get_account(s: Session, op: GetAccount) -> Account:
    return s.subscriber.account


@handles(GetBalance)
def get_balance(s: Session, op: GetBalance) -> Balance:
    sub = s.subscriber
    return Balance(
        amount=sub.money(sub.balance), credit_limit=sub.money(sub.credit_limit), as_of=s.now
    )


@handles(ListBills)
def list_bills(s: Session, op: ListBills) -> tuple[Bill, ...]:
    bills = (bill.view(s.today, s.subscriber.currency) for bill in s.subscriber.bills)
    return tuple(bill for bill in bills if bill.is_open or not op.open_only)
